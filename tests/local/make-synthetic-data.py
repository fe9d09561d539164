#!/usr/bin/python3
"""Writes a small synthetic Personalize dataset for the personalize-local tests.

Usage: make-synthetic-data.py OUTDIR [USERS] [ITEMS] [PER_USER]

OUTDIR/interactions.csv  USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE
OUTDIR/items.csv         ITEM_ID,GENRES,CREATION_TIMESTAMP
OUTDIR/batch.json        one {"userId": ...} per line
OUTDIR/genres.json       item id -> genre

Users like one or two of five genres; items belong to one genre; popularity
is Zipf-like inside a genre. Deterministic (seeded).
"""
import json
import os
import random
import sys

GENRES = ["Thriller", "Sci-Fi", "Comedy", "Romance", "Documentary"]


def main():
    out = sys.argv[1]
    n_users = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    n_items = int(sys.argv[3]) if len(sys.argv) > 3 else 150
    per_user = int(sys.argv[4]) if len(sys.argv) > 4 else 25
    rng = random.Random(42)
    os.makedirs(out, exist_ok=True)
    genre_of = {str(i): GENRES[(i - 1) % len(GENRES)] for i in range(1, n_items + 1)}
    by_genre = {g: [i for i, gg in genre_of.items() if gg == g] for g in GENRES}
    base = 1_600_000_000
    rows = []
    for u in range(1, n_users + 1):
        liked = rng.sample(GENRES, rng.choice([1, 2]))
        seen = set()
        t = base + u * 1000
        while len(seen) < per_user:
            g = rng.choice(liked) if rng.random() < 0.9 else rng.choice(GENRES)
            items = by_genre[g]
            item = items[min(int(rng.paretovariate(1.2)) - 1, len(items) - 1)]
            if rng.random() < 0.5:
                item = rng.choice(items)
            if item in seen:
                continue
            seen.add(item)
            t += rng.randint(10, 5000)
            rows.append((str(u), item, t, "RATING", rng.choice([3, 4, 5])))
    with open(os.path.join(out, "interactions.csv"), "w") as f:
        f.write("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n")
        for r in rows:
            f.write("%s,%s,%d,%s,%d\n" % r)
    with open(os.path.join(out, "items.csv"), "w") as f:
        f.write("ITEM_ID,GENRES,CREATION_TIMESTAMP\n")
        for i, g in genre_of.items():
            f.write("%s,%s,%d\n" % (i, g, base - 86400))
    with open(os.path.join(out, "batch.json"), "w") as f:
        for u in range(1, 11):
            f.write(json.dumps({"userId": str(u)}) + "\n")
    with open(os.path.join(out, "genres.json"), "w") as f:
        json.dump(genre_of, f)


if __name__ == "__main__":
    main()
