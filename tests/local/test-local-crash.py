#!/usr/bin/python3
"""personalize-local against the inputs that crashed it or left it wrong
(issue 13), through boto3 and raw signed HTTP:

- item 1: PutEvents from many never-seen users, then GetRecommendations for
  each, before and after a restart (the ninth new user crashed the server,
  and the events on disk crashed it again after a restart);
- item 2: absurd sentAt values are InvalidInputException; an import with
  an absurd TIMESTAMP fails with its reason; a job that was running when
  the server crashed is CREATE FAILED at the next start instead of
  crashing it again, and a job interrupted twice (kill -9) likewise;
- item 8: when the state write fails (its folder replaced by a file, a real
  ENOTDIR), DeleteCampaign and DeleteEventTracker answer 500 and leave the
  resource as it was, in memory too; once the disk works they go through.

TAP output. Usage: test-local-crash.py PERSONALIZE_LOCAL_BINARY
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import botocore.auth
import botocore.awsrequest
from botocore.exceptions import ClientError

from pw_local_test import check, clients, done, session, start_server, wait

HERE = os.path.dirname(os.path.abspath(__file__))


class Server:
    def __init__(self, binary, data):
        self.binary, self.data = binary, data
        self.proc = None

    def start(self, step_ms):
        self.proc, self.endpoint = start_server(self.binary, self.data, step_ms)
        return self.clients()

    def clients(self):
        self.session = session(self.data)
        # one attempt: a retry would hide what the first answer was
        return clients(self.session, self.endpoint,
                       ("personalize", "personalize-runtime", "personalize-events", "s3", "iam"),
                       retries={"total_max_attempts": 1, "mode": "standard"})

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def post(self, path, body):
        """A raw signed POST (for values boto3 refuses to send); returns
        (status, parsed body or None)."""
        creds = self.session.get_credentials()
        req = botocore.awsrequest.AWSRequest(method="POST", url=self.endpoint + path, data=body,
                                             headers={"Content-Type": "application/json"})
        botocore.auth.SigV4Auth(creds, "personalize", self.session.region_name or "us-east-1").add_auth(req)
        prepared = req.prepare()
        http = urllib.request.Request(prepared.url, data=body, method="POST", headers=dict(prepared.headers))
        try:
            with urllib.request.urlopen(http, timeout=30) as reply:
                status, text = reply.status, reply.read()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read()
        try:
            return status, json.loads(text) if text else None
        except ValueError:
            return status, None

    def kill(self, sig):
        self.proc.send_signal(sig)
        self.proc.wait()

    def stop(self):
        if self.alive():
            self.proc.terminate()
            self.proc.wait()


def error_code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, 200


def main():
    binary = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="pw-local-crash-")
    data = os.path.join(tmp, "data")
    server = Server(binary, data)
    try:
        subprocess.check_call(["/usr/bin/python3", os.path.join(HERE, "make-synthetic-data.py"),
                               os.path.join(tmp, "input"), "120", "150", "25"])
        c = server.start(50)
        p, s3 = c["personalize"], c["s3"]
        s3.create_bucket(Bucket="crash-bucket")
        s3.upload_file(os.path.join(tmp, "input", "interactions.csv"), "crash-bucket", "interactions.csv")
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                         "Principal": {"Service": "personalize.amazonaws.com"}}]}
        role = c["iam"].create_role(RoleName="crash-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        schema = {"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
                  "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
                             {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
                             {"name": "EVENT_VALUE", "type": ["null", "float"]}], "version": "1.0"}
        sa = p.create_schema(name="crash-schema", schema=json.dumps(schema))["schemaArn"]
        dg = p.create_dataset_group(name="crash-dg")["datasetGroupArn"]
        wait(lambda: p.describe_dataset_group(datasetGroupArn=dg), "datasetGroup")
        ds = p.create_dataset(name="crash-interactions", schemaArn=sa, datasetGroupArn=dg,
                              datasetType="Interactions")["datasetArn"]
        wait(lambda: p.describe_dataset(datasetArn=ds), "dataset")
        job = p.create_dataset_import_job(jobName="crash-import", datasetArn=ds, roleArn=role,
                                          dataSource={"dataLocation": "s3://crash-bucket/interactions.csv"})
        check(wait(lambda: p.describe_dataset_import_job(datasetImportJobArn=job["datasetImportJobArn"]),
                   "datasetImportJob") == "ACTIVE", "setup: import ACTIVE")
        sol = p.create_solution(name="crash-up", datasetGroupArn=dg,
                                recipeArn="arn:aws:personalize:::recipe/aws-user-personalization")["solutionArn"]
        wait(lambda: p.describe_solution(solutionArn=sol), "solution")
        sv = p.create_solution_version(solutionArn=sol)["solutionVersionArn"]
        check(wait(lambda: p.describe_solution_version(solutionVersionArn=sv), "solutionVersion") == "ACTIVE",
              "setup: solution version ACTIVE")
        camp = p.create_campaign(name="crash-campaign", solutionVersionArn=sv, minProvisionedTPS=1)["campaignArn"]
        check(wait(lambda: p.describe_campaign(campaignArn=camp), "campaign") == "ACTIVE", "setup: campaign ACTIVE")
        tracker = p.create_event_tracker(name="crash-tracker", datasetGroupArn=dg)
        wait(lambda: p.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"]), "eventTracker")
        tid = tracker["trackingId"]
        items = sorted({line.split(",")[1] for line in
                        open(os.path.join(tmp, "input", "interactions.csv")).read().splitlines()[1:]})

        # Item 1: many never-seen users.
        now = time.time()
        newcomers = ["newcomer-%d" % k for k in range(40)]
        sent = 0
        try:
            for k, user in enumerate(newcomers):
                c["personalize-events"].put_events(
                    trackingId=tid, userId=user, sessionId="session-" + user,
                    eventList=[{"eventType": "RATING", "sentAt": now + k, "itemId": items[k % len(items)]},
                               {"eventType": "RATING", "sentAt": now + k + 1,
                                "itemId": items[(k + 7) % len(items)]}])
                sent += 1
        except Exception as e:  # the connection drops when the server crashes
            print("# PutEvents failed after %d new users: %r" % (sent, e))
        check(sent == len(newcomers) and server.alive(),
              "PutEvents from %d never-seen users: all acknowledged, the server is up" % sent)

        def all_recommended():
            got = 0
            for k, user in enumerate(newcomers):
                try:
                    r = c["personalize-runtime"].get_recommendations(campaignArn=camp, userId=user, numResults=10)
                except Exception as e:
                    print("# GetRecommendations for %s failed: %r" % (user, e))
                    return got
                ids = [x["itemId"] for x in r["itemList"]]
                if len(ids) == 10 and items[k % len(items)] not in ids:
                    got += 1
            return got

        if server.alive():
            check(all_recommended() == len(newcomers),
                  "each new user gets 10 recommendations without the clicked item")
        else:
            check(False, "each new user gets 10 recommendations without the clicked item")
        server.stop()
        c = server.start(50)
        p = c["personalize"]
        check(all_recommended() == len(newcomers) and server.alive(),
              "after a restart (events read back from disk) every new user still gets recommendations")

        # Item 2: absurd sentAt values, through raw signed HTTP (botocore
        # cannot even express them).
        for bad in ("-1e300", "1e300", "9.3e18", "-1", "253402300800", "-9223372036854775808"):
            body = ('{"trackingId":"%s","userId":"u-bad","sessionId":"s","eventList":[{"eventType":"RATING",'
                    '"sentAt":%s,"itemId":"%s"}]}' % (tid, bad, items[0])).encode()
            status, reply = server.post("/events", body)
            check(status == 400 and reply is not None and "InvalidInputException" in json.dumps(reply)
                  and "sentAt" in json.dumps(reply),
                  "PutEvents with sentAt %s is 400 InvalidInputException (%s)" % (bad, status))
        body = ('{"trackingId":"%s","userId":"u-edge","sessionId":"s","eventList":[{"eventType":"RATING",'
                '"sentAt":253402300799,"itemId":"%s"},{"eventType":"RATING","sentAt":0,"itemId":"%s"}]}'
                % (tid, items[1], items[2])).encode()
        status, _ = server.post("/events", body)
        check(status == 200, "PutEvents at 0 and 9999-12-31T23:59:59Z (the ends of the range) is accepted")
        sv2 = p.create_solution_version(solutionArn=sol)["solutionVersionArn"]
        check(wait(lambda: p.describe_solution_version(solutionVersionArn=sv2), "solutionVersion") == "ACTIVE"
              and server.alive(), "training on events that span 1970 .. 9999 finishes")

        # Item 2: an import with an absurd TIMESTAMP fails with its reason.
        bad_csv = ("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n1,%s,1700000000,RATING,5\n"
                   "1,%s,-9223372036854775808,RATING,4\n" % (items[0], items[1]))
        c["s3"].put_object(Bucket="crash-bucket", Key="bad-time.csv", Body=bad_csv.encode())
        dg2 = p.create_dataset_group(name="crash-dg2")["datasetGroupArn"]
        wait(lambda: p.describe_dataset_group(datasetGroupArn=dg2), "datasetGroup")
        ds2 = p.create_dataset(name="crash-interactions2", schemaArn=sa, datasetGroupArn=dg2,
                               datasetType="Interactions")["datasetArn"]
        wait(lambda: p.describe_dataset(datasetArn=ds2), "dataset")
        job2 = p.create_dataset_import_job(jobName="bad-time", datasetArn=ds2, roleArn=role,
                                           dataSource={"dataLocation": "s3://crash-bucket/bad-time.csv"})
        job2 = job2["datasetImportJobArn"]
        status = wait(lambda: p.describe_dataset_import_job(datasetImportJobArn=job2), "datasetImportJob")
        reason = p.describe_dataset_import_job(datasetImportJobArn=job2)["datasetImportJob"].get("failureReason", "")
        print("# failureReason: %s" % reason)
        check(status == "CREATE FAILED" and "line 3" in reason and "TIMESTAMP" in reason
              and "-9223372036854775808" in reason,
              "an import with TIMESTAMP -9223372036854775808 is CREATE FAILED naming line and column")

        # Item 2: a job running when the server crashes is not run again.
        server.stop()
        c = server.start(400)
        p = c["personalize"]
        sv3 = p.create_solution_version(solutionArn=sol)["solutionVersionArn"]
        seen = wait(lambda: p.describe_solution_version(solutionVersionArn=sv3), "solutionVersion",
                    want="CREATE IN_PROGRESS", limit=30, until=True)
        check(seen == "CREATE IN_PROGRESS", "training is CREATE IN_PROGRESS")
        server.kill(signal.SIGSEGV)
        check(server.proc.returncode != 0, "SIGSEGV stops the server (exit %s)" % server.proc.returncode)
        c = server.start(400)
        p = c["personalize"]
        v = p.describe_solution_version(solutionVersionArn=sv3)["solutionVersion"]
        print("# after the crash: %s: %s" % (v["status"], v.get("failureReason")))
        check(v["status"] == "CREATE FAILED" and "crashed" in v.get("failureReason", ""),
              "the job that ran during the crash is CREATE FAILED with its reason at the next start")
        time.sleep(1)
        check(server.alive(), "and the server stays up")

        # Interrupted twice by kill -9: resumed once, then CREATE FAILED.
        sv4 = p.create_solution_version(solutionArn=sol)["solutionVersionArn"]
        for attempt in (1, 2):
            seen = wait(lambda: p.describe_solution_version(solutionVersionArn=sv4), "solutionVersion",
                        want="CREATE IN_PROGRESS", limit=30, until=True)
            check(seen == "CREATE IN_PROGRESS", "training is CREATE IN_PROGRESS (run %d)" % attempt)
            server.kill(signal.SIGKILL)
            c = server.start(400)
            p = c["personalize"]
            v = p.describe_solution_version(solutionVersionArn=sv4)["solutionVersion"]
            print("# after kill -9 number %d: %s %s" % (attempt, v["status"], v.get("failureReason", "")))
            if attempt == 1:
                check(v["status"] in ("CREATE PENDING", "CREATE IN_PROGRESS"), "after one kill -9 the job resumes")
            else:
                check(v["status"] == "CREATE FAILED" and "interrupted twice" in v.get("failureReason", ""),
                      "after a second kill -9 the job is CREATE FAILED with its reason")

        # Item 8: a failed state write leaves memory as it was.
        state = os.path.join(data, "personalize")
        for kind_dir, delete, describe, key in (
                ("campaigns", lambda: p.delete_campaign(campaignArn=camp),
                 lambda: p.describe_campaign(campaignArn=camp), "campaign"),
                ("event-trackers", lambda: p.delete_event_tracker(eventTrackerArn=tracker["eventTrackerArn"]),
                 lambda: p.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"]), "eventTracker")):
            folder = os.path.join(state, kind_dir)
            print("# %s before: %s" % (key, describe()[key]["status"]))
            os.rename(folder, folder + ".aside")
            open(folder, "w").close()  # every write into the folder now fails (ENOTDIR)
            try:
                try:
                    delete()
                    code, status = None, 200
                except ClientError as e:
                    code, status = e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
                    print("# %s" % e)
                check(status == 500, "%s: the delete answers 500 when the write fails (%s %s)"
                      % (key, code, status))
                check(describe()[key]["status"] == "ACTIVE", "%s: still ACTIVE in memory" % key)
                code, status = error_code(delete)
                check(status == 500, "%s: a retry is not ResourceInUseException (%s)" % (key, code))
            finally:
                os.remove(folder)
                os.rename(folder + ".aside", folder)
            code, status = error_code(delete)
            check(code is None, "%s: with the disk back the delete goes through" % key)
            gone = None
            end = time.time() + 30
            while time.time() < end and gone is None:
                try:
                    describe()
                    time.sleep(0.1)
                except ClientError as e:
                    gone = e.response["Error"]["Code"]
            check(gone == "ResourceNotFoundException", "%s: deleted" % key)
        check(server.alive(), "the server is up at the end")
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return done()


if __name__ == "__main__":
    sys.exit(main())
