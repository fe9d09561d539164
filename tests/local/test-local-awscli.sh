#!/usr/bin/env bash
# The workshop's whole call sequence (shared/spec/personalize-api.md, last
# section) with Debian's AWS CLI against personalize-local, on synthetic
# data, from an empty data directory to cleanup. TAP.
# Usage: test-local-awscli.sh PERSONALIZE_LOCAL_BINARY
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/local-common.sh"

binary=$1
work=$(mktemp -d /tmp/pw-local-awscli.XXXXXX)
trap 'stop_server; trap_bg_dir; rm -rf "$work" "$server_log"' EXIT
/usr/bin/python3 "$here/make-synthetic-data.py" "$work/input" 120 150 25

start_server "$binary" "$work/data" || { not_ok "server starts"; finish; exit 1; }
ok "server starts on $PW_ENDPOINT"
check "credentials file is mode 0600" test "$(stat -c %a "$work/data/credentials")" = 600

P="arn:aws:personalize:us-east-1:123456789012"
REGION=us-east-1

# 1. Identity, bucket, data.
account=$(awsl sts get-caller-identity --query Account)
check "sts get-caller-identity gives the local account" test "$account" = 123456789012
bucket="${account}reinventpersonalizeworkshop"
check "s3api create-bucket" awsl s3api create-bucket --bucket "$bucket"
check "s3 cp interactions" awsl s3 cp "$work/input/interactions.csv" "s3://$bucket/interactions.csv"
check "s3 cp items" awsl s3 cp "$work/input/items.csv" "s3://$bucket/items.csv"
check "s3 cp a key with spaces and symbols" awsl s3 cp "$work/input/batch.json" "s3://$bucket/odd/a b+c%d=e.json"
check "s3 cp it back unchanged" awsl s3 cp "s3://$bucket/odd/a b+c%d=e.json" "$work/odd.json"
check "the odd key's content is unchanged" cmp "$work/input/batch.json" "$work/odd.json"
check "s3 rm the odd key" awsl s3 rm "s3://$bucket/odd/a b+c%d=e.json"
head -c 9000000 /dev/urandom > "$work/big.bin"
check "s3 cp a 9 MB file (multipart upload)" awsl s3 cp "$work/big.bin" "s3://$bucket/big/big.bin"
check "its ETag is a multipart ETag" test "$(awsl s3api head-object --bucket "$bucket" --key big/big.bin --query ETag)" \
  != "\"$(md5sum < "$work/big.bin" | cut -c1-32)\""
check "s3 cp it back" awsl s3 cp "s3://$bucket/big/big.bin" "$work/big.back"
check "the big file is unchanged" cmp "$work/big.bin" "$work/big.back"
check "s3 rm --recursive" awsl s3 rm --recursive "s3://$bucket/big/"
check "create-bucket again: BucketAlreadyOwnedByYou" expect_error BucketAlreadyOwnedByYou \
  awsl s3api create-bucket --bucket "$bucket"

# 2. Dataset group.
dg=$(awsl personalize create-dataset-group --name workshop-dg --query datasetGroupArn)
check "create-dataset-group returns its ARN" test "$dg" = "$P:dataset-group/workshop-dg"
check "dataset group becomes ACTIVE" wait_status 20 ACTIVE \
  awsl personalize describe-dataset-group --dataset-group-arn "$dg" --query datasetGroup.status
check "create-dataset-group twice: ResourceAlreadyExistsException" expect_error ResourceAlreadyExistsException \
  awsl personalize create-dataset-group --name workshop-dg
check "a bad name: InvalidInputException" expect_error InvalidInputException \
  awsl personalize create-dataset-group --name "-bad name"
check "describe an unknown group: ResourceNotFoundException" expect_error ResourceNotFoundException \
  awsl personalize describe-dataset-group --dataset-group-arn "$P:dataset-group/nope"

