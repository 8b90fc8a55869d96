"""Convert a saved Spark MLlib ALS model's factor tables (Parquet: id int32, features list<float>; part files,
rows in any order) to the .npy files `fairground import` reads: <name>_factors.npy (float32, rows × k) and
<name>_ids.npy (int32), for name in user, item.

    python3 scale/spark_to_npy.py SPARK_MODEL_DIR OUT_DIR

SPARK_MODEL_DIR is what `ALSModel.save(path)` wrote (it holds userFactors/ and itemFactors/).
"""
import os
import sys

import numpy as np
import pyarrow.parquet as pq


def convert(table_dir, name, out):
    table = pq.read_table(table_dir)
    ids = np.asarray(table.column("id").to_pylist(), dtype=np.int32)
    features = np.asarray(table.column("features").to_pylist(), dtype=np.float32)
    if features.ndim != 2:
        raise SystemExit(f"{table_dir}: features are not a rectangular float table")
    np.save(os.path.join(out, f"{name}_factors.npy"), np.ascontiguousarray(features))
    np.save(os.path.join(out, f"{name}_ids.npy"), ids)
    return len(ids), features.shape[1]


if __name__ == "__main__":
    model, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name, sub in (("user", "userFactors"), ("item", "itemFactors")):
        rows, k = convert(os.path.join(model, sub), name, out)
        print(f"{name}: {rows} rows × {k} factors")
