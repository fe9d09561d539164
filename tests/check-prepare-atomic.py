#!/usr/bin/python3
"""prepare writes its six files all or nothing (issue 13, item 10).

The process is killed (strace injects SIGKILL into the Nth rename) at every
rename of a run, into: a fresh folder, a folder holding an earlier split
and another file, and a folder holding regular files from the older
one-by-one writer. After each kill the six names must read as one whole
set (the old one, the new one, or none at all), never a mix; the other
file must be untouched; and the next run must finish and leave no
temporary files or folders behind. TAP output.

Usage: check-prepare-atomic.py PERSONALIZE_WORKSHOP_CLI
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile

FILES = ["training_interaction.csv", "validation_interaction.csv", "coldstart_interaction.csv",
         "warm_interaction.csv", "training_item.csv", "catalog.csv"]
n = 0
failed = 0
# LeakSanitizer cannot run under ptrace (the sanitizer build runs this too).
TRACED_ENV = dict(os.environ)
TRACED_ENV["ASAN_OPTIONS"] = (os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")


def check(cond, what):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, what))
    sys.stdout.flush()
    if not cond:
        failed += 1


def read_set(folder):
    got = []
    for name in FILES:
        try:
            with open(os.path.join(folder, name), "rb") as f:
                got.append(f.read())
        except OSError:
            got.append(None)
    return got


def state(folder, sets):
    got = read_set(folder)
    if all(x is None for x in got):
        return "none"
    for label, want in sets.items():
        if got == want:
            return label
    return "mix"


def prepare(cli, csv, out, seed, kill_at=None, calls="rename,renameat,renameat2"):
    cmd = [cli, "prepare", "--source", "csv", "--input", csv, "--out", out, "--seed", str(seed), "-q"]
    if kill_at is not None:
        cmd = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=" + calls,
               "-e", "inject=%s:signal=SIGKILL:when=%d" % (calls, kill_at)] + cmd
    return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=TRACED_ENV).returncode


def leftovers(folder):
    """Anything but the six names, one set folder, its link and notes.txt."""
    names = os.listdir(folder)
    sets = [x for x in names if x.startswith(".pw-split-")]
    other = [x for x in names if x.startswith(".") and x != ".pw-split" and not x.startswith(".pw-split-")]
    return len(sets) != 1 or other


def main():
    cli = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="pw-prepare-atomic-")
    try:
        rng = random.Random(7)
        csv = os.path.join(tmp, "in.csv")
        with open(csv, "w") as f:
            f.write("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n")
            for u in range(150):
                for k in range(12):
                    f.write("u%d,i%d,%d,click\n" % (u, rng.randrange(80), 1000000 + u * 100 + k))

        # The two sets, each written once into a folder of its own.
        ref = {}
        for label, seed in (("A", 1), ("B", 2)):
            out = os.path.join(tmp, "ref-" + label)
            check(prepare(cli, csv, out, seed) == 0, "set %s is written" % label)
            ref[label] = read_set(out)
        check(ref["A"] != ref["B"] and all(x is not None for x in ref["A"] + ref["B"]),
              "the two seeds give two different whole sets")

        # How many renames a run does, from a trace (no kill).
        def count_renames(out, seed):
            trace = os.path.join(tmp, "trace")
            subprocess.run(["strace", "-f", "-qq", "-o", trace, "-e", "trace=rename,renameat,renameat2",
                            cli, "prepare", "--source", "csv", "--input", csv, "--out", out, "--seed", str(seed),
                            "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=TRACED_ENV)
            return sum(1 for line in open(trace) if "rename" in line)

        cases = []
        # 1. a fresh folder: before the switch nothing is readable.
        cases.append(("fresh folder", lambda out: None, "none"))
        # 2. a folder with set A and another file.
        cases.append(("folder with set A", lambda out: prepare(cli, csv, out, 1), "A"))

        # 3. regular files from the older writer (set A) and another file.
        def legacy(out):
            os.makedirs(out)
            for name, data in zip(FILES, ref["A"]):
                with open(os.path.join(out, name), "wb") as f:
                    f.write(data)
        cases.append(("folder with the older writer's files (set A)", legacy, "A"))

        for title, setup, before in cases:
            probe = os.path.join(tmp, "probe")
            shutil.rmtree(probe, ignore_errors=True)
            setup(probe)
            total = count_renames(probe, 2)
            print("# %s: %d renames in a run" % (title, total))
            check(total >= 1, "%s: a run renames (%d)" % (title, total))
            whole = True
            for when in range(1, total + 1):
                out = os.path.join(tmp, "kill-%d" % when)
                shutil.rmtree(out, ignore_errors=True)
                setup(out)
                os.makedirs(out, exist_ok=True)
                with open(os.path.join(out, "notes.txt"), "w") as f:
                    f.write("mine\n")
                rc = prepare(cli, csv, out, 2, kill_at=when)
                got = state(out, ref)
                print("# %s, killed at rename %d (exit %d): %s" % (title, when, rc, got))
                whole &= rc != 0 and got in (before, "B") and open(os.path.join(out, "notes.txt")).read() == "mine\n"
                # The next run finishes and cleans up.
                rc = prepare(cli, csv, out, 2)
                whole &= rc == 0 and state(out, ref) == "B" and not leftovers(out)
                whole &= open(os.path.join(out, "notes.txt")).read() == "mine\n"
                if not whole:
                    print("# listing: %s" % sorted(os.listdir(out)))
                    break
            check(whole, "%s: killed at each of the %d renames, the six files are one whole set (%s or the new "
                  "one), the other file stays, and the next run finishes without leftovers" % (title, total, before))

        # Killed after the switch, while the old set is being removed: the
        # new set is whole, and the next run removes the old folder.
        out = os.path.join(tmp, "after-switch")
        prepare(cli, csv, out, 1)
        rc = prepare(cli, csv, out, 2, kill_at=1, calls="rmdir,unlink,unlinkat")
        got = state(out, ref)
        left = leftovers(out)
        print("# killed removing the old set (exit %d): %s, leftovers %s" % (rc, got, left))
        check(rc != 0 and got == "B" and left, "killed while removing the old set: the new set is whole")
        check(prepare(cli, csv, out, 2) == 0 and state(out, ref) == "B" and not leftovers(out),
              "the next run removes the old set's folder")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
