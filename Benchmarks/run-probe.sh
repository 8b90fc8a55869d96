#!/usr/bin/env bash
# The inference probes (`fairground probe`) against scikit-learn doing the same probes, side by side on the same
# world and factors: datasets/pregnancy-prediction.yaml, a 64-factor model, the `expecting` trait from the user
# factors and from the interaction counts per category, 5 folds.
#   Benchmarks/run-probe.sh [USERS...]        (default: 100000 1000000)
# Whole-process timings of three alternating rounds; each round's ratio is scikit-learn's time over Fairground's.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-100000 1000000}")
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
swift build -c release --product fairground >/dev/null
bin="$(swift build -c release --show-bin-path)/fairground"
python3 -c "import sklearn, pandas" 2>/dev/null || pip install -q scikit-learn pandas
for users in ${sizes[@]}; do
  w="$out/world-$users"
  "$bin" generate datasets/pregnancy-prediction.yaml --users "$users" --out "$w" -q
  "$bin" train "$w" --out "$out/model-$users.fgm" --factors 64 --iterations 5 --holdout 0 -q
  "$bin" export "$out/model-$users.fgm" --npy "$out/npy-$users" >/dev/null
  echo "# $users users × 64 factors"
  "$bin" probe "$w" --factors "$out/npy-$users/user_factors.npy" --attributes expecting --out "$out/probe-$users"
  python3 Benchmarks/probe_sklearn.py "$w" "$out/npy-$users/user_factors.npy"
  for round in 1 2 3; do
    a=$(date +%s.%N)
    "$bin" probe "$w" --factors "$out/npy-$users/user_factors.npy" --attributes expecting --out "$out/probe-$users" -q
    b=$(date +%s.%N)
    python3 Benchmarks/probe_sklearn.py "$w" "$out/npy-$users/user_factors.npy" >/dev/null
    c=$(date +%s.%N)
    python3 -c "import sys; a, b, c = map(float, sys.argv[1:]); print(f'round $round: fairground {b - a:.2f} s, scikit-learn {c - b:.2f} s, ratio {(c - b) / (b - a):.2f}')" "$a" "$b" "$c"
  done
done
