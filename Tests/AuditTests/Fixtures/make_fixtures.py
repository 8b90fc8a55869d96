"""Oracle fixtures for Fairground's group metrics, computed by Fairlearn and AIF360 themselves.

    python3 -m venv /tmp/fx && /tmp/fx/bin/pip install fairlearn==0.15.0 aif360==0.6.1 pandas
    /tmp/fx/bin/python Tests/AuditTests/Fixtures/make_fixtures.py > Tests/AuditTests/Fixtures/group-metrics.json

Cases: REFERENCE.md Ex. 1 and Ex. 2, plus seeded random cases (two and three groups, 40-200 rows).
"""
import json
import warnings

import numpy as np
import pandas as pd
import fairlearn
from fairlearn.metrics import (demographic_parity_difference, demographic_parity_ratio,
                               equalized_odds_difference, equalized_odds_ratio, MetricFrame,
                               selection_rate, true_positive_rate, false_positive_rate)
import aif360
from aif360.sklearn.metrics import (statistical_parity_difference, disparate_impact_ratio,
                                    equal_opportunity_difference, average_odds_difference, theil_index)

warnings.filterwarnings("ignore")


def fairlearn_values(y_true, y_pred, groups):
    out = {}
    for method in ["between_groups", "to_overall"]:
        out[f"demographic_parity_difference/{method}"] = demographic_parity_difference(
            y_true, y_pred, sensitive_features=groups, method=method)
        out[f"demographic_parity_ratio/{method}"] = demographic_parity_ratio(
            y_true, y_pred, sensitive_features=groups, method=method)
        for agg in ["worst_case", "mean"]:
            out[f"equalized_odds_difference/{method}/{agg}"] = equalized_odds_difference(
                y_true, y_pred, sensitive_features=groups, method=method, agg=agg)
            out[f"equalized_odds_ratio/{method}/{agg}"] = equalized_odds_ratio(
                y_true, y_pred, sensitive_features=groups, method=method, agg=agg)
        frame = MetricFrame(metrics=true_positive_rate, y_true=y_true, y_pred=y_pred, sensitive_features=groups)
        out[f"equal_opportunity_difference/{method}"] = frame.difference(method=method)
        out[f"equal_opportunity_ratio/{method}"] = frame.ratio(method=method)
    frame = MetricFrame(metrics={"selection_rate": selection_rate, "tpr": true_positive_rate,
                                 "fpr": false_positive_rate},
                        y_true=y_true, y_pred=y_pred, sensitive_features=groups)
    by_group = frame.by_group
    out["by_group"] = {str(g): {m: float(by_group.loc[g, m]) for m in by_group.columns} for g in by_group.index}
    return {k: (v if isinstance(v, dict) else float(v)) for k, v in out.items()}


def aif360_values(y_true, y_pred, groups, privileged):
    index = pd.MultiIndex.from_arrays([list(groups)], names=["attr"])
    yt = pd.Series(y_true, index=index)
    yp = np.asarray(y_pred)
    kw = dict(prot_attr="attr", priv_group=privileged, pos_label=1)
    return {
        "statistical_parity_difference": float(statistical_parity_difference(yt, yp, **kw)),
        "disparate_impact_ratio": float(disparate_impact_ratio(yt, yp, **kw)),
        "equal_opportunity_difference": float(equal_opportunity_difference(yt, yp, **kw)),
        "average_odds_difference": float(average_odds_difference(yt, yp, **kw)),
        "theil_index": float(theil_index(yp - np.asarray(y_true) + 1)),
    }


def case(name, groups, y_true, y_pred, privileged):
    return {"name": name, "groups": [str(g) for g in groups], "y_true": [int(v) for v in y_true],
            "y_pred": [int(v) for v in y_pred], "privileged": str(privileged),
            "fairlearn": fairlearn_values(np.asarray(y_true), np.asarray(y_pred), np.asarray([str(g) for g in groups])),
            "aif360": aif360_values(y_true, y_pred, [str(g) for g in groups], str(privileged))}


cases = [
    case("REFERENCE Ex. 1", [1] * 6 + [0] * 6, [1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0],
         [1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0], 1),
    case("REFERENCE Ex. 2", list("XXXXYYYYZZZZ"), [1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0],
         [1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0], "X"),
]
rng = np.random.default_rng(20261129)
for i, (n, levels) in enumerate([(40, ["a", "b"]), (120, ["a", "b", "c"]), (200, ["f", "m"]), (90, ["p", "q", "r"])]):
    groups = rng.choice(levels, size=n, p=None)
    y_true = rng.integers(0, 2, size=n)
    y_pred = (rng.random(n) < np.where(groups == levels[0], 0.6, 0.35)).astype(int)
    cases.append(case(f"random {i + 1}", groups, y_true, y_pred, levels[0]))

print(json.dumps({"fairlearn": fairlearn.__version__, "aif360": aif360.__version__, "cases": cases}, indent=1))
