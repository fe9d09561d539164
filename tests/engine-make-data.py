#!/usr/bin/env python3
"""Writes a small workshop-format data folder for the engine's CLI tests:
training_interaction.csv, validation_interaction.csv, training_item.csv and
catalog.csv, as `prepare` writes them. Users like one of four genre clusters;
items 1-30 are Thriller, 31-60 Documentary, 61-90 Comedy, 91-120 Romance;
items 121-140 have metadata and no interaction (cold). Deterministic."""
import os
import random
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = random.Random(7)
genres = ['Thriller', 'Documentary', 'Comedy', 'Romance']
items = list(range(1, 141))
genre_of = {i: genres[min((i - 1) // 30, 3)] if i <= 120 else genres[(i - 121) % 4] for i in items}
rows = []
t = 978300000
for u in range(1, 201):
    taste = (u - 1) % 4
    pool = [i for i in range(1, 121) if (i - 1) // 30 == taste]
    others = [i for i in range(1, 121) if (i - 1) // 30 != taste]
    n = 12 + rng.randrange(18)
    chosen = []
    while len(chosen) < n:
        # popular items of the cluster first (lower ids more often)
        i = rng.choice(pool[:10]) if rng.random() < 0.5 else rng.choice(pool) if rng.random() < 0.9 else rng.choice(others)
        if i not in chosen:
            chosen.append(i)
    for k, i in enumerate(chosen):
        rows.append((u, i, t + u * 1000 + k * 10))
train, valid = [], []
by_user = {}
for r in rows:
    by_user.setdefault(r[0], []).append(r)
for u, rs in by_user.items():
    n = len(rs)
    for rank, r in enumerate(sorted(rs, key=lambda r: r[2]), start=1):
        (valid if rank * 10 > 9 * n else train).append(r)
with open(os.path.join(out, 'training_interaction.csv'), 'w') as f:
    f.write('USER_ID,ITEM_ID,EVENT_VALUE,TIMESTAMP,EVENT_TYPE\n')
    for u, i, ts in train:
        f.write(f'{u},{i},4,{ts},RATING\n')
with open(os.path.join(out, 'validation_interaction.csv'), 'w') as f:
    f.write('USER_ID,ITEM_ID,EVENT_VALUE,TIMESTAMP,EVENT_TYPE\n')
    for u, i, ts in valid:
        f.write(f'{u},{i},4,{ts},RATING\n')
with open(os.path.join(out, 'training_item.csv'), 'w') as f:
    f.write('ITEM_ID,GENRE\n')
    for i in items:
        f.write(f'{i},{genre_of[i]}\n')
with open(os.path.join(out, 'catalog.csv'), 'w') as f:
    f.write('ITEM_ID,TITLE,GENRE\n')
    for i in items:
        f.write(f'{i},"Film {i}, The (19{50 + i % 50})",{genre_of[i]}\n')
