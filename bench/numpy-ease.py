#!/usr/bin/python3
"""A plain NumPy EASE (Steck 2019), the yardstick bench-engine times the
engine's `evaluate` against: read "user item" pairs (one per line, 0-based
indices) from FILE, then time the fit (G = XᵀX, P = (G + λI)⁻¹,
B = -P / diag(P), diag(B) = 0) and the scoring of every user (X·B, the
top 25 unseen items of each). Prints one JSON line with the wall and CPU
(all threads) seconds.

    bench/numpy-ease.py FILE LAMBDA [--float32]

Float64 unless --float32 (the usual notebook code is float64).
"""
import json
import sys
import time

import numpy as np


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: numpy-ease.py FILE LAMBDA [--float32]')
    pairs = np.loadtxt(sys.argv[1], dtype=np.int64, ndmin=2)
    lam = float(sys.argv[2])
    dtype = np.float32 if '--float32' in sys.argv[3:] else np.float64
    n_users = int(pairs[:, 0].max()) + 1
    n_items = int(pairs[:, 1].max()) + 1
    X = np.zeros((n_users, n_items), dtype=dtype)
    X[pairs[:, 0], pairs[:, 1]] = 1

    c0 = time.process_time()
    t0 = time.perf_counter()
    G = X.T @ X
    G[np.diag_indices(n_items)] += lam
    P = np.linalg.inv(G)
    B = P / (-np.diag(P))
    B[np.diag_indices(n_items)] = 0
    t_fit = time.perf_counter() - t0

    t1 = time.perf_counter()
    S = X @ B
    S[X > 0] = -np.inf
    top = np.argpartition(-S, 25, axis=1)[:, :25]
    order = np.take_along_axis(S, top, axis=1).argsort(axis=1)[:, ::-1]
    top = np.take_along_axis(top, order, axis=1)
    t_score = time.perf_counter() - t1
    cpu = time.process_time() - c0
    print(json.dumps({'users': n_users, 'items': n_items, 'fit_seconds': t_fit,
                      'score_seconds': t_score, 'seconds': t_fit + t_score, 'cpu_seconds': cpu,
                      'dtype': np.dtype(dtype).name, 'checksum': int(top[:, 0].sum())}))


if __name__ == '__main__':
    main()
