#!/usr/bin/python3
"""make-browsing-split.py: a workshop-format split (training_interaction.csv,
training_item.csv, validation_interaction.csv) from invented data whose order
comes partly from browsing a list, as MovieLens users rated what the site's
pages showed them next. Used to check the engine's sequential part on data
with a directional order (bench-engine's PW_ML1M_SPLIT hook, or `evaluate`).

  make-browsing-split.py OUT_DIR [--browse P] [--seed N]

--browse P: the chance that the next interaction is the next unseen item of
the presentation list after the current one (0 = order carries nothing).
Made-up data; not MovieLens.
"""
import argparse

import numpy as np

from split_files import write_split

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--browse", type=float, default=0.4)
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--users", type=int, default=6040)
ap.add_argument("--items", type=int, default=1850)
a = ap.parse_args()
rng = np.random.default_rng(a.seed)
GENRES = ["Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
          "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"]
n_items, n_clusters = a.items, 60
cluster = rng.integers(0, n_clusters, n_items)
cl_genre = rng.integers(0, len(GENRES), n_clusters)
pop = 1.0 / (1.0 + rng.random(n_items) * 60.0) ** 1.3
# the site's list: by genre page, most popular first, with some noise
order = np.lexsort((-(pop * np.exp(rng.normal(0, 0.5, n_items))), cl_genre[cluster]))
pos = np.empty(n_items, int)
pos[order] = np.arange(n_items)
members = [np.flatnonzero(cluster == c) for c in range(n_clusters)]
members_p = [pop[m] / pop[m].sum() for m in members]
gpop = pop / pop.sum()

rows = []
t0 = 956703932
for u in range(a.users):
    n = int(min(n_items // 2, 18 + np.exp(rng.normal(3.3, 1.0))))
    tastes = rng.integers(0, n_clusters, 1 + rng.integers(0, 3))
    seen = set()
    seq = []
    cur = -1
    t = t0 + int(rng.integers(0, 86400 * 300))
    while len(seq) < n:
        item = -1
        if cur >= 0 and rng.random() < a.browse:
            p = pos[cur]
            for step in range(1, 40):
                if p + step >= n_items:
                    break
                c = order[p + step]
                if c not in seen and rng.random() < 0.6:
                    item = c
                    break
        if item < 0:
            if rng.random() < 0.15:
                item = int(rng.choice(n_items, p=gpop))
            else:
                k = int(rng.choice(tastes))
                item = int(rng.choice(members[k], p=members_p[k]))
        if item in seen:
            continue
        seen.add(item)
        seq.append(item)
        cur = item
    for item in seq:
        t += int(rng.integers(1, 60)) if rng.random() < 0.97 else int(rng.integers(86400, 86400 * 30))
        rows.append((u + 1, item + 1, int(rng.integers(1, 6)), t))

write_split(a.out, rows,
            [(i + 1, GENRES[cl_genre[cluster[i]]] if i < n_items else GENRES[i % len(GENRES)])
             for i in range(n_items * 2)])
