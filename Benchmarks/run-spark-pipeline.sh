#!/usr/bin/env bash
# The whole pipeline through Spark in local mode (scale/spark_pipeline.py): generation, scoring and tallying as
# Spark tasks on SHARDS shards, Spark ALS (rank 8, 5 sweeps) on the generated interactions, the merge on the driver;
# on Benchmarks/specs/scale.yaml (credit-offers with ~8 interactions per user). Prints each stage's seconds and its
# largest fairground process, then the whole run's wall time and peak RSS (the largest process of the tree: the
# Spark JVM) from /usr/bin/time. Needs pyspark, pyarrow and Java 17.
#   Benchmarks/run-spark-pipeline.sh [USERS] [SHARDS] [WORK]     (default: 10000000 8, a temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
users="${1:-10000000}"; shards="${2:-8}"
work="${3:-$(mktemp -d)}"
[ -z "${3:-}" ] && trap 'rm -rf "$work"' EXIT
swift build -c release --product fairground -Xswiftc -warnings-as-errors >/dev/null
bin="$(swift build -c release --show-bin-path)/fairground"
export CI=1
/usr/bin/time -f "whole run: %e s wall, peak RSS %M KB (largest process)" \
  python3 scale/spark_pipeline.py Benchmarks/specs/scale.yaml --users "$users" --shards "$shards" \
    --work "$work/run" --out "$work/report" --fairground "$bin" --rank 8 --iterations 5 --threads 1 \
    --driver-memory 12g --no-decisions
echo "work directory: $(du -sh "$work/run" | cut -f1); scored shards $(du -sch "$work"/run/scored-* | tail -1 | cut -f1)," \
  "parts $(du -sch "$work"/run/part-* | tail -1 | cut -f1), generated shards $(du -sch "$work"/run/gen-* | tail -1 | cut -f1)"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f\"report: {r['users']} users, {len(r['findings'])} findings, {sum(f['verdict']=='material' for f in r['findings'])} material\")" "$work/report/report.json"
