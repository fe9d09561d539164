#!/usr/bin/python3
"""kill -9 and restart personalize-local at the worst moments: during an
import, during training, during a delete, right after acknowledged writes.
Nothing acknowledged may be lost, no resource may be left half made, and the
interrupted jobs must finish after the restart. TAP output.

Usage: test-local-kill.py PERSONALIZE_LOCAL_BINARY
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from botocore.exceptions import ClientError

from pw_local_test import check, clients, done, session, start_server, wait

HERE = os.path.dirname(os.path.abspath(__file__))


class Server:
    def __init__(self, binary, data, step_ms):
        self.binary, self.data, self.step_ms = binary, data, step_ms
        self.proc = None

    def start(self):
        self.proc, self.endpoint = start_server(self.binary, self.data, self.step_ms)
        return self.clients()

    def clients(self):
        return clients(session(self.data), self.endpoint, ("personalize", "personalize-runtime", "s3", "iam"))

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()


def state_is_whole(data):
    """Every state file parses; returns the number of files."""
    count = 0
    for root, _, files in os.walk(os.path.join(data, "personalize")):
        for f in files:
            with open(os.path.join(root, f)) as fh:
                d = json.load(fh)
            assert "arn" in d and "resource" in d, f
            count += 1
    return count


def main():
    binary = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="pw-local-kill-")
    data = os.path.join(tmp, "data")
    server = Server(binary, data, 600)
    try:
        subprocess.check_call(["/usr/bin/python3", os.path.join(HERE, "make-synthetic-data.py"),
                               os.path.join(tmp, "input"), "800", "400", "40"])
        c = server.start()
        p, s3 = c["personalize"], c["s3"]
        s3.create_bucket(Bucket="kill-bucket")
        body = open(os.path.join(tmp, "input", "interactions.csv"), "rb").read()
        s3.put_object(Bucket="kill-bucket", Key="interactions.csv", Body=body)
        # Acknowledged, then killed at once: it must be there after the restart.
        server.kill9()
        c = server.start()
        p, s3 = c["personalize"], c["s3"]
        got = s3.get_object(Bucket="kill-bucket", Key="interactions.csv")["Body"].read()
        check(got == body, "an acknowledged PutObject survives kill -9 (%d bytes)" % len(body))

        trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"personalize.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
        role = c["iam"].create_role(RoleName="kill-role", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        dg = p.create_dataset_group(name="kill-dg")["datasetGroupArn"]
        server.kill9()
        c = server.start()
        p = c["personalize"]
        check(p.describe_dataset_group(datasetGroupArn=dg)["datasetGroup"]["status"]
              in ("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"),
              "an acknowledged CreateDatasetGroup survives kill -9")
        check(c["iam"].get_role(RoleName="kill-role")["Role"]["Arn"] == role, "an acknowledged CreateRole survives")
        check(wait(lambda: p.describe_dataset_group(datasetGroupArn=dg), "datasetGroup") == "ACTIVE",
              "the interrupted dataset group becomes ACTIVE after the restart")
        schema = {"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
                  "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
                             {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
                             {"name": "EVENT_VALUE", "type": ["null", "float"]}]}
        sa = p.create_schema(name="kill-schema", schema=json.dumps(schema))["schemaArn"]
        ds = p.create_dataset(name="kill-interactions", schemaArn=sa, datasetGroupArn=dg,
                              datasetType="Interactions")["datasetArn"]
        check(wait(lambda: p.describe_dataset(datasetArn=ds), "dataset") == "ACTIVE", "dataset ACTIVE")

        # kill -9 during the import.
        job = p.create_dataset_import_job(jobName="kill-import", datasetArn=ds, roleArn=role,
                                          dataSource={"dataLocation": "s3://kill-bucket/interactions.csv"})
        job = job["datasetImportJobArn"]
        seen = wait(lambda: p.describe_dataset_import_job(datasetImportJobArn=job), "datasetImportJob",
                    want="CREATE IN_PROGRESS", limit=30, until=True)
        check(seen == "CREATE IN_PROGRESS", "the import is CREATE IN_PROGRESS")
        server.kill9()
        check(state_is_whole(data) > 0, "after kill -9 every state file is whole")
        c = server.start()
        p = c["personalize"]
        status = p.describe_dataset_import_job(datasetImportJobArn=job)["datasetImportJob"]["status"]
        check(status in ("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"), "the import resumes (%s)" % status)
        check(wait(lambda: p.describe_dataset_import_job(datasetImportJobArn=job), "datasetImportJob") == "ACTIVE",
              "the interrupted import becomes ACTIVE")

        # kill -9 during training.
        sol = p.create_solution(name="kill-up", datasetGroupArn=dg,
                                recipeArn="arn:aws:personalize:::recipe/aws-user-personalization")["solutionArn"]
        check(wait(lambda: p.describe_solution(solutionArn=sol), "solution") == "ACTIVE", "solution ACTIVE")
        sv = p.create_solution_version(solutionArn=sol)["solutionVersionArn"]
        seen = wait(lambda: p.describe_solution_version(solutionVersionArn=sv), "solutionVersion",
                    want="CREATE IN_PROGRESS", limit=30, until=True)
        check(seen == "CREATE IN_PROGRESS", "the solution version is CREATE IN_PROGRESS")
        time.sleep(0.2)
        server.kill9()
        check(state_is_whole(data) > 0, "after kill -9 during training every state file is whole")
        c = server.start()
        p, runtime = c["personalize"], c["personalize-runtime"]
        try:
            p.get_solution_metrics(solutionVersionArn=sv)
            check(False, "no metrics before the resumed training ends")
        except ClientError as e:
            check(e.response["Error"]["Code"] == "ResourceInUseException",
                  "no metrics before the resumed training ends (ResourceInUseException)")
        check(wait(lambda: p.describe_solution_version(solutionVersionArn=sv), "solutionVersion") == "ACTIVE",
              "the interrupted training becomes ACTIVE")
        metrics = p.get_solution_metrics(solutionVersionArn=sv)["metrics"]
        check("precision_at_25" in metrics and "coverage" in metrics, "the resumed version has metrics")
        camp = p.create_campaign(name="kill-campaign", solutionVersionArn=sv, minProvisionedTPS=1)["campaignArn"]
        check(wait(lambda: p.describe_campaign(campaignArn=camp), "campaign") == "ACTIVE", "campaign ACTIVE")
        items = runtime.get_recommendations(campaignArn=camp, userId="5", numResults=5)["itemList"]
        check(len(items) == 5, "the resumed model recommends")

        # kill -9 during a delete.
        p.delete_campaign(campaignArn=camp)
        server.kill9()
        c = server.start()
        p = c["personalize"]
        end, gone = time.time() + 30, False
        while time.time() < end and not gone:
            try:
                p.describe_campaign(campaignArn=camp)
                time.sleep(0.1)
            except ClientError as e:
                gone = e.response["Error"]["Code"] == "ResourceNotFoundException"
        check(gone, "the interrupted delete finishes after the restart")

        # A clean stop leaves no temporary file anywhere.
        server.stop()
        leftovers = [os.path.join(r, f) for r, _, fs in os.walk(data) for f in fs if ".tmp-" in f]
        c = server.start()
        server.stop()
        leftovers = [os.path.join(r, f) for r, _, fs in os.walk(data) for f in fs if ".tmp-" in f]
        check(not leftovers, "no temporary files remain after a restart: %s" % leftovers[:3])
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return done()


if __name__ == "__main__":
    sys.exit(main())