# 3. Schemas and datasets.
interactions_schema='{"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema","fields":[{"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},{"name":"TIMESTAMP","type":"long"},{"name":"EVENT_TYPE","type":"string"},{"name":"EVENT_VALUE","type":["null","float"]}],"version":"1.0"}'
items_schema='{"type":"record","name":"Items","namespace":"com.amazonaws.personalize.schema","fields":[{"name":"ITEM_ID","type":"string"},{"name":"GENRES","type":["null","string"],"categorical":true},{"name":"CREATION_TIMESTAMP","type":"long"}],"version":"1.0"}'
is=$(awsl personalize create-schema --name workshop-interactions --schema "$interactions_schema" --query schemaArn)
check "create-schema interactions" test "$is" = "$P:schema/workshop-interactions"
its=$(awsl personalize create-schema --name workshop-items --schema "$items_schema" --query schemaArn)
check "create-schema items" test "$its" = "$P:schema/workshop-items"
check "a nested schema: InvalidInputException" expect_error InvalidInputException \
  awsl personalize create-schema --name bad-schema \
  --schema '{"type":"record","name":"X","fields":[{"name":"A","type":{"type":"array","items":"string"}}]}'
check "an items schema for interactions: InvalidInputException" expect_error InvalidInputException \
  awsl personalize create-dataset --name wrong --schema-arn "$its" --dataset-group-arn "$dg" --dataset-type Interactions
ids=$(awsl personalize create-dataset --name workshop-interactions --schema-arn "$is" \
      --dataset-group-arn "$dg" --dataset-type Interactions --query datasetArn)
check "create-dataset INTERACTIONS" test "$ids" = "$P:dataset/workshop-dg/INTERACTIONS"
itds=$(awsl personalize create-dataset --name workshop-items --schema-arn "$its" \
       --dataset-group-arn "$dg" --dataset-type ITEMS --query datasetArn)
check "create-dataset ITEMS" test "$itds" = "$P:dataset/workshop-dg/ITEMS"
check "interactions dataset ACTIVE" wait_status 20 ACTIVE \
  awsl personalize describe-dataset --dataset-arn "$ids" --query dataset.status
check "items dataset ACTIVE" wait_status 20 ACTIVE \
  awsl personalize describe-dataset --dataset-arn "$itds" --query dataset.status
check "delete-schema in use: ResourceInUseException" expect_error ResourceInUseException \
  awsl personalize delete-schema --schema-arn "$is"

# 4. Bucket policy and role.
policy=$(printf '{"Version":"2012-10-17","Id":"PersonalizeS3BucketAccessPolicy","Statement":[{"Sid":"PersonalizeS3BucketAccessPolicy","Effect":"Allow","Principal":{"Service":"personalize.amazonaws.com"},"Action":["s3:*Object","s3:ListBucket"],"Resource":["arn:aws:s3:::%s","arn:aws:s3:::%s/*"]}]}' "$bucket" "$bucket")
check "s3api put-bucket-policy" awsl s3api put-bucket-policy --bucket "$bucket" --policy "$policy"
check "s3api get-bucket-policy returns it" \
  test "$(awsl s3api get-bucket-policy --bucket "$bucket" --query Policy)" = "$policy"
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"personalize.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
role_arn=$(awsl iam create-role --role-name PersonalizeRoleWorkshop --assume-role-policy-document "$trust" --query Role.Arn)
check "iam create-role" test "$role_arn" = "arn:aws:iam::123456789012:role/PersonalizeRoleWorkshop"
check "iam create-role twice: EntityAlreadyExists" expect_error EntityAlreadyExists \
  awsl iam create-role --role-name PersonalizeRoleWorkshop --assume-role-policy-document "$trust"
check "iam attach-role-policy AmazonPersonalizeFullAccess" awsl iam attach-role-policy \
  --role-name PersonalizeRoleWorkshop --policy-arn arn:aws:iam::aws:policy/service-role/AmazonPersonalizeFullAccess
check "iam attach-role-policy AmazonS3FullAccess" awsl iam attach-role-policy \
  --role-name PersonalizeRoleWorkshop --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess
