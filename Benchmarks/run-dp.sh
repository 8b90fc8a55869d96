#!/usr/bin/env bash
# Differentially private ALS: what each ε costs, who pays, and what the audit then finds (issue 27, point 4).
#   Benchmarks/run-dp.sh [credit] [medium]        (default: both)
# credit: datasets/credit-offers.yaml at USERS users (default 100000), split 80/20 (seed 0); one model per ε in
#   EPSILONS (default "0.5 1 2 4 8 inf", δ = 1e-6, the default budget, cap and clip) with ITERATIONS sweeps
#   (default 5) of the default 48-factor configuration; NDCG@10 and precision@10 on the held-out 20%, overall and
#   per gender and per ethnicity, beside popularity; then the same configuration trained on the whole world and
#   audited (decision gaps, exact-twin flips) and probed (gender and ethnicity from the user factors); and the
#   membership attack against a fresh world of the same spec.
# medium: run-als.sh's 100k × 20k matrix (4M training interactions), the default configuration with 64 factors;
#   NDCG@10 and precision@10 per ε, and the seconds per sweep of the non-private exact item side (`--solver
#   cholesky --item-side aggregated`, the form DP trains in) and of the default CG, to price the noise.
# Prints one JSON object per line; Benchmarks/README.md quotes the tables.
set -euo pipefail
cd "$(dirname "$0")"
what=("${@:-credit medium}")
users="${USERS:-100000}"
epsilons="${EPSILONS:-0.5 1 2 4 8 inf}"
iterations="${ITERATIONS:-5}"
work="${DP_WORK:-/tmp/fairground-dp}"
mkdir -p "$work"
(cd .. && swift build -c release --product fairground >/dev/null)
fg="$(cd .. && swift build -c release --show-bin-path)/fairground"
quality() {  # model train test [population]
  if [ $# -gt 3 ]; then
    for by in gender ethnicity; do
      "$fg" evaluate "$1" --train "$2" --test "$3" --by "$by" --population "$4" --json --threads 2 > "$work/eval-$by.json"
    done
  else
    "$fg" evaluate "$1" --train "$2" --test "$3" --json --threads 2 > "$work/eval-gender.json"
    cp "$work/eval-gender.json" "$work/eval-ethnicity.json"
  fi
}
for w in ${what[@]}; do
  case "$w" in
  credit)
    world="$work/credit-$users" fresh="$work/credit-$users-fresh"
    if [ ! -f "$world/manifest.json" ]; then
      "$fg" generate ../datasets/credit-offers.yaml --users "$users" --out "$world" -q
      "$fg" generate ../datasets/credit-offers.yaml --users "$users" --first-user "$users" --out "$fresh" -q
      "$fg" split "$world" --holdout 0.2 --seed 0 --out "$world-split" >/dev/null
    fi
    for e in $epsilons; do
      "$fg" train "$world-split/train.mtx" --out "$work/q.fgm" --iterations "$iterations" --dp-epsilon "$e" \
        --holdout 0 --threads 2 --json > "$work/train.json"
      quality "$work/q.fgm" "$world-split/train.mtx" "$world-split/test.mtx" "$world"
      "$fg" train "$world" --out "$work/a.fgm" --iterations "$iterations" --dp-epsilon "$e" --holdout 0 --threads 2 -q
      "$fg" audit "$world" --model "$work/a.fgm" --out "$work/audit" --threads 2 -q || true
      "$fg" probe "$world" --model "$work/a.fgm" --attributes gender,ethnicity --out "$work/probe" --threads 2 -q
      "$fg" attack membership "$world" --model "$work/a.fgm" --non-members "$fresh" --out "$work/attack" \
        --threads 2 --json > "$work/attack.json"
      python3 - "$work" "$e" <<'PY'
import json, sys
work, eps = sys.argv[1], sys.argv[2]
t = json.load(open(f"{work}/train.json"))
row = {"data": "credit-offers", "epsilon": eps, "seconds_per_iteration": round(t["seconds_per_iteration"], 3)}
if t.get("privacy"):
    row["noise_multiplier"] = round(t["privacy"]["releases"][0]["noise_multiplier"], 2)
    row["clip"] = round(t["privacy"]["clip"], 4)
