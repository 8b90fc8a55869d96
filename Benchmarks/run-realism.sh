#!/usr/bin/env bash
# How realistic the shipped implicit-feedback worlds are: the statistics published for real datasets (items per
# user, item-popularity Gini, the top 1% of items' share) and the default model's held-out NDCG@10 against the
# popularity baseline, per scenario.
#   Benchmarks/run-realism.sh [USERS]        (default 100,000 per scenario)
set -euo pipefail
cd "$(dirname "$0")/.."
users="${1:-100000}"
swift build -c release --product fairground -Xswiftc -warnings-as-errors >/dev/null
fg="$(swift build -c release --show-bin-path)/fairground"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "| scenario | users | items | items per user (mean / median) | interactions per user | item Gini | top 1% share | ALS NDCG@10 | popularity NDCG@10 | ratio | ALS AUC | popularity AUC |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for scenario in credit-offers job-ads null; do
  "$fg" generate "datasets/$scenario.yaml" --users "$users" --out "$work/$scenario" --threads 2 > "$work/summary.txt"
  "$fg" train "$work/$scenario" --out "$work/model.fgm" --threads 2 --json > "$work/train.json"
  python3 - "$scenario" "$work/summary.txt" "$work/train.json" <<'PY'
import json, re, sys
scenario, summary, train = sys.argv[1], open(sys.argv[2]).read(), json.load(open(sys.argv[3]))
head = re.search(r": (\d+) users, (\d+) items", summary)
b = re.search(r"behaviour: ([\d.]+) items per user \(median (\d+)\), ([\d.]+) interactions per user; "
              r"item popularity Gini ([\d.]+), top 1% of items hold ([\d.]+)%", summary)
e = train["holdout"]["evaluation"]
m, p = e["model"], e["popularity"]
print(f"| {scenario} | {head[1]} | {head[2]} | {b[1]} / {b[2]} | {b[3]} | {b[4]} | {float(b[5]) / 100:.3f} | "
      f"{m['ndcg']:.4f} | {p['ndcg']:.4f} | {m['ndcg'] / p['ndcg']:.2f}× | {m['auc']:.4f} | {p['auc']:.4f} |")
PY
done