check "iam get-role gives the trust policy back" \
  test "$(awsj iam get-role --role-name PersonalizeRoleWorkshop --query Role.AssumeRolePolicyDocument.Statement[0].Principal.Service)" = '"personalize.amazonaws.com"'

# 5. Imports.
ij=$(awsl personalize create-dataset-import-job --job-name workshop-import-interactions --dataset-arn "$ids" \
     --data-source "dataLocation=s3://$bucket/interactions.csv" --role-arn "$role_arn" --query datasetImportJobArn)
check "create-dataset-import-job interactions" test "$ij" = "$P:dataset-import-job/workshop-import-interactions"
itj=$(awsl personalize create-dataset-import-job --job-name workshop-import-items --dataset-arn "$itds" \
      --data-source "dataLocation=s3://$bucket/items.csv" --role-arn "$role_arn" --query datasetImportJobArn)
check "interactions import ACTIVE" wait_status 60 ACTIVE \
  awsl personalize describe-dataset-import-job --dataset-import-job-arn "$ij" --query datasetImportJob.status
check "items import ACTIVE" wait_status 60 ACTIVE \
  awsl personalize describe-dataset-import-job --dataset-import-job-arn "$itj" --query datasetImportJob.status
# An import of a file that does not fit the schema fails with a reason a person can act on.
printf 'USER_ID,ITEM_ID,RATING\n1,2,5\n' > "$work/bad.csv"
awsl s3 cp "$work/bad.csv" "s3://$bucket/bad.csv" > /dev/null
bad=$(awsl personalize create-dataset-import-job --job-name workshop-import-bad --dataset-arn "$ids" \
      --data-source "dataLocation=s3://$bucket/bad.csv" --role-arn "$role_arn" --import-mode INCREMENTAL \
      --query datasetImportJobArn)
check "a bad CSV: import CREATE FAILED" wait_status 60 "CREATE FAILED" \
  awsl personalize describe-dataset-import-job --dataset-import-job-arn "$bad" --query datasetImportJob.status
reason=$(awsl personalize describe-dataset-import-job --dataset-import-job-arn "$bad" --query datasetImportJob.failureReason)
echo "# failureReason: $reason"
case "$reason" in *"s3://$bucket/bad.csv line 1"*RATING*) ok "the failure names the file, line and column" ;;
  *) not_ok "the failure names the file, line and column" ;; esac
missing=$(awsl personalize create-dataset-import-job --job-name workshop-import-missing --dataset-arn "$ids" \
      --data-source "dataLocation=s3://$bucket/nothing-here.csv" --role-arn "$role_arn" --import-mode INCREMENTAL \
      --query datasetImportJobArn)
check "a missing file: import CREATE FAILED" wait_status 60 "CREATE FAILED" \
  awsl personalize describe-dataset-import-job --dataset-import-job-arn "$missing" --query datasetImportJob.status
check "list-dataset-import-jobs pages with max-items" \
  test "$(awsj personalize list-dataset-import-jobs --dataset-arn "$ids" --page-size 1 --query 'length(datasetImportJobs)')" = 3

# 6. Recipes, solutions, versions, metrics.
recipes=$(awsl personalize list-recipes --query 'recipes[].name')
for r in aws-user-personalization aws-popularity-count aws-similar-items aws-personalized-ranking; do
  case " $recipes " in *"$r"*) ok "list-recipes has $r" ;; *) not_ok "list-recipes has $r" ;; esac
