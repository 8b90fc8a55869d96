#!/usr/bin/env bash
# Spark MLlib's implicit ALS factors of a small world, kept so the import and convention tests run without Spark.
# Made with pyspark 4 (local[2], Java 17): `pip install pyspark pyarrow`, then from the repository root:
#   Tests/FairgroundCLITests/Fixtures/spark/make_spark_fixture.sh
set -euo pipefail
cd "$(dirname "$0")/../../../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fairground="$(swift build -c release --show-bin-path)/fairground"
"$fairground" generate datasets/credit-offers.yaml --users 400 --out "$tmp/world" -q
python3 scale/spark_train.py "$tmp/world" --out "$tmp/spark" --rank 6 --iterations 8 --regularization 0.1 --alpha 10 --seed 0
cp "$tmp"/spark/{user,item}_{factors,ids}.npy Tests/FairgroundCLITests/Fixtures/spark/
