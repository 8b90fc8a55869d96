"""Fairground's whole pipeline as one Spark job: generate a population in shards on the executors, train Spark
MLlib's implicit ALS on it, audit the trained model in shards on the executors and merge the report on the driver.
The report is byte for byte the one a single machine would write for the same world and model.

    python3 scale/spark_pipeline.py SPEC --users N --shards S --work DIR --out REPORT
        [--seed S] [--rank 8] [--iterations 10] [--regularization 0.1] [--alpha 10] [--als-seed 0]
        [--fairground PATH] [--master local[2]] [--driver-memory 4g] [--threads 1] [--audit-arg=--bootstrap --audit-arg=200 ...]
        [--policy FILE] [--no-decisions]

On a cluster (the `fairground` binary and DIR on storage every executor sees, e.g. an NFS or FUSE mount):

    spark-submit --master yarn --num-executors 50 --executor-cores 2 --executor-memory 8g \
        scale/spark_pipeline.py datasets/credit-offers.yaml --users 100000000 --shards 200 \
        --work /mnt/shared/fairground-run --fairground /mnt/shared/bin/fairground --threads 2 \
        --out /mnt/shared/fairground-run/report

(`--master` is ignored under spark-submit, whose own --master wins.) The steps, each a Spark stage:

1. generate: executor task I runs `fairground generate SPEC --first-user A --users n --out DIR/gen-I`, where
   [A, A + n) are audit shard I's users (whole blocks of 4096 ids), so each shard is generated, trained on and
   audited where it lies;
2. train: Spark ALS (implicitPrefs) on every DIR/gen-*/interactions.csv; the model is saved to DIR/spark-model and
   its item factors converted to .npy (scale/spark_to_npy.py, pyarrow) on the driver;
3. import: `fairground import DIR/gen-1 --item-factors ... --convention spark` writes DIR/model.fgm (fold-in under
   Spark's convention: c = 1 + α·r, λ·n_u);
4. score: executor task I runs `fairground audit DIR/gen-I --model DIR/model.fgm --shard I/S --world-users N`;
5. cut-offs: `fairground audit-shard cutoffs` on the driver reads a few hundred records of each scored shard;
6. tally: executor task I runs `fairground audit-shard tally` (exact per-cell sums and bootstrap replicates);
7. merge: `fairground audit-shard merge` on the driver writes REPORT (report.json, .md, .html, junit.xml, decisions.csv).

Knobs: --shards (tasks per stage; at least the executors' cores × 2, each shard at least one block of 4096 users),
--threads (threads per `fairground` process; match --executor-cores), --audit-arg (any `fairground audit` option of
the scoring step: --bootstrap, --target-share, --k, --metric, --keep, ...), and Spark's own configuration
(spark.sql.shuffle.partitions, executor memory) for the ALS stage.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spark_to_npy  # noqa: E402

BLOCK = 4096  # user ids per block: an audit shard holds whole blocks (AuditShard.block)


def shard_users(index, count, users):
    """Audit shard `index` (1-based) of `count`: the users `fairground audit --shard index/count` audits."""
    blocks = (users - 1) // BLOCK + 1
    if count > blocks:
        raise SystemExit(f"--shards {count}: at most {blocks} shards for {users} users (whole blocks of {BLOCK} ids)")
    lo, hi = (index - 1) * blocks // count, index * blocks // count
    return lo * BLOCK, min(users, hi * BLOCK)


def run(command):
    """Runs a fairground command and returns (exit status, its peak RSS in MB); a failure (status 2 and worse) fails
    the task with the command's own message."""
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            raise RuntimeError(f"{' '.join(command)} exited {code}: {err.read().decode(errors='replace').strip()}")
    return code, usage.ru_maxrss // 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec")
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--shards", type=int, required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, help="the world's seed (default: the spec's)")
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--regularization", type=float, default=0.1)
    parser.add_argument("--alpha", type=float, default=10.0)
    parser.add_argument("--als-seed", type=int, default=0)
    parser.add_argument("--fairground", default="fairground")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="4g")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--audit-arg", action="append", default=[])
    parser.add_argument("--policy")
    parser.add_argument("--no-decisions", action="store_true")
    args = parser.parse_args()

    from pyspark.ml.recommendation import ALS
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    spark = (SparkSession.builder.master(args.master).appName("fairground-pipeline")
             .config("spark.ui.enabled", "false").config("spark.driver.memory", args.driver_memory).getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    work, fg, n, s = os.path.abspath(args.work), args.fairground, args.users, args.shards
    os.makedirs(work, exist_ok=True)
    ranges = [shard_users(i, s, n) for i in range(1, s + 1)]
    threads = ["--threads", str(args.threads), "-q"]
    timings, peaks = {}, {}

    def stage(name, task):
        """Runs task(I) for every shard as Spark tasks; records the stage's seconds and its largest process."""
        start = time.time()
        peaks[name] = max(sc.parallelize(range(1, s + 1), s).map(task).collect())
        timings[name] = time.time() - start

    def driver(name, command):
        start = time.time()
        code, peaks[name] = run(command)
        timings[name] = time.time() - start
        return code

    def generate(i):
        lo, hi = ranges[i - 1]
        seed = [] if args.seed is None else ["--seed", str(args.seed)]
        return run([fg, "generate", args.spec, "--first-user", str(lo), "--users", str(hi - lo),
                    "--out", f"{work}/gen-{i}"] + seed + threads)[1]

    stage("generate", generate)

    start = time.time()
    ratings = (spark.read.csv([f"{work}/gen-{i}/interactions.csv" for i in range(1, s + 1)], header=True,
                              inferSchema=False)
               .select(F.col("user_id").cast("int"), F.col("item_id").cast("int"), F.col("weight").cast("float")))
    als = ALS(rank=args.rank, maxIter=args.iterations, regParam=args.regularization, alpha=args.alpha,
              implicitPrefs=True, userCol="user_id", itemCol="item_id", ratingCol="weight", seed=args.als_seed,
              nonnegative=False)
    model = als.fit(ratings)
    model.write().overwrite().save(f"{work}/spark-model")
    spark_to_npy.convert(f"{work}/spark-model/itemFactors", "item", work)
    timings["train"] = time.time() - start

    driver("import", [fg, "import", f"{work}/gen-1", "--item-factors", f"{work}/item_factors.npy",
                      "--item-ids", f"{work}/item_ids.npy", "--convention", "spark",
                      "--regularization", str(args.regularization), "--alpha", str(args.alpha),
                      "--out", f"{work}/model.fgm"] + threads)

    def score(i):
        return run([fg, "audit", f"{work}/gen-{i}", "--model", f"{work}/model.fgm", "--shard", f"{i}/{s}",
                    "--world-users", str(n), "--out", f"{work}/scored-{i}"] + args.audit_arg + threads)[1]

    stage("score", score)
    driver("cutoffs", [fg, "audit-shard", "cutoffs"] + [f"{work}/scored-{i}" for i in range(1, s + 1)]
           + ["--out", f"{work}/cutoffs.json", "-q"])

    def tally(i):
        return run([fg, "audit-shard", "tally", f"{work}/scored-{i}", "--cutoffs", f"{work}/cutoffs.json",
                    "--out", f"{work}/part-{i}"] + (["--no-decisions"] if args.no_decisions else []) + threads)[1]

    stage("tally", tally)
    status = driver("merge", [fg, "audit-shard", "merge"] + [f"{work}/part-{i}" for i in range(1, s + 1)]
                    + ["--out", args.out] + (["--policy", args.policy] if args.policy else [])
                    + (["--no-decisions"] if args.no_decisions else []) + threads)
    spark.stop()
    print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
    print("largest fairground process, MB: " + ", ".join(f"{k} {v}" for k, v in peaks.items()))
    print(f"wrote {args.out}/" + ("" if status == 0 else " (a policy rule is violated with evidence)"))
    sys.exit(status)


if __name__ == "__main__":
    main()
