#!/usr/bin/env bash
# The sharded audit's overhead over the single-machine audit, on the same world and model: the single audit
# against its four sharded steps run one after the other on this machine (score every shard, find the cut-offs,
# tally every shard, merge), in alternating pairs; whole-process wall seconds and peak RSS from /usr/bin/time,
# 2 threads each. Checks that the merged report files are byte-identical to the single audit's.
#   Benchmarks/run-sharded-audit.sh [USERS] [SHARDS] [PAIRS]      (default: 1000000 4 2)
set -euo pipefail
cd "$(dirname "$0")/.."
users="${1:-1000000}"; shards="${2:-4}"; pairs="${3:-2}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
swift build -c release --product fairground -Xswiftc -warnings-as-errors >/dev/null
bin="$(swift build -c release --show-bin-path)/fairground"
export CI=1
# The world of Benchmarks/specs/audit-20k.yaml (credit-offers with a 20,000-item catalogue) and a 48-factor model
# trained for 3 sweeps (the audit's cost does not depend on the model's quality).
"$bin" generate Benchmarks/specs/audit-20k.yaml --users "$users" --out "$out/world" -q
"$bin" train "$out/world" --out "$out/model.fgm" --iterations 3 --holdout 0 -q
timed() { # LABEL COMMAND...: appends "LABEL wall peak_kb" to $out/times
  local label="$1"; shift
  /usr/bin/time -f "$label %e %M" -a -o "$out/times" "$@" >/dev/null
}
single() { timed single "$bin" audit "$out/world" --model "$out/model.fgm" --out "$out/single" --threads 2 -q; }
sharded() {
  rm -rf "$out"/shard-* "$out"/part-* "$out/merged"
  for i in $(seq 1 "$shards"); do
    timed score "$bin" audit "$out/world" --model "$out/model.fgm" --shard "$i/$shards" --out "$out/shard-$i" --threads 2 -q
  done
  timed cutoffs "$bin" audit-shard cutoffs "$out"/shard-* --out "$out/cutoffs.json" -q
  for i in $(seq 1 "$shards"); do
    timed tally "$bin" audit-shard tally "$out/shard-$i" --cutoffs "$out/cutoffs.json" --out "$out/part-$i" --threads 2 -q
  done
  timed merge "$bin" audit-shard merge "$out"/part-* --out "$out/merged" --threads 2 -q
  echo "shard files: $(du -sh "$out"/shard-1 | cut -f1) per scored shard, $(du -sh "$out"/part-1 | cut -f1) per part" \
    "($(du -sh "$out"/part-1/part.fga | cut -f1) without its decisions)"
}
for p in $(seq 1 "$pairs"); do
  : > "$out/times"
  single
  sharded
  for f in report.json report.md report.html junit.xml decisions.csv; do
    cmp -s "$out/single/$f" "$out/merged/$f" || { echo "pair $p: $f differs"; exit 1; }
  done
  python3 - "$out/times" "$p" "$users" "$shards" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
single = [float(r[1]) for r in rows if r[0] == "single"][0]
steps = {}
for r in rows:
    if r[0] != "single":
        steps.setdefault(r[0], []).append(float(r[1]))
sharded = sum(sum(v) for v in steps.values())
peak = max(int(r[2]) for r in rows if r[0] != "single") // 1024
single_peak = [int(r[2]) for r in rows if r[0] == "single"][0] // 1024
detail = ", ".join(f"{k} {sum(v):.1f}" for k, v in steps.items())
print(f"pair {sys.argv[2]}: {sys.argv[3]} users, {sys.argv[4]} shards: single {single:.1f} s (peak {single_peak} MB); "
      f"sharded {sharded:.1f} s ({detail}; largest step peak {peak} MB); overhead {100 * (sharded / single - 1):+.1f}%; "
      "report files identical")
PY
done
