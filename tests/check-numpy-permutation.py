#!/usr/bin/env python3
"""Compares pw_numpy_permutation() with NumPy's legacy RandomState on longer
vectors and other seeds (TAP). Skips when NumPy is not installed."""
import os
import subprocess
import sys

try:
    import numpy as np
except ImportError:
    if os.environ.get('PW_TESTS_REQUIRE_ALL'):
        print('1..1\nnot ok 1 - python3-numpy is not installed (build-aux/install-deps.sh installs it)')
        sys.exit(1)
    print('1..0 # SKIP python3-numpy is not installed')
    sys.exit(0)

tool = sys.argv[1]
cases = [(42, 10), (42, 20), (42, 3706), (0, 1), (1, 2), (2**32 - 1, 5000),
         (123456789, 65537), (42, 1000209), (7, 0)]
print(f'1..{len(cases)}')
failed = False
for n, (seed, size) in enumerate(cases, 1):
    out = subprocess.run([tool, str(seed), str(size)], capture_output=True, text=True, check=True).stdout
    ours = [int(x) for x in out.split()]
    theirs = np.random.RandomState(seed).permutation(size).tolist()
    if ours == theirs:
        print(f'ok {n} - RandomState({seed}).permutation({size})')
    else:
        first = next(i for i, (a, b) in enumerate(zip(ours + [-1], theirs + [-1])) if a != b)
        print(f'not ok {n} - RandomState({seed}).permutation({size}) differs at {first}')
        failed = True
sys.exit(1 if failed else 0)
