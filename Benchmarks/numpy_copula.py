"""What a data scientist writes instead: a numpy/scipy Gaussian copula for the same spec.

Reads the same Fairground spec (YAML), builds the latent correlation matrix in causal order, draws
Z = U·Lᵀ with numpy, and maps each column through its marginal (thresholds on Φ for categorical and boolean
attributes, inverse CDFs — truncated where the spec truncates — for numeric ones). Prints one JSON line.

    python3 numpy_copula.py SPEC USERS
"""
import json
import resource
import sys
import time

import numpy as np
import yaml
from scipy import stats


def main():
    spec = yaml.safe_load(open(sys.argv[1]))
    n = int(sys.argv[2])
    names = list(spec["attributes"])
    order = spec.get("order", names)
    index = {name: i for i, name in enumerate(order)}
    k = len(names)
    r = np.eye(k)
    for a, b, rho in spec.get("correlations", []):
        r[index[a], index[b]] = r[index[b], index[a]] = rho

    start = time.perf_counter()
    lower = np.linalg.cholesky(r)
    rng = np.random.default_rng(spec.get("seed", 0))
    z = rng.standard_normal((n, k)) @ lower.T
    u = stats.norm.cdf(z)
    columns = {}
    for name in names:
        a = spec["attributes"][name]
        col = u[:, index[name]]
        if a["type"] == "categorical":
            cumulative = np.cumsum(list(a["levels"].values()))[:-1]
            columns[name] = np.searchsorted(cumulative, col, side="right")
        elif a["type"] == "boolean":
            columns[name] = col > 1 - a["p"]
        else:
            d = a["distribution"]
            if d == "normal":
                dist = stats.norm(a["mean"], a["sd"])
            elif d == "lognormal":
                dist = stats.lognorm(a["sigma"], scale=np.exp(a["mu"]))
            elif d == "uniform":
                dist = stats.uniform(a["min"], a["max"] - a["min"])
            else:
                dist = stats.beta(a["alpha"], a["beta"])
            lo = dist.cdf(a["min"]) if "min" in a and d != "uniform" else 0.0
            hi = dist.cdf(a["max"]) if "max" in a and d != "uniform" else 1.0
            columns[name] = dist.ppf(lo + col * (hi - lo))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"phase": "numpy-copula", "spec": spec.get("name"), "users": n,
                      "seconds": round(seconds, 3), "users_per_second": int(n / seconds),
                      "peak_rss_mb": int(peak)}))


if __name__ == "__main__":
    main()