done
train_recipe () {
  local r=$1 sol sv
  sol=$(awsl personalize create-solution --name "workshop-$r" --dataset-group-arn "$dg" \
        --recipe-arn "arn:aws:personalize:::recipe/aws-$r" --query solutionArn)
  check "create-solution $r" test "$sol" = "$P:solution/workshop-$r"
  check "solution $r ACTIVE" wait_status 20 ACTIVE \
    awsl personalize describe-solution --solution-arn "$sol" --query solution.status
  sv=$(awsl personalize create-solution-version --solution-arn "$sol" --query solutionVersionArn)
  case "$sv" in "$sol"/????????) ok "create-solution-version $r: $sv" ;; *) not_ok "create-solution-version $r: $sv" ;; esac
  echo "$sv" > "$work/version-$r"
  check "solution version $r ACTIVE" wait_status 180 ACTIVE \
    awsl personalize describe-solution-version --solution-version-arn "$sv" --query solutionVersion.status
  awsj personalize get-solution-metrics --solution-version-arn "$sv" > "$work/metrics-$r.json"
  check "get-solution-metrics $r has the documented keys" /usr/bin/python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
keys = ["coverage", "mean_reciprocal_rank_at_25", "normalized_discounted_cumulative_gain_at_5",
        "normalized_discounted_cumulative_gain_at_10", "normalized_discounted_cumulative_gain_at_25",
        "precision_at_5", "precision_at_10", "precision_at_25"]
assert all(k in m and 0.0 <= m[k] <= 1.0 for k in keys), m
print("# " + json.dumps(m))
' "$work/metrics-$r.json"
}
recipes4="user-personalization popularity-count similar-items personalized-ranking"
for r in $recipes4; do bg_start "train-$r" train_recipe "$r"; done
bg_collect $(for r in $recipes4; do echo "train-$r"; done)
declare -A versions
for r in $recipes4; do versions[$r]=$(cat "$work/version-$r"); done
check "describe-solution shows the latest version" test \
  "$(awsl personalize describe-solution --solution-arn "$P:solution/workshop-user-personalization" --query solution.latestSolutionVersion.solutionVersionArn)" = "${versions[user-personalization]}"
check "delete-dataset-group with datasets: ResourceInUseException" expect_error ResourceInUseException \
  awsl personalize delete-dataset-group --dataset-group-arn "$dg"

# 7. Campaigns.
up_c=$(awsl personalize create-campaign --name workshop-up --solution-version-arn "${versions[user-personalization]}" \
       --min-provisioned-tps 1 --campaign-config 'itemExplorationConfig={explorationWeight=0.3}' --query campaignArn)
sims_c=$(awsl personalize create-campaign --name workshop-similar --solution-version-arn "${versions[similar-items]}" \
       --min-provisioned-tps 1 --query campaignArn)
rank_c=$(awsl personalize create-campaign --name workshop-ranking --solution-version-arn "${versions[personalized-ranking]}" \
       --min-provisioned-tps 1 --query campaignArn)
check "create-campaign returns the ARN" test "$up_c" = "$P:campaign/workshop-up"
for c in "$up_c" "$sims_c" "$rank_c"; do
  bg_start "camp-${c##*/}" check "campaign ${c##*/} ACTIVE" wait_status 60 ACTIVE \
    awsl personalize describe-campaign --campaign-arn "$c" --query campaign.status
done
bg_collect camp-workshop-up camp-workshop-similar camp-workshop-ranking
check "delete-solution with a campaign: ResourceInUseException" expect_error ResourceInUseException \
  awsl personalize delete-solution --solution-arn "$P:solution/workshop-user-personalization"

# 8. Recommendations.
awsj personalize-runtime get-recommendations --campaign-arn "$up_c" --user-id 7 --num-results 10 > "$work/recs1.json"
check "get-recommendations: 10 items with scores, RID" /usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
items = r["itemList"]
assert len(items) == 10, items
assert all("score" in i for i in items), items
assert r["recommendationId"].startswith("RID-") and len(r["recommendationId"]) <= 40
scores = [i["score"] for i in items]
assert scores == sorted(scores, reverse=True), scores
' "$work/recs1.json"
check "get-recommendations default numResults is 25" \
  test "$(awsj personalize-runtime get-recommendations --campaign-arn "$up_c" --user-id 7 --query 'length(itemList)')" = 25
