#!/usr/bin/env bash
# Generation throughput, Fairground against the numpy Gaussian copula, side by side on the same spec.
#   Benchmarks/run-generation.sh [USERS]        (default 1,000,000)
set -euo pipefail
cd "$(dirname "$0")"
users="${1:-1000000}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
swift build -c release --product GenerationBenchmark >/dev/null
bin="$(swift build -c release --show-bin-path)/GenerationBenchmark"
python3 -c "import numpy, scipy, yaml" 2>/dev/null || pip install -q numpy scipy pyyaml
echo "# population only, 20 attributes, $users users"
for threads in 1 2; do "$bin" specs/population-20.yaml "$users" "$threads"; done
python3 numpy_copula.py specs/population-20.yaml "$users"
echo "# 20 attributes + 50k items, ~50 draws per user, $users users, then the files"
"$bin" specs/behaviour-20.yaml "$users" 2 "$out/world"
