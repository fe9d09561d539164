#!/usr/bin/python3
"""bench-workshop.py: wall-clock time of `personalize-workshop-cli run-all`
against the embedded local engine, whole and per step, on the default
(ML-1M-sized) synthetic data and, when a folder is given, on MovieLens
100K. The goal is under a minute each. Not a test: run it by hand,

  bench/bench-workshop.py _build/src/cli/personalize-workshop-cli [--ml-100k DIR] [--runs N]

DIR is an extracted ml-100k folder (u.data, u.item); MovieLens is never
committed nor downloaded here. Every run uses a fresh temporary HOME and
data folder, and cleans up at the end (the cleanup is timed too).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

STEPS = ("Backend & Credentials", "Data", "Dataset Group", "Training", "Campaigns", "Cleanup")


def run_all(cli, extra):
    tmp = tempfile.mkdtemp(prefix="bench-workshop-")
    env = dict(os.environ)
    env.update({"HOME": tmp, "XDG_DATA_HOME": os.path.join(tmp, "xdg"), "XDG_RUNTIME_DIR": os.path.join(tmp, "run"),
                "LC_ALL": "C.UTF-8"})
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
    marks = []
    t0 = time.monotonic()
    proc = subprocess.Popen([cli, "run-all", "--state", os.path.join(tmp, "workshop.json")] + extra, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        line = line.rstrip("\n")
        for step in STEPS:
            if line == step or line.startswith(step + ":"):
                marks.append((step, time.monotonic() - t0))
    out = proc.stdout.read()
    proc.wait()
    total = time.monotonic() - t0
    shutil.rmtree(tmp, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit("run-all failed (%d)" % proc.returncode)
    per_step = {}
    for i, (step, start) in enumerate(marks):
        end = marks[i + 1][1] if i + 1 < len(marks) else total
        per_step[step] = end - start
    metrics = re.findall(r"^(aws-[a-z-]+)\s+(.*)$", out, re.M)
    return total, per_step, metrics


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    cli = args.pop(0)
    ml100k = None
    runs = 1
    while args:
        a = args.pop(0)
        if a == "--ml-100k":
            ml100k = args.pop(0)
        elif a == "--runs":
            runs = int(args.pop(0))
        else:
            raise SystemExit("unknown argument " + a)
    cases = [("synthetic (ML-1M sized)", [])]
    if ml100k is not None:
        cases.append(("ml-100k", ["--source", "ml-100k", "--input", ml100k]))
    for name, extra in cases:
        for r in range(runs):
            total, per_step, metrics = run_all(cli, extra)
            print("%s, run %d: %.1f s total%s" % (name, r + 1, total, "" if total < 60 else "  (over a minute)"))
            for step in STEPS:
                if step in per_step:
                    print("  %-24s %6.1f s" % (step, per_step[step]))
            for recipe, values in metrics:
                print("  %-26s %s" % (recipe, values))


if __name__ == "__main__":
    main()
