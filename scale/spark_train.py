"""Train Spark MLlib's implicit ALS (local mode, or on a cluster with spark-submit) on a generated world's
interactions and write its factors for `fairground import`.

    python3 scale/spark_train.py WORLD_DIR [WORLD_DIR ...] --out OUT_DIR [--rank 8] [--iterations 10]
                                 [--regularization 0.1] [--alpha 10] [--seed 0] [--master local[2]]

Reads each WORLD_DIR/interactions.csv (user_id,item_id,weight; several directories: the shards of one world made
with `generate --first-user A --users N`, whose user ids are global), fits ALS(implicitPrefs=True), saves the model to
OUT_DIR/spark-model (Parquet, as Spark writes it) and converts its tables to OUT_DIR/{user,item}_{factors,ids}.npy
(scale/spark_to_npy.py). Then:

    fairground import WORLD_DIR --item-factors OUT_DIR/item_factors.npy --item-ids OUT_DIR/item_ids.npy \
        --convention spark --regularization 0.1 --alpha 10 --out model.fgm
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spark_to_npy  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("worlds", nargs="+")
parser.add_argument("--out", required=True)
parser.add_argument("--rank", type=int, default=8)
parser.add_argument("--iterations", type=int, default=10)
parser.add_argument("--regularization", type=float, default=0.1)
parser.add_argument("--alpha", type=float, default=10.0)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--master", default="local[2]")
args = parser.parse_args()

from pyspark.ml.recommendation import ALS  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

spark = (SparkSession.builder.master(args.master).appName("fairground-spark-train")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
ratings = (spark.read.csv([os.path.join(w, "interactions.csv") for w in args.worlds], header=True, inferSchema=True)
           .select(F.col("user_id").cast("int"), F.col("item_id").cast("int"), F.col("weight").cast("float")))
als = ALS(rank=args.rank, maxIter=args.iterations, regParam=args.regularization, alpha=args.alpha,
          implicitPrefs=True, userCol="user_id", itemCol="item_id", ratingCol="weight", seed=args.seed,
          nonnegative=False)
model = als.fit(ratings)
os.makedirs(args.out, exist_ok=True)
path = os.path.join(args.out, "spark-model")
model.write().overwrite().save(path)
spark.stop()
for name, sub in (("user", "userFactors"), ("item", "itemFactors")):
    rows, k = spark_to_npy.convert(os.path.join(path, sub), name, args.out)
    print(f"{name}: {rows} rows × {k} factors")