for by in ("gender", "ethnicity"):
    e = json.load(open(f"{work}/eval-{by}.json"))
    row["ndcg"], row["precision"] = round(e["model"]["ndcg"], 4), round(e["model"]["precision"], 4)
    row["popularity_ndcg"] = round(e["popularity"]["ndcg"], 4)
    for g in e.get("groups") or []:
        row[f"ndcg_{g['level']}"] = round(g["model"]["ndcg"], 4)
        row[f"precision_{g['level']}"] = round(g["model"]["precision"], 4)
a = json.load(open(f"{work}/audit/report.json"))
for f in a["findings"]:
    if f["metric"] in ("demographic_parity_ratio", "counterfactual_flip_rate") and f.get("estimate", {}).get("value") is not None:
        key = f"{f['metric']}/{f.get('offer', '')}/" + (f["world"] if f.get("world") else f["attribute"])
        row[key] = [round(f["estimate"]["value"], 4), f.get("verdict")]
p = json.load(open(f"{work}/probe/probe.json"))
for f in p["findings"]:
    row["inference_auc/" + f["attribute"] + "/" + f["id"].split("/")[-1]] = round(f["estimate"]["value"], 4)
m = json.load(open(f"{work}/attack.json"))["result"]
row["membership_auc"] = [round(m["area"], 4), round(m["lower"], 4), round(m["upper"], 4)]
row["empirical_epsilon"] = round(m["epsilon"]["value"], 3)
print(json.dumps(row))
PY
    done ;;
  medium)
    dir="${ALS_WORK:-/tmp/fairground-als}/medium"
    if [ ! -f "$dir/test.mtx" ]; then
      mkdir -p "$(dirname "$dir")"
      python3 als_data.py 100000 20000 5000000 "$dir.mtx"
      "$fg" split "$dir.mtx" --holdout 0.2 --seed 0 --out "$dir"
    fi
    for e in $epsilons; do
      "$fg" train "$dir/train.mtx" --out "$work/m.fgm" --factors 64 --iterations "$iterations" --dp-epsilon "$e" \
        --holdout 0 --threads 2 --json > "$work/train.json"
      quality "$work/m.fgm" "$dir/train.mtx" "$dir/test.mtx"
      python3 - "$work" "$e" "private" <<'PY'
import json, sys
work, eps, kind = sys.argv[1:4]
t = json.load(open(f"{work}/train.json")); e = json.load(open(f"{work}/eval-gender.json"))
print(json.dumps({"data": "medium", "epsilon": eps, "kind": kind, "seconds_per_iteration": round(t["seconds_per_iteration"], 3),
                  "ndcg": round(e["model"]["ndcg"], 4), "precision": round(e["model"]["precision"], 4),
                  "popularity_ndcg": round(e["popularity"]["ndcg"], 4)}))
PY
    done
    for kind in exact cg; do
      flags=(--solver cholesky --item-side aggregated)
      [ "$kind" = cg ] && flags=()
      "$fg" train "$dir/train.mtx" --out "$work/m.fgm" --factors 64 --iterations "$iterations" ${flags[@]+"${flags[@]}"} \
        --holdout 0 --threads 2 --json > "$work/train.json"
      quality "$work/m.fgm" "$dir/train.mtx" "$dir/test.mtx"
      python3 - "$work" "inf" "$kind" <<'PY'
import json, sys
work, eps, kind = sys.argv[1:4]
t = json.load(open(f"{work}/train.json")); e = json.load(open(f"{work}/eval-gender.json"))
print(json.dumps({"data": "medium", "epsilon": eps, "kind": kind, "seconds_per_iteration": round(t["seconds_per_iteration"], 3),
                  "ndcg": round(e["model"]["ndcg"], 4), "precision": round(e["model"]["precision"], 4)}))
PY
    done ;;
  *) echo "unknown benchmark $w (credit or medium)"; exit 2 ;;
  esac
done
