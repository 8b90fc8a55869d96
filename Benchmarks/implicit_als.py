"""Trains implicit 0.7.3 ALS on a train/test split and reports seconds per iteration and ranking quality.

    python3 implicit_als.py TRAIN.mtx TEST.mtx cg|cholesky [FACTORS REGULARIZATION ALPHA]
(defaults 64, 0.05, 1: the speed comparison's settings). Prints one JSON line. Run it under /usr/bin/time -v for peak memory.
"""
import json
import sys
import time

import numpy as np
import scipy.io
from threadpoolctl import threadpool_limits


def main():
    import implicit
    from implicit.evaluation import ndcg_at_k, precision_at_k

    train = scipy.io.mmread(sys.argv[1]).tocsr().astype(np.float32)
    test = scipy.io.mmread(sys.argv[2]).tocsr().astype(np.float32)
    use_cg = sys.argv[3] == "cg"
    iterations = 15
    factors, regularization, alpha = (int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])) \
        if len(sys.argv) > 6 else (64, 0.05, 1.0)
    with threadpool_limits(1, "blas"):
        model = implicit.cpu.als.AlternatingLeastSquares(
            factors=factors, regularization=regularization, alpha=alpha, iterations=iterations, use_cg=use_cg,
            num_threads=2, random_state=0, calculate_training_loss=False)
        start = time.perf_counter()
        model.fit(train, show_progress=False)
        seconds = time.perf_counter() - start
        p = precision_at_k(model, train, test, K=10, show_progress=False, num_threads=2)
        n = ndcg_at_k(model, train, test, K=10, show_progress=False, num_threads=2)
    print(json.dumps({"tool": "implicit", "solver": sys.argv[3], "seconds_per_iteration": round(seconds / iterations, 4),
                      "precision_at_10_implicit": round(p, 4), "ndcg_at_10_implicit": round(n, 4)}))


if __name__ == "__main__":
    main()
