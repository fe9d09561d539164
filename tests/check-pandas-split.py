#!/usr/bin/env python3
"""The workshop's split done by pandas and NumPy, as the notebook does it,
against `personalize-workshop-cli prepare` on generated data with many
timestamp ties (TAP). Skips when pandas is not installed."""
import os
import random
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import pandas as pd
except ImportError:
    if os.environ.get('PW_TESTS_REQUIRE_ALL'):
        print('1..1\nnot ok 1 - python3-pandas is not installed (build-aux/install-deps.sh installs it)')
        sys.exit(1)
    print('1..0 # SKIP python3-pandas is not installed')
    sys.exit(0)

cli = sys.argv[1]
work = tempfile.mkdtemp()


def workshop_split(df, seed, warm_fraction, holdout):
    unique_items = df.ITEM_ID.unique()
    shuffled = np.random.RandomState(seed).permutation(unique_items)
    n_cold = int(np.floor(len(shuffled) * (1 - warm_fraction) + 1e-9))
    warm_items = shuffled[n_cold:]
    warm = df[df.ITEM_ID.isin(warm_items)].copy()
    cold = df[~df.ITEM_ID.isin(warm_items)]
    warm['rank'] = warm.groupby('USER_ID').TIMESTAMP.rank(pct=True, method='first')
    return (warm[warm['rank'] <= 1 - holdout], warm[warm['rank'] > 1 - holdout], cold)


def keys(df):
    return list(zip(df.USER_ID.astype(str), df.ITEM_ID.astype(str), df.TIMESTAMP.astype(str)))


def generate(rng, n_users, n_items, string_ids):
    rows = []
    for u in range(n_users):
        for _ in range(rng.randint(3, 60)):
            item = rng.randint(1, n_items)
            user = f'user-{u}' if string_ids else str(u + 1)
            item = f'item-{item}' if string_ids else str(item)
            rows.append((user, item, rng.randint(1, 5), 978300000 + rng.randint(0, 40)))
    rng.shuffle(rows)
    return rows


cases = [
    ('csv', 42, 0.5, 0.1, True),
    ('csv', 7, 0.3, 0.2, True),
    ('ml-1m', 42, 0.5, 0.1, False),
    ('ml-1m', 1234, 0.75, 0.05, False),
]
print(f'1..{len(cases)}')
failed = False
rng = random.Random(5)
for n, (source, seed, warm_fraction, holdout, string_ids) in enumerate(cases, 1):
    rows = generate(rng, 300, 500, string_ids)
    case = os.path.join(work, str(n))
    os.makedirs(case)
    if source == 'csv':
        path = os.path.join(case, 'in.csv')
        with open(path, 'w') as f:
            f.write('USER_ID,ITEM_ID,EVENT_VALUE,TIMESTAMP,EVENT_TYPE\n')
            for u, i, v, t in rows:
                f.write(f'{u},{i},{v},{t},RATING\n')
        df = pd.read_csv(path, dtype={'USER_ID': str, 'ITEM_ID': str})
        args = ['--source', 'csv', '--input', path]
    else:
        os.makedirs(os.path.join(case, 'ml-1m'))
        with open(os.path.join(case, 'ml-1m', 'ratings.dat'), 'w') as f:
            for u, i, v, t in rows:
                f.write(f'{u}::{i}::{v}::{t}\n')
        with open(os.path.join(case, 'ml-1m', 'movies.dat'), 'w', encoding='latin-1') as f:
            for i in range(1, 501):
                f.write(f'{i}::Film {i} (1999)::Drama\n')
        df = pd.read_csv(os.path.join(case, 'ml-1m', 'ratings.dat'), sep='::', engine='python',
                         header=None, names=['USER_ID', 'ITEM_ID', 'EVENT_VALUE', 'TIMESTAMP'])
        args = ['--source', 'ml-1m', '--input', case]
    out = os.path.join(case, 'out')
    subprocess.run([cli, 'prepare', *args, '--out', out, '--seed', str(seed),
                    '--warm-fraction', str(warm_fraction), '--holdout-fraction', str(holdout), '-q'],
                   check=True, stdout=subprocess.DEVNULL)
    train, valid, cold = workshop_split(df, seed, warm_fraction, holdout)
    ours = {name: pd.read_csv(os.path.join(out, f'{name}_interaction.csv'), dtype={'USER_ID': str, 'ITEM_ID': str})
            for name in ('training', 'validation', 'coldstart')}
    same = (keys(ours['training']) == keys(train) and keys(ours['validation']) == keys(valid)
            and keys(ours['coldstart']) == keys(cold))
    label = f'{source} seed {seed} warm {warm_fraction} holdout {holdout}: {len(train)} training, {len(valid)} validation rows'
    if same:
        print(f'ok {n} - {label}')
    else:
        print(f'not ok {n} - {label} differ from pandas ({len(ours["training"])}, {len(ours["validation"])})')
        failed = True
sys.exit(1 if failed else 0)