check "related items for an item" \
  test "$(awsj personalize-runtime get-recommendations --campaign-arn "$sims_c" --item-id 5 --num-results 5 --query 'length(itemList)')" = 5
check "related items campaign without itemId: InvalidInputException" expect_error InvalidInputException \
  awsl personalize-runtime get-recommendations --campaign-arn "$sims_c" --user-id 7
awsj personalize-runtime get-personalized-ranking --campaign-arn "$rank_c" --user-id 7 \
  --input-list 1 2 3 4 5 nope > "$work/rank.json"
check "get-personalized-ranking returns every input, unknown last" /usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["personalizedRanking"]
ids = [i["itemId"] for i in r]
assert sorted(ids) == sorted(["1", "2", "3", "4", "5", "nope"]), ids
assert ids[-1] == "nope" and "score" not in r[-1], r
' "$work/rank.json"
check "unknown campaign: ResourceNotFoundException" expect_error ResourceNotFoundException \
  awsl personalize-runtime get-recommendations --campaign-arn "$P:campaign/nope" --user-id 7
check "numResults 501: InvalidInputException" expect_error InvalidInputException \
  awsl personalize-runtime get-recommendations --campaign-arn "$up_c" --user-id 7 --num-results 501

# 8b. UpdateCampaign: the exploration change, with AWS's errors. (The
# lifecycle's intermediate states are checked with boto3, whose calls are
# fast enough to see them.)
check "update-campaign with explorationWeight 2: InvalidInputException" expect_error InvalidInputException \
  awsl personalize update-campaign --campaign-arn "$up_c" --campaign-config 'itemExplorationConfig={explorationWeight=2}'
check "update-campaign of an unknown campaign: ResourceNotFoundException" expect_error ResourceNotFoundException \
  awsl personalize update-campaign --campaign-arn "$P:campaign/nope" --campaign-config 'itemExplorationConfig={explorationWeight=0.5}'
check "update-campaign with another solution's version: InvalidInputException" expect_error InvalidInputException \
  awsl personalize update-campaign --campaign-arn "$up_c" --solution-version-arn "${versions[popularity-count]}"
check "update-campaign returns the campaign's ARN" \
  test "$(awsl personalize update-campaign --campaign-arn "$up_c" \
          --campaign-config 'itemExplorationConfig={explorationWeight=0.6,explorationItemAgeCutOff=20}' \
          --query campaignArn)" = "$up_c"
check "latestCampaignUpdate carries the new weight" \
  test "$(awsl personalize describe-campaign --campaign-arn "$up_c" \
          --query campaign.latestCampaignUpdate.campaignConfig.itemExplorationConfig.explorationWeight)" = 0.6
check "the campaign is ACTIVE again after the update" wait_status 60 ACTIVE \
  awsl personalize describe-campaign --campaign-arn "$up_c" --query campaign.status
check "latestCampaignUpdate is ACTIVE" \
  test "$(awsl personalize describe-campaign --campaign-arn "$up_c" --query campaign.latestCampaignUpdate.status)" = ACTIVE
check "the campaign's config is the new one" \
  test "$(awsl personalize describe-campaign --campaign-arn "$up_c" \
          --query 'campaign.campaignConfig.itemExplorationConfig.[explorationWeight,explorationItemAgeCutOff]' \
          --output text)" = "$(printf '0.6\t20')"

# 9. Event tracker and real-time events.
tracker=$(awsl personalize create-event-tracker --name MovieClickTracker --dataset-group-arn "$dg" --query eventTrackerArn)
case "$tracker" in "$P:event-tracker/"????????) ok "create-event-tracker: $tracker" ;; *) not_ok "create-event-tracker: $tracker" ;; esac
check "event tracker ACTIVE" wait_status 20 ACTIVE \
  awsl personalize describe-event-tracker --event-tracker-arn "$tracker" --query eventTracker.status
