#!/usr/bin/env bash
# The whole audit with and without the privacy view (consent by group, opt-out bias, inference probes from the
# 48-factor model's folded-in user factors and from the interaction counts, sensitive exposure), on
# datasets/pregnancy-prediction.yaml (three probed attributes, two sources: six probes), the model trained
# honouring consent. Same world and model for both modes in each run.
#   Benchmarks/run-privacy-audit.sh [USERS...]        (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")"
sizes=("${@:-100000 1000000}")
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
swift build -c release --product AuditBenchmark >/dev/null
bin="$(swift build -c release --show-bin-path)/AuditBenchmark"
for users in ${sizes[@]}; do
  for mode in off auto; do
    echo "# $users users, privacy view $mode"
    FAIRGROUND_PRIVACY=$mode "$bin" ../datasets/pregnancy-prediction.yaml "$users" 2 "$out/$users-$mode" \
      | python3 -c "import json, sys; r = json.load(sys.stdin); print(json.dumps({k: v for k, v in r.items() if k != 'findings'}))"
    rm -rf "$out/$users-$mode"
  done
done
