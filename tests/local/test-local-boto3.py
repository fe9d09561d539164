#!/usr/bin/python3
"""The real-time part of the workshop with boto3 against personalize-local.

A user whose history is Thriller and Sci-Fi gets recommendations; clicks on
Documentary items sent with PutEvents (the 2019 `properties` form and the
current `itemId` form) move the next lists toward documentaries at once,
and still do after the server restarts. UpdateCampaign then changes the
campaign's itemExplorationConfig with AWS's lifecycle (UPDATE PENDING >
UPDATE IN_PROGRESS > ACTIVE, latestCampaignUpdate, ResourceInUseException
while it runs, InvalidInputException, ResourceNotFoundException), and the
new explorationWeight brings cold (never-interacted) items into the lists.
TAP output.

Usage: test-local-boto3.py PERSONALIZE_LOCAL_BINARY
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from botocore.exceptions import ClientError

from pw_local_test import check, clients as local_clients, done, session, start_server, wait

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = ("personalize", "personalize-runtime", "personalize-events", "s3", "iam")


def start(binary, data):
    return start_server(binary, data)


def clients(endpoint, data):
    c = local_clients(session(data), endpoint, NAMES)
    return tuple(c[name] for name in NAMES)


def main():
    binary = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="pw-local-boto3-")
    data = os.path.join(tmp, "data")
    proc = None
    try:
        subprocess.check_call(["/usr/bin/python3", os.path.join(HERE, "make-synthetic-data.py"),
                               os.path.join(tmp, "input"), "120", "150", "25"])
        genre = json.load(open(os.path.join(tmp, "input", "genres.json")))
        proc, endpoint = start(binary, data)
        p, runtime, events, s3, iam = clients(endpoint, data)

        s3.create_bucket(Bucket="rt-bucket")
        s3.upload_file(os.path.join(tmp, "input", "interactions.csv"), "rt-bucket", "interactions.csv")
        # The catalogue plus 20 cold items: in the items dataset, never interacted with.
        cold_items = [str(9001 + k) for k in range(20)]
        with open(os.path.join(tmp, "input", "items-cold.csv"), "w") as f:
            f.write(open(os.path.join(tmp, "input", "items.csv")).read())
            for i in cold_items:
                f.write("%s,Documentary,1600000000\n" % i)
        s3.upload_file(os.path.join(tmp, "input", "items-cold.csv"), "rt-bucket", "items.csv")
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                         "Principal": {"Service": "personalize.amazonaws.com"}}]}
        role = iam.create_role(RoleName="rt-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        # Back to back, as Jupyter's "Run All" sends them (issue 13, items 11
        # and 12): what only records a configuration is usable at once.
        dg = p.create_dataset_group(name="rt-dg")["datasetGroupArn"]
        schema = {"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
                  "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
                             {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
                             {"name": "EVENT_VALUE", "type": ["null", "float"]}], "version": "1.0"}
        sa = p.create_schema(name="rt-schema", schema=json.dumps(schema))["schemaArn"]
        ds = p.create_dataset(name="rt-interactions", schemaArn=sa, datasetGroupArn=dg,
                              datasetType="Interactions")["datasetArn"]
        check(True, "CreateSchema and CreateDataset straight after CreateDatasetGroup")
        job = p.create_dataset_import_job(jobName="rt-import", datasetArn=ds,
                                          dataSource={"dataLocation": "s3://rt-bucket/interactions.csv"},
                                          roleArn=role)
        check(True, "CreateDatasetImportJob straight after CreateDataset")
        check(wait(lambda: p.describe_dataset_group(datasetGroupArn=dg), "datasetGroup") == "ACTIVE", "group ACTIVE")
        check(wait(lambda: p.describe_dataset(datasetArn=ds), "dataset") == "ACTIVE", "dataset ACTIVE")
        check(wait(lambda: p.describe_dataset_import_job(datasetImportJobArn=job["datasetImportJobArn"]),
                   "datasetImportJob") == "ACTIVE", "import ACTIVE")
        items_schema = {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
                        "fields": [{"name": "ITEM_ID", "type": "string"},
                                   {"name": "GENRES", "type": ["null", "string"], "categorical": True},
                                   {"name": "CREATION_TIMESTAMP", "type": "long"}], "version": "1.0"}
        isa = p.create_schema(name="rt-items-schema", schema=json.dumps(items_schema))["schemaArn"]
        ids = p.create_dataset(name="rt-items", schemaArn=isa, datasetGroupArn=dg, datasetType="Items")["datasetArn"]
        check(wait(lambda: p.describe_dataset(datasetArn=ids), "dataset") == "ACTIVE", "items dataset ACTIVE")
        ijob = p.create_dataset_import_job(jobName="rt-import-items", datasetArn=ids,
                                           dataSource={"dataLocation": "s3://rt-bucket/items.csv"}, roleArn=role)
        check(wait(lambda: p.describe_dataset_import_job(datasetImportJobArn=ijob["datasetImportJobArn"]),
                   "datasetImportJob") == "ACTIVE", "items import ACTIVE")
        sol = p.create_solution(name="rt-up", datasetGroupArn=dg,
                                recipeArn="arn:aws:personalize:::recipe/aws-user-personalization")["solutionArn"]
        # Notebook 3.1: CreateSolutionVersion straight after CreateSolution.
        try:
            sv = p.create_solution_version(solutionArn=sol)["solutionVersionArn"]
            check(True, "CreateSolutionVersion straight after CreateSolution")
        except ClientError as e:
            check(False, "CreateSolutionVersion straight after CreateSolution (%s)" % e)
            check(wait(lambda: p.describe_solution(solutionArn=sol), "solution") == "ACTIVE", "solution ACTIVE")
            sv = p.create_solution_version(solutionArn=sol)["solutionVersionArn"]
        # A campaign needs a trained version: it is refused until then
        # (asked at once: a version spends at least one status step
        # pending, and this small one may finish while the solution is
        # waited for).
        try:
            p.create_campaign(name="rt-too-early", solutionVersionArn=sv, minProvisionedTPS=1)
            check(False, "CreateCampaign on a version still training is ResourceInUseException")
        except ClientError as e:
            check(e.response["Error"]["Code"] == "ResourceInUseException",
                  "CreateCampaign on a version still training is ResourceInUseException")
        check(wait(lambda: p.describe_solution(solutionArn=sol), "solution") == "ACTIVE", "solution ACTIVE")
        check(wait(lambda: p.describe_solution_version(solutionVersionArn=sv), "solutionVersion") == "ACTIVE",
              "solution version ACTIVE")
        camp = p.create_campaign(name="rt-campaign", solutionVersionArn=sv, minProvisionedTPS=1,
                                 campaignConfig={"itemExplorationConfig": {"explorationWeight": "0"}})["campaignArn"]
        check(wait(lambda: p.describe_campaign(campaignArn=camp), "campaign") == "ACTIVE", "campaign ACTIVE")
        tracker = p.create_event_tracker(name="MovieClickTracker", datasetGroupArn=dg)
        tracking_id = tracker["trackingId"]
        # PutEvents with the trackingId CreateEventTracker just returned.
        try:
            events.put_events(trackingId=tracking_id, userId="fresh-tracker-user", sessionId="fresh",
                              eventList=[{"eventType": "RATING", "sentAt": time.time(), "itemId": "1"}])
            check(True, "PutEvents straight after CreateEventTracker")
        except ClientError as e:
            check(False, "PutEvents straight after CreateEventTracker (%s)" % e)
        check(wait(lambda: p.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"]),
                   "eventTracker") == "ACTIVE", "event tracker ACTIVE")

        # A user who never watched a documentary.
        history = {}
        for line in open(os.path.join(tmp, "input", "interactions.csv")).read().splitlines()[1:]:
            u, i = line.split(",")[:2]
            history.setdefault(u, []).append(i)
        user = next(u for u, items in history.items() if all(genre[i] != "Documentary" for i in items))
        docs = [i for i, g in genre.items() if g == "Documentary" and i not in history[user]][:6]

        def recs():
            r = runtime.get_recommendations(campaignArn=camp, userId=user, numResults=10)
            return [x["itemId"] for x in r["itemList"]]

        def doc_share(items):
            return sum(genre[i] == "Documentary" for i in items)

        lists = [recs()]
        print("# user %s, first list %s (%d documentaries)" % (user, lists[0], doc_share(lists[0])))
        now = time.time()
        forms = [
            lambda i, t: {"eventType": "RATING", "sentAt": t, "properties": json.dumps({"itemId": i})},
            lambda i, t: {"eventType": "RATING", "sentAt": t, "itemId": i, "eventValue": 5.0},
            lambda i, t: {"eventType": "RATING", "sentAt": t, "properties": json.dumps({"itemId": i})},
        ]
        for k, form in enumerate(forms):
            clicked = docs[2 * k:2 * k + 2]
            events.put_events(trackingId=tracking_id, userId=user, sessionId="session-" + user,
                              eventList=[form(i, now + 2 * k + j) for j, i in enumerate(clicked)])
            lists.append(recs())
            print("# after clicks on %s: %s (%d documentaries)" % (clicked, lists[-1], doc_share(lists[-1])))
            check(lists[-1] != lists[-2], "PutEvents round %d changes the next list" % (k + 1))
            check(not set(clicked) & set(lists[-1]), "clicked items leave the list (round %d)" % (k + 1))
        check(doc_share(lists[-1]) > doc_share(lists[0]), "the list moved toward documentaries (%d -> %d)"
              % (doc_share(lists[0]), doc_share(lists[-1])))

        try:
            events.put_events(trackingId=tracking_id, sessionId="s", eventList=[])
            check(False, "an empty eventList is refused")
        except ClientError as e:
            check(e.response["Error"]["Code"] in ("InvalidInputException", "ParamValidationError"),
                  "an empty eventList is refused")
        except Exception:  # botocore's own validation
            check(True, "an empty eventList is refused (client side)")
        try:
            events.put_events(trackingId="no-such-tracker", sessionId="s",
                              eventList=[{"eventType": "RATING", "sentAt": now, "itemId": "1"}])
            check(False, "an unknown trackingId is ResourceNotFoundException")
        except ClientError as e:
            check(e.response["Error"]["Code"] == "ResourceNotFoundException"
                  and e.response["ResponseMetadata"]["HTTPStatusCode"] == 404,
                  "an unknown trackingId is ResourceNotFoundException (404)")
        try:
            events.put_events(trackingId=tracking_id, sessionId="s",
                              eventList=[{"eventType": "RATING", "sentAt": now, "properties": "{not json"}])
            check(False, "bad properties are InvalidInputException")
        except ClientError as e:
            check(e.response["Error"]["Code"] == "InvalidInputException", "bad properties are InvalidInputException")

        # An item that is not in the catalogue: accepted, as AWS accepts it
        # (kept for the next training there), and the list stays as it was.
        before = recs()
        r = events.put_events(trackingId=tracking_id, userId=user, sessionId="session-" + user,
                              eventList=[{"eventType": "RATING", "sentAt": now + 100, "itemId": "no-such-item"}])
        check(r["ResponseMetadata"]["HTTPStatusCode"] == 200,
              "PutEvents accepts an item that is not in the catalogue, as AWS does")
        check(recs() == before, "an event on an unknown item leaves the list as it was")

        # The events are on disk: a restarted server serves the same list.
        proc.terminate()
        proc.wait()
        proc, endpoint = start(binary, data)
        p, runtime, events, s3, iam = clients(endpoint, data)
        again = recs()
        check(again == lists[-1], "after a restart the user's list still reflects the events")

        # UpdateCampaign: the exploration weight, as the workshop's slider sets it.
        def cold_in_lists():
            total = 0
            for u in [str(k) for k in range(1, 11)]:
                r = runtime.get_recommendations(campaignArn=camp, userId=u, numResults=25)
                total += sum(x["itemId"] in cold_items for x in r["itemList"])
            return total

        cold_before = cold_in_lists()
        check(cold_before == 0, "explorationWeight 0: no cold item in 10 users' lists (%d)" % cold_before)
        for bad, what in [({"explorationWeight": "1.5"}, "explorationWeight 1.5"),
                          ({"explorationWeight": "much"}, "a weight that is not a number"),
                          ({"explorationItemAgeCutOff": "-3"}, "a negative age cut-off"),
                          ({"explorationSpeed": "1"}, "an unknown key")]:
            try:
                p.update_campaign(campaignArn=camp, campaignConfig={"itemExplorationConfig": bad})
                check(False, "update-campaign with %s is refused" % what)
            except ClientError as e:
                check(e.response["Error"]["Code"] == "InvalidInputException",
                      "update-campaign with %s: InvalidInputException" % what)
        try:
            p.update_campaign(campaignArn=camp.replace("rt-campaign", "no-such-campaign"),
                              campaignConfig={"itemExplorationConfig": {"explorationWeight": "0.5"}})
            check(False, "update-campaign of an unknown campaign is refused")
        except ClientError as e:
            check(e.response["Error"]["Code"] == "ResourceNotFoundException",
                  "update-campaign of an unknown campaign: ResourceNotFoundException")
        new_config = {"itemExplorationConfig": {"explorationWeight": "0.9", "explorationItemAgeCutOff": "30"}}
        answer = p.update_campaign(campaignArn=camp, campaignConfig=new_config)
        check(answer["campaignArn"] == camp, "update-campaign answers the campaign's ARN")
        c = p.describe_campaign(campaignArn=camp)["campaign"]
        check(c["status"] in ("UPDATE PENDING", "UPDATE IN_PROGRESS"),
              "right after update-campaign the campaign is updating (%s)" % c["status"])
        lcu = c.get("latestCampaignUpdate", {})
        check(lcu.get("status") == c["status"] and lcu.get("campaignConfig") == new_config
              and lcu.get("solutionVersionArn") == sv and "creationDateTime" in lcu,
              "describe-campaign shows latestCampaignUpdate with the new config")
        check(c["campaignConfig"]["itemExplorationConfig"]["explorationWeight"] == "0",
              "the campaign keeps its old config while the update runs")
        try:
            p.update_campaign(campaignArn=camp, campaignConfig=new_config)
            check(False, "a second update while one runs is refused")
        except ClientError as e:
            check(e.response["Error"]["Code"] == "ResourceInUseException",
                  "a second update while one runs: ResourceInUseException")
        try:
            p.delete_campaign(campaignArn=camp)
            check(False, "delete-campaign while it updates is refused")
        except ClientError as e:
            check(e.response["Error"]["Code"] == "ResourceInUseException",
                  "delete-campaign while it updates: ResourceInUseException")
        r = runtime.get_recommendations(campaignArn=camp, userId="1", numResults=5)
        check(len(r["itemList"]) == 5, "the campaign still serves while it updates")
        seen = set()
        end = time.time() + 30
        while time.time() < end:
            c = p.describe_campaign(campaignArn=camp)["campaign"]
            seen.add(c["status"])
            if c["status"] == "ACTIVE":
                break
            time.sleep(0.02)
        check(c["status"] == "ACTIVE" and "UPDATE IN_PROGRESS" in seen,
              "the update goes through UPDATE IN_PROGRESS to ACTIVE (%s)" % sorted(seen))
        check(c["campaignConfig"] == new_config and c["latestCampaignUpdate"]["status"] == "ACTIVE",
              "after the update the campaign has the new config")
        cold_after = cold_in_lists()
        print("# cold items in 10 users' top 25: weight 0 -> %d, weight 0.9 -> %d" % (cold_before, cold_after))
        check(cold_after > 0, "explorationWeight 0.9 brings cold items into the lists (%d)" % cold_after)

        # Cleanup through the API.
        p.delete_campaign(campaignArn=camp)
        p.delete_event_tracker(eventTrackerArn=tracker["eventTrackerArn"])
        end = time.time() + 30
        gone = False
        while time.time() < end and not gone:
            try:
                p.describe_campaign(campaignArn=camp)
                time.sleep(0.2)
            except ClientError as e:
                gone = e.response["Error"]["Code"] == "ResourceNotFoundException"
        check(gone, "the campaign is deleted")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return done()


if __name__ == "__main__":
    sys.exit(main())
