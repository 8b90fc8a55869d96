#!/usr/bin/env bash
# The plain build (`swift build -c release`, no flag: kernels chosen at run time) against the tuned build of the
# commit before the run-time kernels (REFERENCE, built with FAIRGROUND_TARGET_CPU=haswell as its Makefile did), side
# by side on the same files, alternating A (plain) and B (reference) three times: medium ALS (CG, Cholesky),
# generation of 1M users, the 1M-user audit. (ALS against implicit: Benchmarks/run-als.sh; the audit's stages:
# Benchmarks/stage_times.py.)
#   Benchmarks/run-portable.sh [REFERENCE]          (default aa94070)
# Needs about 4 GB of disk in $WORK (default /tmp/fairground-portable) and 20 minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
reference="${1:-aa94070}"
work="${WORK:-/tmp/fairground-portable}"
mkdir -p "$work"
swift build -c release --product fairground --scratch-path "$work/plain-build" >/dev/null
a="$work/plain-build/release/fairground"
if [ ! -x "$work/reference/.build/release/fairground" ]; then
  rm -rf "$work/reference"; git worktree add --detach "$work/reference" "$reference" >/dev/null
  (cd "$work/reference" && FAIRGROUND_TARGET_CPU=haswell swift build -c release --product fairground >/dev/null)
fi
b="$work/reference/.build/release/fairground"
timed() { /usr/bin/time -f "%e s wall, %U s user, %M KB peak" "$@" 2>&1 >/dev/null | tail -1; }
spec=Benchmarks/specs/audit-20k.yaml
[ -f "$work/als/train.mtx" ] || { python3 Benchmarks/als_data.py 100000 20000 5000000 "$work/als.mtx" >/dev/null
  "$a" split "$work/als.mtx" --holdout 0.2 --seed 0 --out "$work/als" >/dev/null; }
[ -f "$work/w1m/manifest.json" ] || "$a" generate "$spec" --users 1000000 --out "$work/w1m" -q
[ -f "$work/w1m.fgm" ] || "$a" train "$work/w1m" --out "$work/w1m.fgm" --holdout 0 -q
for round in 1 2 3; do
  for side in A B; do
    bin=$a; [ $side = B ] && bin=$b
    for solver in cg cholesky; do
      s=$("$bin" train "$work/als/train.mtx" --out "$work/$side.fgm" --solver $solver --confidence alpha --factors 64 \
        --regularization 0.05 --alpha 1 --holdout 0 --threads 2 --json | python3 -c \
        'import json,sys; print(json.load(sys.stdin)["seconds_per_iteration"])')
      echo "round $round $side ALS medium $solver: $s s per iteration"
    done
    rm -rf "$work/g$side"; echo "round $round $side generate 1M: $(timed "$bin" generate "$spec" --users 1000000 --out "$work/g$side" -q)"
    rm -rf "$work/a$side"; echo "round $round $side audit 1M: $(timed "$bin" audit "$work/w1m" --model "$work/w1m.fgm" --out "$work/a$side" --threads 2 -q)"
  done
done
diff -r "$work/gA" "$work/gB" >/dev/null && echo "generated worlds: identical bytes" || echo "generated worlds differ"
