#!/usr/bin/env bash
# The default model's lead over popularity is the data's, not Fairground's ALS: implicit 0.7.3 with the same
# hyper-parameters on the same split of the default world gives the same ranking quality.
#   Benchmarks/run-realism-implicit.sh [USERS]        (default 100,000)
set -euo pipefail
cd "$(dirname "$0")"
users="${1:-100000}"
python3 -c "import implicit, threadpoolctl" 2>/dev/null || pip install -q implicit==0.7.3 threadpoolctl
(cd .. && swift build -c release --product fairground -Xswiftc -warnings-as-errors >/dev/null)
fg="$(cd .. && swift build -c release --show-bin-path)/fairground"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$fg" generate ../datasets/credit-offers.yaml --users "$users" --out "$work/world" -q
"$fg" split "$work/world" --holdout 0.2 --seed 0 --out "$work/split" > /dev/null
# implicit's confidence is α·r: Fairground's --confidence alpha, with the default λ, α and factors.
"$fg" train "$work/split/train.mtx" --out "$work/model.fgm" --confidence alpha --holdout 0 --threads 2 -q
"$fg" evaluate "$work/model.fgm" --train "$work/split/train.mtx" --test "$work/split/test.mtx" --json > "$work/eval.json"
python3 implicit_als.py "$work/split/train.mtx" "$work/split/test.mtx" cg 48 100 10 > "$work/implicit.json"
python3 - "$work/eval.json" "$work/implicit.json" <<'PY'
import json, sys
e, i = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
m, p = e["model"], e["popularity"]
print("| tool | precision@10 (implicit's pooled definition) | NDCG@10 (implicit's) | NDCG@10 (textbook) |")
print("|---|---|---|---|")
print(f"| implicit 0.7.3 | {i['precision_at_10_implicit']:.4f} | {i['ndcg_at_10_implicit']:.4f} | — |")
print(f"| Fairground | {m['implicit_precision']:.4f} | — | {m['ndcg']:.4f} |")
print(f"| popularity baseline | {p['implicit_precision']:.4f} | — | {p['ndcg']:.4f} |")
PY
