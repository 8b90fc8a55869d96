#!/usr/bin/env bash
# Generation throughput, Fairground against the numpy Gaussian copula, side by side on the same spec.
#   Benchmarks/run-generation.sh [USERS] [ROUNDS]        (defaults 1,000,000 and 3)
# The machines are shared and noisy: the runs alternate, and the summary compares medians.
set -euo pipefail
cd "$(dirname "$0")"
users="${1:-1000000}"
rounds="${2:-3}"
out="$(mktemp -d)"
log="$out/log.jsonl"
trap 'rm -rf "$out"' EXIT
# A stale build plan can miss source files added to the root package since the last run.
rm -f .build/*/release/description.json
swift build -c release --product GenerationBenchmark >/dev/null
bin="$(swift build -c release --show-bin-path)/GenerationBenchmark"
python3 -c "import numpy, scipy, yaml" 2>/dev/null || pip install -q numpy scipy pyyaml
echo "# population only: specs/population-20.yaml, $users users, $rounds alternating rounds"
for round in $(seq "$rounds"); do
  "$bin" specs/population-20.yaml "$users" 1 | tee -a "$log"
  "$bin" specs/population-20.yaml "$users" 2 | tee -a "$log"
  python3 numpy_copula.py specs/population-20.yaml "$users" | tee -a "$log"
done
echo "# specs/behaviour-20.yaml: 20 attributes + 50k items, ~50 interactions per user, $users users, then the files"
"$bin" specs/behaviour-20.yaml "$users" 2 "$out/world" | tee -a "$log"
python3 - "$log" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def median(phase, **match):
    xs = [r["users_per_second"] for r in rows if r["phase"] == phase and all(r.get(k) == v for k, v in match.items())]
    return statistics.median(xs)
one = median("generate", spec="population-20", threads=1)
two = median("generate", spec="population-20", threads=2)
numpy = median("numpy-copula")
print(f"# median rows/s: fairground 1 thread {one:,.0f}, 2 threads {two:,.0f}; numpy copula {numpy:,.0f}")
print(f"# ratio: {one / numpy:.1f}x (1 thread), {two / numpy:.1f}x (2 threads)")
PY
