#!/usr/bin/env bash
# Implicit ALS, Fairground against implicit 0.7.3, side by side on the same Matrix Market train/test files.
#   Benchmarks/run-als.sh [small|medium|lastfm ...]     (default: small medium)
# small: 10k × 5k, 500k nnz; medium: 100k × 20k, 5M; lastfm: 358,868 × 292,385, 17.5M (the Last.fm-360K shape).
# Both use factors 64, regularization 0.05, alpha 1, 15 iterations, 2 threads, and implicit's confidence
# convention (c = α·r) for the like-with-like rows; Fairground's default (c = 1 + α·r) is reported too
# (CONFIDENCES=alpha limits the runs to the like-with-like one).
set -euo pipefail
cd "$(dirname "$0")"
sizes=("${@:-small medium}")
work="${ALS_WORK:-/tmp/fairground-als}"
mkdir -p "$work"
pip install -q implicit==0.7.3 threadpoolctl scipy numpy 2>/dev/null || true
(cd .. && swift build -c release --product fairground >/dev/null)
fg="$(cd .. && swift build -c release --show-bin-path)/fairground"
log="$work/results.jsonl"
peak() { /usr/bin/time -f '%M' -o "$work/peak" "$@"; }
for size in ${sizes[@]}; do
  case "$size" in
    small) shape="10000 5000 500000" ;;
    medium) shape="100000 20000 5000000" ;;
    lastfm) shape="358868 292385 17500000" ;;
    *) echo "unknown size $size"; exit 2 ;;
  esac
  dir="$work/$size"
  if [ ! -f "$dir/test.mtx" ]; then
    python3 als_data.py $shape "$work/$size.mtx"
    "$fg" split "$work/$size.mtx" --holdout 0.2 --seed 0 --out "$dir"
  fi
  for solver in cg cholesky; do
    peak python3 implicit_als.py "$dir/train.mtx" "$dir/test.mtx" "$solver" > "$work/out.json"
    python3 - "$work/out.json" "$work/peak" "$size" >> "$log" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["peak_rss_mb"] = int(open(sys.argv[2]).read().split()[-1]) // 1024
d["size"] = sys.argv[3]; print(json.dumps(d))
PY
    for confidence in ${CONFIDENCES:-alpha one-plus-alpha}; do
      # The same hyper-parameters as implicit_als.py (not the defaults), and no holdout check: one training each.
      peak "$fg" train "$dir/train.mtx" --out "$dir/model.fgm" --solver "$solver" --confidence "$confidence" \
        --factors 64 --regularization 0.05 --alpha 1 --holdout 0 \
        --threads 2 --json > "$work/train.json"
      train_peak=$(tail -1 "$work/peak")
      "$fg" evaluate "$dir/model.fgm" --train "$dir/train.mtx" --test "$dir/test.mtx" --json --threads 2 > "$work/eval.json"
      python3 - "$work/train.json" "$work/eval.json" "$train_peak" "$size" "$solver" "$confidence" >> "$log" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); e = json.load(open(sys.argv[2]))
k = t["configuration"]["factors"]; nnz = t["nonzeros"]; users = t["users"]; items = t["items"]
steps = 3 if sys.argv[5] == "cg" else 0
# Useful flops per sweep: CG does (steps + 1) products per row, each 2k² (Gram) + 4k per entry, on both sides;
# Cholesky does k²·nnz (rank-one updates), 2k·nnz (right-hand side) and k³/3 + 2k² per row.
if steps:
    flops = 2 * (steps + 1) * (2 * k * k * (users + items) + 4 * k * nnz)
else:
    flops = 2 * (k * k * nnz + 2 * k * nnz) + (users + items) * (k ** 3 / 3 + 2 * k * k)
print(json.dumps({"tool": "fairground", "size": sys.argv[4], "solver": sys.argv[5], "confidence": sys.argv[6],
    "seconds_per_iteration": round(t["seconds_per_iteration"], 4),
    "gflops": round(flops / t["seconds_per_iteration"] / 1e9, 1),
    "precision_at_10_implicit": round(e["model"]["implicit_precision"], 4),
    "precision_at_10": round(e["model"]["precision"], 4), "ndcg_at_10": round(e["model"]["ndcg"], 4),
    "popularity_precision_at_10": round(e["popularity"]["precision"], 4),
    "peak_rss_mb": int(sys.argv[3]) // 1024}))
PY
    done
  done
done
cat "$log"
