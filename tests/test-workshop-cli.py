#!/usr/bin/python3
"""personalize-workshop-cli run-all / cleanup / status against the local
engine, end to end on small synthetic data; then kill -9 during an import
and during training, resume, and count what exists with list calls to
personalize-local started on the same data folder: nothing orphaned,
nothing duplicated. TAP output.

Usage: test-workshop-cli.py PERSONALIZE_WORKSHOP_CLI PERSONALIZE_LOCAL
"""
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.config

cli, local_binary = sys.argv[1], sys.argv[2]
n = 0
failed = 0
SMALL = ["--synthetic-users", "300", "--synthetic-items", "200", "--synthetic-ratings", "20000"]
PREFIX = "pw-workshop-"


def check(cond, what):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, what))
    sys.stdout.flush()
    if not cond:
        failed += 1


tmp = tempfile.mkdtemp(prefix="test-workshop-cli-")
env = dict(os.environ)
env.update({"HOME": tmp, "XDG_DATA_HOME": os.path.join(tmp, "xdg"), "XDG_RUNTIME_DIR": os.path.join(tmp, "run"),
            "LC_ALL": "C.UTF-8", "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"})
os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
local_data = os.path.join(env["XDG_DATA_HOME"], "personalize-workshop", "local")


def run(*args, timeout=300):
    return subprocess.run([cli] + list(args), env=env, capture_output=True, text=True, timeout=timeout)


def load(state):
    with open(state) as f:
        return json.load(f)


class Local:
    """personalize-local on the workshop's data folder, for counting."""

    def __enter__(self):
        self.log = open(os.path.join(tmp, "local.log"), "a+")
        start = self.log.tell()
        self.proc = subprocess.Popen([local_binary, "--data-dir", local_data], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env)
        for _ in range(200):
            self.log.seek(start)
            for line in self.log.read().splitlines():
                if line.startswith("endpoint="):
                    endpoint = line[len("endpoint="):]
                    session = boto3.session.Session(
                        aws_access_key_id=self.key("aws_access_key_id"),
                        aws_secret_access_key=self.key("aws_secret_access_key"), region_name="us-east-1")
                    cfg = botocore.config.Config(retries={"max_attempts": 2})
                    self.p = session.client("personalize", endpoint_url=endpoint, config=cfg)
                    self.s3 = session.client("s3", endpoint_url=endpoint, config=cfg)
                    return self
            time.sleep(0.05)
        raise RuntimeError("personalize-local did not start")

    def key(self, name):
        with open(os.path.join(local_data, "credentials")) as f:
            for line in f:
                if line.split("=")[0].strip() == name:
                    return line.split("=", 1)[1].strip()
        raise RuntimeError("no " + name)

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait()

    def count(self, suffix):
        """What exists with the workshop's names for @suffix."""
        out = {"dsg": 0, "schemas": 0, "datasets": 0, "imports": 0, "solutions": 0, "versions": 0,
               "campaigns": 0, "bucket": 0}
        groups = [g for g in self.p.list_dataset_groups()["datasetGroups"] if g["name"].endswith(suffix)]
        out["dsg"] = len(groups)
        out["schemas"] = len([s for s in self.p.list_schemas()["schemas"] if s["name"].endswith(suffix)])
        for g in groups:
            ds = self.p.list_datasets(datasetGroupArn=g["datasetGroupArn"])["datasets"]
            out["datasets"] += len(ds)
            for d in ds:
                out["imports"] += len(self.p.list_dataset_import_jobs(datasetArn=d["datasetArn"])["datasetImportJobs"])
            sols = self.p.list_solutions(datasetGroupArn=g["datasetGroupArn"])["solutions"]
            out["solutions"] += len(sols)
            for s in sols:
                out["versions"] += len(self.p.list_solution_versions(solutionArn=s["solutionArn"])["solutionVersions"])
                out["campaigns"] += len(self.p.list_campaigns(solutionArn=s["solutionArn"])["campaigns"])
        try:
            self.s3.head_bucket(Bucket=PREFIX + suffix)
            out["bucket"] = 1
        except Exception:
            pass
        return out

    def prefixed(self):
        names = [g["name"] for g in self.p.list_dataset_groups()["datasetGroups"]]
        names += [s["name"] for s in self.p.list_schemas()["schemas"]]
        names += [c["name"] for c in self.p.list_campaigns()["campaigns"]]
        return [x for x in names if x.startswith(PREFIX)]