tracking_id=$(awsl personalize describe-event-tracker --event-tracker-arn "$tracker" --query eventTracker.trackingId)
check "a second tracker: ResourceAlreadyExistsException" expect_error ResourceAlreadyExistsException \
  awsl personalize create-event-tracker --name Another --dataset-group-arn "$dg"
check "the tracker's EVENT_INTERACTIONS dataset is listed" \
  test "$(awsl personalize list-datasets --dataset-group-arn "$dg" --query "datasets[?datasetType=='EVENT_INTERACTIONS'].datasetArn")" = "$P:dataset/workshop-dg/EVENT_INTERACTIONS"
before=$(awsl personalize-runtime get-recommendations --campaign-arn "$up_c" --user-id 7 --num-results 10 --query 'itemList[].itemId')
now=$(date +%s)
check "put-events (2019 properties form)" awsl personalize-events put-events --tracking-id "$tracking_id" \
  --user-id 7 --session-id session-7 \
  --event-list "[{\"eventType\":\"RATING\",\"sentAt\":$now,\"properties\":\"{\\\"itemId\\\": \\\"5\\\"}\"},{\"eventType\":\"RATING\",\"sentAt\":$((now+1)),\"properties\":\"{\\\"itemId\\\": \\\"10\\\"}\"}]"
check "put-events (itemId form)" awsl personalize-events put-events --tracking-id "$tracking_id" \
  --user-id 7 --session-id session-7 \
  --event-list "[{\"eventType\":\"RATING\",\"sentAt\":$((now+2)),\"itemId\":\"15\"},{\"eventType\":\"RATING\",\"sentAt\":$((now+3)),\"itemId\":\"20\"},{\"eventType\":\"RATING\",\"sentAt\":$((now+4)),\"itemId\":\"25\"}]"
after=$(awsl personalize-runtime get-recommendations --campaign-arn "$up_c" --user-id 7 --num-results 10 --query 'itemList[].itemId')
echo "# before: $before"
echo "# after:  $after"
check "the next recommendations changed" test "$before" != "$after"
case " $after " in *" 5 "*|*" 10 "*|*" 15 "*) not_ok "clicked items are no longer recommended" ;;
  *) ok "clicked items are no longer recommended" ;; esac
check "put-events with an unknown trackingId: ResourceNotFoundException" expect_error ResourceNotFoundException \
  awsl personalize-events put-events --tracking-id 00000000-0000-0000-0000-000000000000 --session-id s \
  --event-list "[{\"eventType\":\"RATING\",\"sentAt\":$now,\"itemId\":\"1\"}]"

# 10. Batch inference.
check "s3 cp batch input" awsl s3 cp "$work/input/batch.json" "s3://$bucket/json_input.json"
bj=$(awsl personalize create-batch-inference-job --job-name workshop-batch --solution-version-arn "${versions[user-personalization]}" \
     --job-input "s3DataSource={path=s3://$bucket/json_input.json}" --job-output "s3DataDestination={path=s3://$bucket/}" \
     --role-arn "$role_arn" --num-results 25 --query batchInferenceJobArn)
check "create-batch-inference-job" test "$bj" = "$P:batch-inference-job/workshop-batch"
check "batch inference job ACTIVE" wait_status 120 ACTIVE \
  awsl personalize describe-batch-inference-job --batch-inference-job-arn "$bj" --query batchInferenceJob.status
check "s3 cp the .out file" awsl s3 cp "s3://$bucket/json_input.json.out" "$work/out.json"
check "one output line per input with 25 items and scores" /usr/bin/python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 10, len(lines)
for i, l in enumerate(lines):
    assert l["input"] == {"userId": str(i + 1)}, l
    assert len(l["output"]["recommendedItems"]) == 25, l
    assert len(l["output"]["scores"]) == 25 and l["error"] is None, l
' "$work/out.json"

