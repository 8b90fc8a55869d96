"""Oracle for InferenceProbe: cross-fitted L2 logistic regression scored by AUC, computed by scikit-learn.

    pip install scikit-learn numpy && python3 make_probe_fixture.py > probe.json

For each case: features (n x d), 0/1 labels and the fold of each row are written with scikit-learn's
out-of-fold probabilities and their roc_auc_score. Each fold standardises by its training rows (StandardScaler)
and fits LogisticRegression(C = 1 / lambda), whose intercept is not penalised -- the objective InferenceProbe
minimises. The Swift test reuses the same folds.
"""
import json

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def case(name, n, d, signal, lam, folds, seed):
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(n, d)) * rng.uniform(0.05, 3, size=d)).round(8)  # unequal scales, as factors have
    w = np.zeros(d)
    w[: max(1, d // 2)] = signal
    p = 1 / (1 + np.exp(-(x / x.std(axis=0)) @ w + 1.0))
    y = (rng.uniform(size=n) < p).astype(int)
    fold = rng.permutation(np.arange(n) % folds)
    scores = np.zeros(n)
    for f in range(folds):
        train, test = fold != f, fold == f
        model = make_pipeline(StandardScaler(),
                              LogisticRegression(C=1 / lam, tol=1e-12, max_iter=100000))
        model.fit(x[train], y[train])
        scores[test] = model.predict_proba(x[test])[:, 1]
    return {"name": name, "regularization": lam, "folds": folds, "features": x.tolist(),
            "labels": y.tolist(), "fold": fold.tolist(), "scores": scores.tolist(),
            "auc": roc_auc_score(y, scores)}


cases = [
    case("revealing", 400, 6, 1.2, 1.0, 5, 1),
    case("weak", 300, 4, 0.15, 1.0, 5, 2),
    case("nothing", 300, 3, 0.0, 4.0, 3, 3),
    case("strong, small penalty", 250, 8, 2.5, 0.1, 4, 4),
]
print(json.dumps({"library": "scikit-learn " + sklearn.__version__, "cases": cases}))