def live(state):
    return [r for r in load(state)["resources"] if r["status"] != "deleted"]


print("1..30")

# --- run-all end to end -------------------------------------------------
state = os.path.join(tmp, "a", "workshop.json")
t0 = time.time()
r = run("run-all", "--state", state, "--local-step-ms", "20", *SMALL)
elapsed = time.time() - t0
check(r.returncode == 0, "run-all succeeds on synthetic data (%.1f s)" % elapsed)
if r.returncode != 0:
    print("# " + r.stderr.replace("\n", "\n# "))
rows = {m.group(1): [float(x) for x in m.group(2).split()]
        for m in re.finditer(r"^(aws-[a-z-]+)\s+((?:[0-9.]+\s*){8})$", r.stdout, re.M)}
check(set(rows) == {"aws-user-personalization", "aws-popularity-count", "aws-similar-items",
                    "aws-personalized-ranking"}, "the metrics table has the four recipes")
check(all(0 <= v <= 1 for vs in rows.values() for v in vs) and len(rows) == 4,
      "every metric is between 0 and 1")
check(rows.get("aws-user-personalization", [0] * 8)[3] > rows.get("aws-popularity-count", [1] * 8)[3] * 0.9 and
      rows.get("aws-user-personalization", [0] * 8)[3] > 0.05,
      "user-personalization's NDCG@10 is plausible (> 0.05, not far below popularity)")
check(re.search(r"^Recommendations for user \S+:( \S+){10}$", r.stdout, re.M) is not None and
      re.search(r"^Items similar to item 1:( \S+){10}$", r.stdout, re.M) is not None,
      "run-all prints a user's and an item's recommendations from the campaigns")
check(not re.search(r"(Live Events|Batch Inference|Analysis).*(done|complete)", r.stdout),
      "run-all does not run the results steps and never says they are done")
check("Cleanup done: 0 resources live." in r.stdout, "run-all cleans up at the end")
s = load(state)
kinds = sorted(x["kind"] for x in s["resources"])
check(kinds.count("dataset-group") == 1 and kinds.count("schema") == 2 and kinds.count("dataset") == 2 and
      kinds.count("import-job") == 2 and kinds.count("solution") == 4 and kinds.count("solution-version") == 4 and
      kinds.count("campaign") == 2 and kinds.count("bucket") == 1 and kinds.count("object") == 2,
      "the state recorded every resource once: %s" % ",".join(kinds))
check(all(x["status"] == "deleted" for x in s["resources"]) and
      all(x.get("arn", "").startswith("arn:aws:personalize:") for x in s["resources"]
          if x["kind"] not in ("bucket", "object")),
      "the state lists nothing live, with an ARN for every Personalize resource")
text = open(state).read()
check(stat.S_IMODE(os.stat(state).st_mode) == 0o600 and "secret" not in text.lower() and
      all(re.fullmatch(r"[0-9a-f]{64}", t) for t in re.findall(r"[A-Za-z0-9/+]{40,}", text)),
      "the state file is private and holds no key or secret")
check([x for x in os.listdir(env["XDG_RUNTIME_DIR"]) if x.startswith("pw-workshop")] == [],
      "the run's local keys are removed at the end")
with Local() as loc:
    check(loc.prefixed() == [] and loc.count(s["suffix"])["bucket"] == 0,
          "list calls after cleanup find nothing with the workshop prefix")
r = run("cleanup", "--state", state)
check(r.returncode == 0 and "Nothing is left to clean up." in r.stdout, "a second cleanup says nothing is left")
r = run("status", "--state", state)
check(r.returncode == 0 and "incomplete" in r.stdout and "dataset-group" in r.stdout and
      "0 of 20 resources live" in r.stdout, "status prints the state as a table")

