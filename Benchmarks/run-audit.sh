#!/usr/bin/env bash
# A full audit (factual world + one exact-twin world per protected level, K = 10, 20k items, 64 factors) at
# growing population sizes, timed by stage.
#   Benchmarks/run-audit.sh [USERS...]        (default: 100000 300000 1000000)
set -euo pipefail
cd "$(dirname "$0")"
sizes=("${@:-100000 300000 1000000}")
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
rm -f .build/*/release/description.json
swift build -c release --product AuditBenchmark >/dev/null
bin="$(swift build -c release --show-bin-path)/AuditBenchmark"
for users in ${sizes[@]}; do
  "$bin" specs/audit-20k.yaml "$users" 2 "$out/$users"
  rm -rf "$out/$users"
done
