"""Clopper–Pearson bounds computed once with scipy (1.17.1) for ClopperPearsonTests: run from this directory
   python3 make_clopper_pearson.py > clopper_pearson.json
Lower one-sided bound at level L: beta.ppf(1 - L, x, n - x + 1) (0 when x = 0); upper: beta.ppf(L, x + 1, n - x)
(1 when x = n). Beta quantiles themselves are checked too."""
import json
from scipy.stats import beta

cases = [(0, 20), (1, 20), (7, 20), (19, 20), (20, 20), (45, 50), (3, 1000), (500, 1000), (997, 1000),
         (1, 1), (0, 1), (12345, 20000), (2, 200000)]
levels = [0.9, 0.95, 0.975, 0.995]
bounds = []
for x, n in cases:
    for level in levels:
        lower = 0.0 if x == 0 else float(beta.ppf(1 - level, x, n - x + 1))
        upper = 1.0 if x == n else float(beta.ppf(level, x + 1, n - x))
        bounds.append({"successes": x, "trials": n, "level": level, "lower": lower, "upper": upper})
quantiles = []
for a, b in [(2, 5), (0.5, 0.5), (1, 1), (30, 2), (0.2, 7), (1000, 3000)]:
    for p in [1e-6, 0.025, 0.3, 0.5, 0.975, 0.999999]:
        quantiles.append({"a": a, "b": b, "p": p, "quantile": float(beta.ppf(p, a, b)),
                          "cdf_at_quantile": float(beta.cdf(beta.ppf(p, a, b), a, b))})
print(json.dumps({"scipy": "1.17.1", "bounds": bounds, "beta_quantiles": quantiles}, indent=1))
