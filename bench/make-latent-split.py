#!/usr/bin/python3
"""make-latent-split.py: a workshop-format split (training_interaction.csv,
training_item.csv, validation_interaction.csv) from invented data with no
planted clusters: each user and item has a continuous taste vector, item
popularity is long-tailed, users' activity is log-normal (at least 20, as in
ML-1M), and who watched what is drawn from popularity x taste. Genres are
drawn softly from each item's taste (1-3 per item, with ML-1M-like sizes),
so they say something about an item without defining its neighbours. The
order of a user's interactions is random: time carries nothing.

  make-latent-split.py OUT_DIR [--users 6040] [--items 3700] [--dim 16]
                               [--taste 0.6] [--seed 11]

Used to check the engine's choices (bench-engine --lambda OUT_DIR, bench-live
OUT_DIR, `evaluate --data OUT_DIR`) on data whose structure is not planted.
Made-up data; not MovieLens.
"""
import argparse

import numpy as np

from split_files import write_split

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--users", type=int, default=6040)
ap.add_argument("--items", type=int, default=3700)
ap.add_argument("--dim", type=int, default=16)
ap.add_argument("--taste", type=float, default=0.6, help="how much taste counts against popularity")
ap.add_argument("--seed", type=int, default=11)
a = ap.parse_args()
rng = np.random.default_rng(a.seed)

# ML-1M's genres and roughly their shares of films
GENRES = ["Drama", "Comedy", "Action", "Thriller", "Romance", "Horror", "Adventure", "Sci-Fi", "Children's",
          "Crime", "War", "Documentary", "Musical", "Mystery", "Animation", "Western", "Fantasy", "Film-Noir"]
SHARE = np.array([1603, 1200, 503, 492, 471, 343, 283, 276, 251, 211, 143, 127, 114, 106, 105, 68, 68, 44], float)

n_users, n_items, dim = a.users, a.items, a.dim
item_vec = rng.normal(0, 1, (n_items, dim)) / np.sqrt(dim) * 2.0
user_vec = rng.normal(0, 1, (n_users, dim)) / np.sqrt(dim) * 2.0
# long-tailed popularity: log-popularity from a skewed distribution
item_bias = np.log(1.0 / (1.0 + rng.random(n_items) * 80.0) ** 1.4)
activity = np.clip(np.exp(rng.normal(4.4, 0.95, n_users)), 20, n_items // 2).astype(int)

rows = []
t0 = 956703932
for u in range(n_users):
    logits = item_bias + a.taste * 4.0 * (item_vec @ user_vec[u])
    gumbel = -np.log(-np.log(rng.random(n_items)))
    chosen = np.argpartition(-(logits + gumbel), activity[u])[:activity[u]]
    rng.shuffle(chosen)
    t = t0 + int(rng.integers(0, 86400 * 300))
    for item in chosen:
        t += int(rng.integers(1, 120)) if rng.random() < 0.97 else int(rng.integers(86400, 86400 * 30))
        rows.append((u + 1, int(item) + 1, int(rng.integers(1, 6)), t))

# genres: each genre has a direction in taste space; an item takes 1-3
# genres drawn from softmax(share + its taste along those directions)
genre_vec = rng.normal(0, 1, (len(GENRES), dim)) / np.sqrt(dim) * 2.0
genre_logit = np.log(SHARE / SHARE.sum())[None, :] + 1.5 * (item_vec @ genre_vec.T)
genre_p = np.exp(genre_logit - genre_logit.max(axis=1, keepdims=True))
genre_p /= genre_p.sum(axis=1, keepdims=True)

item_genres = []
for i in range(n_items):
    n_g = 1 + int(rng.random() < 0.45) + int(rng.random() < 0.15)
    g = rng.choice(len(GENRES), size=n_g, replace=False, p=genre_p[i])
    item_genres.append((i + 1, "|".join(GENRES[k] for k in sorted(g))))
write_split(a.out, rows, item_genres)