# --- kill -9 during the import, then resume ------------------------------


def kill_when(state, pred, extra):
    proc = subprocess.Popen([cli, "run-all", "--state", state, "--keep", "-q"] + extra + SMALL, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.time() + 120
    killed = False
    while time.time() < end and proc.poll() is None:
        try:
            if pred(load(state)):
                proc.send_signal(signal.SIGKILL)
                killed = True
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.01)
    proc.wait()
    return killed


def in_flight(kind):
    return lambda s: any(x["kind"] == kind and x["status"] in ("planned", "creating") for x in s["resources"])


state_b = os.path.join(tmp, "b", "workshop.json")
check(kill_when(state_b, in_flight("import-job"), ["--local-step-ms", "400"]),
      "run-all killed with -9 while an import job is in progress")
s = load(state_b)
check(any(x["kind"] == "import-job" for x in s["resources"]), "the state recorded the import job before the kill")
r = run("run-all", "--state", state_b, "--keep", "--local-step-ms", "20", *SMALL)
check(r.returncode == 0, "run-all resumes from the state file")
if r.returncode != 0:
    print("# " + r.stderr.replace("\n", "\n# "))
s = load(state_b)
with Local() as loc:
    c = loc.count(s["suffix"])
check(c == {"dsg": 1, "schemas": 2, "datasets": 2, "imports": 2, "solutions": 4, "versions": 4, "campaigns": 2,
            "bucket": 1}, "after the resume each resource exists once: %s" % c)
arns = [x["arn"] for x in s["resources"] if "arn" in x]
check(len(arns) == len(set(arns)) and len(live(state_b)) == 20,
      "the state lists each of the 20 resources once, all live")

# --- kill -9 during training, then resume --------------------------------
state_c = os.path.join(tmp, "c", "workshop.json")
check(kill_when(state_c, in_flight("solution-version"), ["--local-step-ms", "400"]),
      "run-all killed with -9 while a solution version trains")
r = run("run-all", "--state", state_c, "--keep", "--local-step-ms", "20", *SMALL)
check(r.returncode == 0, "run-all resumes the training")
if r.returncode != 0:
    print("# " + r.stderr.replace("\n", "\n# "))
s_c = load(state_c)
with Local() as loc:
    c = loc.count(s_c["suffix"])
check(c == {"dsg": 1, "schemas": 2, "datasets": 2, "imports": 2, "solutions": 4, "versions": 4, "campaigns": 2,
            "bucket": 1}, "after the training resume each resource exists once: %s" % c)
check(len(live(state_c)) == 20, "the state lists the 20 resources live")
check([x for x in os.listdir(env["XDG_RUNTIME_DIR"]) if x.startswith("pw-workshop")] == [],
      "the keys of the killed runs' servers are removed by the next run")

# --- cleanup of both, from the state files only ---------------------------
r = run("cleanup", "--state", state_b)
check(r.returncode == 0 and "Cleanup done: 0 resources live." in r.stdout, "cleanup deletes the first resumed run")
r = run("cleanup", "--state", state_c)
check(r.returncode == 0 and live(state_c) == [], "cleanup deletes the second resumed run")
with Local() as loc:
    check(loc.prefixed() == [] and loc.count(s["suffix"])["bucket"] == 0 and loc.count(s_c["suffix"])["bucket"] == 0,
          "nothing with the workshop prefix is left in the local engine")
r = run("cleanup", "--state", state_c)
check("Nothing is left to clean up." in r.stdout, "and a second cleanup says so")

# --- usage errors -----------------------------------------------------------
r = run("run-all", "--backend", "gcp")
check(r.returncode == 2 and "--backend" in r.stderr, "a bad --backend is a usage error")
r = run("status", "--state", os.path.join(tmp, "none.json"))
check(r.returncode == 0 and "(no resources)" in r.stdout, "status of a new state file lists no resources")

if failed == 0:
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failed else 0)
