"""split_files.py: writes the workshop-format split that the invented-data
scripts of bench/ (make-browsing-split.py, make-latent-split.py) produce:
training_interaction.csv and validation_interaction.csv (each user's newest
10% of interactions in validation, as the workshop's pandas rank does) and
training_item.csv. Made-up data; not MovieLens.
"""
import os


def write_split(out, rows, item_genres):
    """rows: (user, item, value, timestamp) in each user's time order;
    item_genres: (item, "Genre|Genre") pairs."""
    os.makedirs(out, exist_ok=True)
    by_user = {}
    for r in rows:
        by_user.setdefault(r[0], []).append(r)
    with open(os.path.join(out, "training_interaction.csv"), "w") as tr, \
         open(os.path.join(out, "validation_interaction.csv"), "w") as va:
        for f in (tr, va):
            f.write("USER_ID,ITEM_ID,EVENT_VALUE,TIMESTAMP,EVENT_TYPE\n")
        for rs in by_user.values():
            n = len(rs)
            for k, r in enumerate(rs):
                # pandas rank(pct=True, method='first') > 0.9 goes to validation
                f = va if (k + 1) / n > 0.9 else tr
                f.write("%d,%d,%d,%d,RATING\n" % r)
    with open(os.path.join(out, "training_item.csv"), "w") as f:
        f.write("ITEM_ID,GENRE\n")
        for item, genre in item_genres:
            f.write("%d,%s\n" % (item, genre))
