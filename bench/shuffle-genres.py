#!/usr/bin/env python3
"""Writes a copy of a folder that `prepare` wrote whose genres are not
planted: every item's GENRE is shuffled among items of similar popularity
(bins of BIN items in order of training popularity; items without training
interactions shuffled among themselves), so that a genre says nothing about
who watched an item together with what, while each genre keeps its size and
its popularity profile. The interaction files are copied unchanged.

    bench/shuffle-genres.py DIR OUT [--bin 25] [--seed 1]

Then: _build/bench/bench-live OUT, or `evaluate --data OUT`.
"""
import argparse
import csv
import os
import random
import shutil
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('dir')
    parser.add_argument('out')
    parser.add_argument('--bin', type=int, default=25)
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()
    if args.bin < 2:
        sys.exit('--bin must be at least 2')
    if os.path.abspath(args.dir) == os.path.abspath(args.out):
        sys.exit('OUT must not be DIR')

    items_path = os.path.join(args.dir, 'training_item.csv')
    train_path = os.path.join(args.dir, 'training_interaction.csv')
    for path in (items_path, train_path):
        if not os.path.exists(path):
            sys.exit(f'{path} is missing: give a folder that prepare wrote')

    users_of = {}
    with open(train_path, newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f):
            users_of.setdefault(row['ITEM_ID'], set()).add(row['USER_ID'])

    with open(items_path, newline='', encoding='utf-8') as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        items = list(reader)
    if 'GENRE' not in fields:
        sys.exit(f'{items_path} has no GENRE column')

    rng = random.Random(args.seed)
    pop = {r['ITEM_ID']: len(users_of.get(r['ITEM_ID'], ())) for r in items}
    warm = sorted((r for r in items if pop[r['ITEM_ID']] > 0), key=lambda r: (-pop[r['ITEM_ID']], r['ITEM_ID']))
    cold = [r for r in items if pop[r['ITEM_ID']] == 0]
    new_genre = {}
    for group in (warm, cold):
        for start in range(0, len(group), args.bin):
            chunk = group[start:start + args.bin]
            genres = [r['GENRE'] for r in chunk]
            rng.shuffle(genres)
            for r, g in zip(chunk, genres):
                new_genre[r['ITEM_ID']] = g

    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(args.dir):
        src = os.path.join(args.dir, name)
        if name.endswith('.csv') and name not in ('training_item.csv', 'catalog.csv') and os.path.isfile(src):
            shutil.copyfile(src, os.path.join(args.out, name))
    for name in ('training_item.csv', 'catalog.csv'):
        src = os.path.join(args.dir, name)
        if not os.path.exists(src):
            continue
        with open(src, newline='', encoding='utf-8') as f:
            reader = csv.DictReader(f)
            out_fields = reader.fieldnames
            rows = list(reader)
        tmp = os.path.join(args.out, name + '.tmp')
        with open(tmp, 'w', newline='', encoding='utf-8') as f:
            writer = csv.DictWriter(f, fieldnames=out_fields, lineterminator='\n')
            writer.writeheader()
            for r in rows:
                if 'GENRE' in r and r['ITEM_ID'] in new_genre:
                    r['GENRE'] = new_genre[r['ITEM_ID']]
                writer.writerow(r)
        os.replace(tmp, os.path.join(args.out, name))
    print(f'{args.out}: genres of {len(warm)} warm and {len(cold)} cold items shuffled in bins of {args.bin}')


if __name__ == '__main__':
    main()
