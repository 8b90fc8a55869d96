"""Deterministic synthetic implicit-feedback matrices for the ALS benchmark.

Power-law item popularity, lognormal user activity, and taste structure (each user leans towards one of 64 item
clusters) so that a factor model has something to learn beyond popularity. Writes a Matrix Market file of
interaction counts.

    python3 als_data.py USERS ITEMS NNZ OUT.mtx [SEED]
"""
import sys

import numpy as np


def main():
    users, items, nnz = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    out = sys.argv[4]
    rng = np.random.default_rng(int(sys.argv[5]) if len(sys.argv) > 5 else 42)
    clusters = 64
    popularity = 1.0 / np.arange(1, items + 1) ** 0.9
    rng.shuffle(popularity)
    cluster = rng.integers(0, clusters, items)
    activity = rng.lognormal(0.0, 1.0, users)
    home = rng.integers(0, clusters, users)
    order = np.argsort(cluster, kind="stable")
    starts = np.searchsorted(cluster[order], np.arange(clusters + 1))
    within = popularity[order]
    global_p = popularity / popularity.sum()

    def draw(count):
        per_user = np.maximum(1, np.round(activity / activity.sum() * count)).astype(np.int64)
        per_user = np.minimum(per_user, items // 2)
        user_of_draw = np.repeat(np.arange(users), per_user)
        chosen = rng.choice(items, size=user_of_draw.size, p=global_p)
        # 60% of draws come from the user's home cluster, by popularity within it.
        own = rng.random(user_of_draw.size) < 0.6
        for c in range(clusters):
            mask = own & (home[user_of_draw] == c)
            n = int(mask.sum())
            if n:
                p = within[starts[c]:starts[c + 1]]
                chosen[mask] = rng.choice(order[starts[c]:starts[c + 1]], size=n, p=p / p.sum())
        return user_of_draw * items + chosen

    # Draw in rounds until there are at least NNZ distinct (user, item) pairs; repeats become counts.
    keys = draw(nnz)
    while np.unique(keys).size < nnz:
        keys = np.concatenate([keys, draw(max(nnz - np.unique(keys).size, nnz // 20))])
    unique, counts = np.unique(keys, return_counts=True)
    keep = np.sort(rng.permutation(unique.size)[:nnz])
    unique, counts = unique[keep], counts[keep]
    rows, cols = unique // items, unique % items
    with open(out, "w") as f:
        f.write("%%MatrixMarket matrix coordinate real general\n")
        f.write(f"% als_data.py {users} {items} {nnz}: power-law popularity, lognormal activity, 64 taste clusters\n")
        f.write(f"{users} {items} {unique.size}\n")
        np.savetxt(f, np.column_stack([rows + 1, cols + 1, counts]), fmt="%d")
    print(f"{out}: {users} x {items}, {unique.size} entries")


if __name__ == "__main__":
    main()
