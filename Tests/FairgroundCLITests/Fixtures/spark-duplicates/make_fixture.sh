#!/usr/bin/env bash
# Spark MLlib's implicit ALS factors of interactions with repeated (user, item) rows, kept so the test of the
# Spark convention's separate terms runs without Spark. Every fourth user of a small world gets its first
# interaction repeated with the same weight, its second with −1, its third with 0 and its fourth with 2.
# Made with pyspark 4 (local[2], Java 17): `pip install pyspark pyarrow`, then from the repository root:
#   Tests/FairgroundCLITests/Fixtures/spark-duplicates/make_fixture.sh
set -euo pipefail
cd "$(dirname "$0")/../../../.."
here=Tests/FairgroundCLITests/Fixtures/spark-duplicates
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fairground="$(swift build -c release --show-bin-path)/fairground"
"$fairground" generate datasets/credit-offers.yaml --users 300 --out "$tmp/world" -q
mkdir "$tmp/data"
python3 - "$tmp/world/interactions.csv" "$tmp/data/interactions.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
header, body = rows[0], rows[1:]
by_user = {}
for u, i, w in body:
    by_user.setdefault(int(u), []).append((int(i), w))
out = [header]
for u in sorted(by_user):
    entries = by_user[u]
    out += [[u, i, w] for i, w in entries]
    if u % 4 == 0:
        for (i, w), repeat in zip(entries, [None, "-1", "0", "2"]):
            out.append([u, i, w if repeat is None else repeat])
csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n").writerows(out)
PY
python3 scale/spark_train.py "$tmp/data" --out "$tmp/spark" --rank 6 --iterations 8 --regularization 0.1 --alpha 10 --seed 0
cp "$tmp/data/interactions.csv" "$tmp"/spark/{user,item}_{factors,ids}.npy "$here/"
