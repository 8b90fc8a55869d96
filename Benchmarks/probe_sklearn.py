"""The inference probe of `fairground probe WORLD --factors F --attributes expecting`, done with scikit-learn:
5-fold cross-fitted StandardScaler + LogisticRegression(C = 1) scored by roc_auc_score, from the user factors and
from each user's interaction counts per category (read from the world's CSV files).

    python3 probe_sklearn.py WORLD user_factors.npy
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

start = time.time()
world, factors = sys.argv[1], sys.argv[2]
population = pd.read_csv(world + "/population.csv", usecols=["user_id", "expecting"])
labels = population["expecting"].to_numpy().astype(int)
items = pd.read_csv(world + "/items.csv")
interactions = pd.read_csv(world + "/interactions.csv")
category = items["category"].astype("category")
codes = category.cat.codes.to_numpy()[interactions["item_id"].to_numpy()]
counts = np.zeros((len(labels), len(category.cat.categories)))
np.add.at(counts, (interactions["user_id"].to_numpy() - population["user_id"].iloc[0], codes), 1)
user_factors = np.load(factors).astype(np.float64)
# As Fairground's probe: users whose factor rows are all zero (left out of training, e.g. opted out) hold no
# factors and are not probed, from either source.
held = np.any(user_factors != 0, axis=1)
labels = labels[held]
sources = {"user_factors": user_factors[held], "interactions": counts[held]}
result = {}
for name, x in sources.items():
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    scores = cross_val_predict(model, x, labels, cv=KFold(5, shuffle=True, random_state=0), method="predict_proba")[:, 1]
    result[name] = roc_auc_score(labels, scores)
print(json.dumps({"tool": "scikit-learn", "users": len(labels), "auc": result, "seconds": time.time() - start}))