# 11. Cleanup, in dependency order.
delete_campaign () {
  check "delete-campaign ${1##*/}" awsl personalize delete-campaign --campaign-arn "$1"
  check "campaign ${1##*/} gone" wait_gone 30 awsl personalize describe-campaign --campaign-arn "$1"
}
for c in "$up_c" "$sims_c" "$rank_c"; do bg_start "del-${c##*/}" delete_campaign "$c"; done
bg_collect del-workshop-up del-workshop-similar del-workshop-ranking
delete_solution () {
  check "delete-solution $1" awsl personalize delete-solution --solution-arn "$P:solution/workshop-$1"
  check "solution $1 gone" wait_gone 30 awsl personalize describe-solution --solution-arn "$P:solution/workshop-$1"
}
for r in $recipes4; do bg_start "del-$r" delete_solution "$r"; done
bg_collect $(for r in $recipes4; do echo "del-$r"; done)
check "its versions are gone" expect_error ResourceNotFoundException \
  awsl personalize describe-solution-version --solution-version-arn "${versions[user-personalization]}"
check "delete-event-tracker" awsl personalize delete-event-tracker --event-tracker-arn "$tracker"
check "event tracker gone" wait_gone 30 awsl personalize describe-event-tracker --event-tracker-arn "$tracker"
delete_dataset () {
  check "delete-dataset ${1##*/}" awsl personalize delete-dataset --dataset-arn "$1"
  check "dataset ${1##*/} gone" wait_gone 30 awsl personalize describe-dataset --dataset-arn "$1"
}
for d in "$ids" "$itds" "$P:dataset/workshop-dg/EVENT_INTERACTIONS"; do bg_start "del-${d##*/}" delete_dataset "$d"; done
bg_collect del-INTERACTIONS del-ITEMS del-EVENT_INTERACTIONS
bg_start del-is check "delete-schema interactions" awsl personalize delete-schema --schema-arn "$is"
bg_start del-its check "delete-schema items" awsl personalize delete-schema --schema-arn "$its"
bg_collect del-is del-its
check "delete-dataset-group" awsl personalize delete-dataset-group --dataset-group-arn "$dg"
check "dataset group gone" wait_gone 30 awsl personalize describe-dataset-group --dataset-group-arn "$dg"
check "list-dataset-groups is empty" test "$(awsj personalize list-dataset-groups --query 'length(datasetGroups)')" = 0
check "delete-bucket with objects: BucketNotEmpty" expect_error BucketNotEmpty awsl s3api delete-bucket --bucket "$bucket"
keys=$(awsl s3api list-objects-v2 --bucket "$bucket" --query 'Contents[].Key')
check "list-objects-v2 lists the 5 objects" test "$(echo $keys | wc -w)" = 5
n_keys=0
for k in $keys; do
  n_keys=$((n_keys + 1))
  bg_start "rm-$n_keys" check "delete-object $k" awsl s3api delete-object --bucket "$bucket" --key "$k"
done
bg_collect $(seq -f "rm-%g" 1 $n_keys)
check "delete-object again (absent) succeeds" awsl s3api delete-object --bucket "$bucket" --key interactions.csv
check "delete-bucket" awsl s3api delete-bucket --bucket "$bucket"
check "delete-role with policies: DeleteConflict" expect_error DeleteConflict \
  awsl iam delete-role --role-name PersonalizeRoleWorkshop
check "iam detach-role-policy 1" awsl iam detach-role-policy --role-name PersonalizeRoleWorkshop \
  --policy-arn arn:aws:iam::aws:policy/service-role/AmazonPersonalizeFullAccess
check "iam detach-role-policy 2" awsl iam detach-role-policy --role-name PersonalizeRoleWorkshop \
  --policy-arn arn:aws:iam::aws:policy/AmazonS3FullAccess
check "iam delete-role" awsl iam delete-role --role-name PersonalizeRoleWorkshop
check "iam get-role after delete: NoSuchEntity" expect_error NoSuchEntity awsl iam get-role --role-name PersonalizeRoleWorkshop

stop_server
check "nothing is left in the state folder" test -z "$(find "$work/data/personalize" "$work/data/s3" "$work/data/iam" -type f)"
finish
