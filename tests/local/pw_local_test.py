"""pw_local_test: what the personalize-local Python tests share.

TAP output (check, done), starting the server and reading its endpoint,
boto3 clients on the credentials the server wrote into its data folder
(nothing of the user's is read), and waiting for a resource's status.
Imported by the tests next to it (their folder is on sys.path).
"""
import os
import subprocess
import sys
import time

import boto3
import botocore.config

_count = 0
_failed = 0


def check(cond, what):
    """One TAP line: ok or not ok, numbered."""
    global _count, _failed
    _count += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", _count, what))
    sys.stdout.flush()
    if not cond:
        _failed += 1


def done():
    """Prints the TAP plan; returns the exit status (1 if a check failed)."""
    print("1..%d" % _count)
    return 1 if _failed else 0


def start_server(binary, data, step_ms=50, timeout=20):
    """Starts personalize-local on the folder @data, its output appended to
    @data.log, and waits for its endpoint= line. Returns (process, endpoint)."""
    log = open(data + ".log", "a+")
    start = log.tell()
    proc = subprocess.Popen([binary, "--data-dir", data, "--step-ms", str(step_ms)],
                            stdout=log, stderr=subprocess.STDOUT)
    end = time.time() + timeout
    while time.time() < end:
        log.seek(start)
        for line in log.read().splitlines():
            if line.startswith("endpoint="):
                return proc, line[len("endpoint="):]
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError("no endpoint")


def session(data):
    """A boto3 session on the credentials and config the server wrote into @data."""
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(data, "credentials")
    os.environ["AWS_CONFIG_FILE"] = os.path.join(data, "config")
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    return boto3.session.Session()


def clients(sess, endpoint, names, retries=None, **config):
    """{name: client} for the services @names at @endpoint; one attempt each
    unless @retries says otherwise (a retry would hide the first answer)."""
    cfg = botocore.config.Config(retries=retries or {"max_attempts": 1}, **config)
    return {name: sess.client(name, endpoint_url=endpoint, config=cfg) for name in names}


def wait(fn, key, want="ACTIVE", limit=120, until=None):
    """Polls fn()[key]["status"] until it is @want (or, unless @until is
    given, a FAILED status) or @limit seconds passed; returns the last status."""
    end = time.time() + limit
    status = None
    while time.time() < end:
        status = fn()[key]["status"]
        if status == want or (until is None and "FAILED" in status):
            return status
        time.sleep(0.05)
    return status
