"""Score Fairground worlds with a scikit-learn model that never sees a protected attribute.

For each offer category, a logistic regression predicts whether a customer has interacted with any of the offer's
items from their age, log income, zip region and consent flag -- the "fairness through unawareness" model of many
marketing teams. It is fitted on the factual world only, then scores every world given (the factual one and
twin worlds made with `fairground counterfactual`), writing the `user_id,offer,score` files `fairground audit
--scores/--twin-scores` reads.

    python3 notebooks-md/scripts/sklearn_offer_scores.py FACTUAL_DIR FACTUAL_DIR=scores.csv TWIN_DIR=twin.csv ...

Needs pandas and scikit-learn (pip install pandas scikit-learn).
"""
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["age", "log_income"]
CATEGORICAL = ["zip_region", "consent"]


def features(directory):
    people = pd.read_csv(Path(directory) / "population.csv")
    people["log_income"] = np.log(people["income"])
    return people


def offers(directory):
    manifest = json.loads((Path(directory) / "manifest.json").read_text())
    truth = pd.read_csv(Path(directory) / "truth.csv", nrows=1)
    return [c for c in truth.columns if c != "user_id"], manifest


def labels(directory, offer):
    items = pd.read_csv(Path(directory) / "items.csv")
    interactions = pd.read_csv(Path(directory) / "interactions.csv")
    offer_items = set(items.loc[items["category"] == offer, "item_id"])
    return set(interactions.loc[interactions["item_id"].isin(offer_items), "user_id"])


def main(argv):
    factual, targets = argv[1], [a.split("=", 1) for a in argv[2:]]
    names, _ = offers(factual)
    people = features(factual)
    models = {}
    for offer in names:
        y = people["user_id"].isin(labels(factual, offer)).astype(int)
        model = make_pipeline(
            ColumnTransformer([("num", StandardScaler(), NUMERIC), ("cat", OneHotEncoder(), CATEGORICAL)]),
            LogisticRegression(max_iter=1000))
        models[offer] = model.fit(people[NUMERIC + CATEGORICAL], y)
    for directory, out in targets:
        world = features(directory)
        frames = [pd.DataFrame({"user_id": world["user_id"], "offer": offer,
                                "score": models[offer].predict_proba(world[NUMERIC + CATEGORICAL])[:, 1]})
                  for offer in names]
        pd.concat(frames).to_csv(out, index=False, float_format="%.9g")
        print(f"wrote {out}: {len(world)} users x {len(names)} offers")


if __name__ == "__main__":
    main(sys.argv)
