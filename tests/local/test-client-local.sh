#!/usr/bin/env bash
# The application's own AWS client (personalize-workshop-cli call, the same
# code the app uses) runs the workshop's call sequence against
# personalize-local: identity, bucket and upload, role, dataset group,
# schemas, datasets, imports, solution, version, metrics, campaign,
# recommendations, event tracker, a live click, and cleanup. TAP.
# Usage: test-client-local.sh PERSONALIZE_LOCAL PERSONALIZE_WORKSHOP_CLI
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/local-common.sh"

binary=$1
cli=$2
work=$(mktemp -d /tmp/pw-client-local.XXXXXX)
trap 'stop_server; trap_bg_dir; rm -rf "$work" "$server_log"' EXIT
/usr/bin/python3 "$here/make-synthetic-data.py" "$work/input" 120 150 25

start_server "$binary" "$work/data" || { not_ok "server starts"; finish; exit 1; }
ok "server starts on $PW_ENDPOINT"

# call SERVICE OPERATION JSON: prints the JSON answer
call () {
  "$cli" call "$1" "$2" "${3:-{\}}" --endpoint-url "$PW_ENDPOINT"
}

# field JSON-PATH: reads one value from JSON on stdin ("a.b.0.c")
field () {
  /usr/bin/python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v if not isinstance(v, (dict, list)) else json.dumps(v))' "$1"
}

# status SERVICE OPERATION JSON PATH: for wait_status
status () {
  call "$1" "$2" "$3" | field "$4"
}

expect_code () {
  # expect_code CODE SERVICE OPERATION JSON: the call fails, naming CODE
  local code=$1 out
  shift
  if out=$(call "$@" 2>&1); then echo "# succeeded: $out"; return 1; fi
  case "$out" in *"$code"*) return 0 ;; esac
  echo "# expected $code, got: $out"
  return 1
}

P="arn:aws:personalize:us-east-1:123456789012"

account=$("$cli" whoami --endpoint-url "$PW_ENDPOINT" 2>/dev/null | field Account)
check "whoami (STS GetCallerIdentity) gives the local account" test "$account" = 123456789012

bucket="${account}-client-workshop"
check "s3 CreateBucket" call s3 CreateBucket "{\"Bucket\":\"$bucket\"}"
check "s3 PutObject interactions (streamed from the file)" \
  call s3 PutObject "{\"Bucket\":\"$bucket\",\"Key\":\"interactions.csv\",\"Body\":\"$work/input/interactions.csv\"}"
check "s3 PutObject items" \
  call s3 PutObject "{\"Bucket\":\"$bucket\",\"Key\":\"items.csv\",\"Body\":\"$work/input/items.csv\"}"
check "s3 ListObjectsV2 lists both (XML answer as JSON)" \
  test "$(call s3 ListObjectsV2 "{\"Bucket\":\"$bucket\"}" | field KeyCount)" = 2

trust='{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"personalize.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'
role=$(call iam CreateRole "{\"RoleName\":\"PersonalizeRoleClient\",\"AssumeRolePolicyDocument\":\"$trust\"}" | field Role.Arn)
check "iam CreateRole" test "$role" = "arn:aws:iam::123456789012:role/PersonalizeRoleClient"
check "iam AttachRolePolicy" call iam AttachRolePolicy \
  '{"RoleName":"PersonalizeRoleClient","PolicyArn":"arn:aws:iam::aws:policy/service-role/AmazonPersonalizeFullAccess"}'

dg=$(call personalize CreateDatasetGroup '{"name":"client-dg"}' | field datasetGroupArn)
check "CreateDatasetGroup" test "$dg" = "$P:dataset-group/client-dg"
check "dataset group ACTIVE" wait_status 20 ACTIVE \
  status personalize DescribeDatasetGroup "{\"datasetGroupArn\":\"$dg\"}" datasetGroup.status
check "CreateDatasetGroup again: ResourceAlreadyExistsException" \
  expect_code ResourceAlreadyExistsException personalize CreateDatasetGroup '{"name":"client-dg"}'

is_json='{\"type\":\"record\",\"name\":\"Interactions\",\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},{\"name\":\"TIMESTAMP\",\"type\":\"long\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]}],\"version\":\"1.0\"}'
it_json='{\"type\":\"record\",\"name\":\"Items\",\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":[{\"name\":\"ITEM_ID\",\"type\":\"string\"},{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true},{\"name\":\"CREATION_TIMESTAMP\",\"type\":\"long\"}],\"version\":\"1.0\"}'
is=$(call personalize CreateSchema "{\"name\":\"client-interactions\",\"schema\":\"$is_json\"}" | field schemaArn)
its=$(call personalize CreateSchema "{\"name\":\"client-items\",\"schema\":\"$it_json\"}" | field schemaArn)
check "CreateSchema interactions and items" test "$is,$its" = "$P:schema/client-interactions,$P:schema/client-items"
ids=$(call personalize CreateDataset "{\"name\":\"client-interactions\",\"schemaArn\":\"$is\",\"datasetGroupArn\":\"$dg\",\"datasetType\":\"Interactions\"}" | field datasetArn)
itds=$(call personalize CreateDataset "{\"name\":\"client-items\",\"schemaArn\":\"$its\",\"datasetGroupArn\":\"$dg\",\"datasetType\":\"Items\"}" | field datasetArn)
check "CreateDataset interactions and items" test "$ids,$itds" = "$P:dataset/client-dg/INTERACTIONS,$P:dataset/client-dg/ITEMS"
check "interactions dataset ACTIVE" wait_status 20 ACTIVE \
  status personalize DescribeDataset "{\"datasetArn\":\"$ids\"}" dataset.status

ij=$(call personalize CreateDatasetImportJob "{\"jobName\":\"client-import-interactions\",\"datasetArn\":\"$ids\",\"dataSource\":{\"dataLocation\":\"s3://$bucket/interactions.csv\"},\"roleArn\":\"$role\"}" | field datasetImportJobArn)
itj=$(call personalize CreateDatasetImportJob "{\"jobName\":\"client-import-items\",\"datasetArn\":\"$itds\",\"dataSource\":{\"dataLocation\":\"s3://$bucket/items.csv\"},\"roleArn\":\"$role\"}" | field datasetImportJobArn)
check "interactions import ACTIVE" wait_status 60 ACTIVE \
  status personalize DescribeDatasetImportJob "{\"datasetImportJobArn\":\"$ij\"}" datasetImportJob.status
check "items import ACTIVE" wait_status 60 ACTIVE \
  status personalize DescribeDatasetImportJob "{\"datasetImportJobArn\":\"$itj\"}" datasetImportJob.status

sol=$(call personalize CreateSolution "{\"name\":\"client-up\",\"datasetGroupArn\":\"$dg\",\"recipeArn\":\"arn:aws:personalize:::recipe/aws-user-personalization\"}" | field solutionArn)
check "solution ACTIVE" wait_status 20 ACTIVE \
  status personalize DescribeSolution "{\"solutionArn\":\"$sol\"}" solution.status
sv=$(call personalize CreateSolutionVersion "{\"solutionArn\":\"$sol\"}" | field solutionVersionArn)
check "solution version trains to ACTIVE" wait_status 120 ACTIVE \
  status personalize DescribeSolutionVersion "{\"solutionVersionArn\":\"$sv\"}" solutionVersion.status
p25=$(call personalize GetSolutionMetrics "{\"solutionVersionArn\":\"$sv\"}" | field metrics.precision_at_25)
check "GetSolutionMetrics reports precision_at_25 ($p25)" \
  /usr/bin/python3 -c "import sys; v = float(sys.argv[1]); sys.exit(0 if 0 < v <= 1 else 1)" "$p25"

camp=$(call personalize CreateCampaign "{\"name\":\"client-campaign\",\"solutionVersionArn\":\"$sv\",\"minProvisionedTPS\":1}" | field campaignArn)
check "campaign ACTIVE" wait_status 60 ACTIVE \
  status personalize DescribeCampaign "{\"campaignArn\":\"$camp\"}" campaign.status

call personalize-runtime GetRecommendations "{\"campaignArn\":\"$camp\",\"userId\":\"7\"}" > "$work/before.json"
check "GetRecommendations gives 25 items" test "$(field itemList < "$work/before.json" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 25
clicked=$(field itemList.0.itemId < "$work/before.json")

tracker=$(call personalize CreateEventTracker "{\"name\":\"client-tracker\",\"datasetGroupArn\":\"$dg\"}")
tracker_arn=$(echo "$tracker" | field eventTrackerArn)
tracking_id=$(echo "$tracker" | field trackingId)
check "event tracker ACTIVE" wait_status 20 ACTIVE \
  status personalize DescribeEventTracker "{\"eventTrackerArn\":\"$tracker_arn\"}" eventTracker.status
now=$(date +%s)
check "PutEvents: user 7 clicks the top recommendation ($clicked)" \
  call personalize-events PutEvents "{\"trackingId\":\"$tracking_id\",\"userId\":\"7\",\"sessionId\":\"s7\",\"eventList\":[{\"eventType\":\"RATING\",\"itemId\":\"$clicked\",\"eventValue\":5,\"sentAt\":$now}]}"
call personalize-runtime GetRecommendations "{\"campaignArn\":\"$camp\",\"userId\":\"7\"}" > "$work/after.json"
check "the next list leaves the clicked item out and changes" /usr/bin/python3 -c '
import json, sys
before = [i["itemId"] for i in json.load(open(sys.argv[1]))["itemList"]]
after = [i["itemId"] for i in json.load(open(sys.argv[2]))["itemList"]]
sys.exit(0 if sys.argv[3] not in after and after != before else 1)' "$work/before.json" "$work/after.json" "$clicked"

# Cleanup in dependency order.
check "DeleteSolution with a campaign: ResourceInUseException" \
  expect_code ResourceInUseException personalize DeleteSolution "{\"solutionArn\":\"$sol\"}"
check "DeleteCampaign" call personalize DeleteCampaign "{\"campaignArn\":\"$camp\"}"
check "campaign gone" wait_gone 60 call personalize DescribeCampaign "{\"campaignArn\":\"$camp\"}"
check "DeleteEventTracker" call personalize DeleteEventTracker "{\"eventTrackerArn\":\"$tracker_arn\"}"
check "event tracker gone" wait_gone 60 call personalize DescribeEventTracker "{\"eventTrackerArn\":\"$tracker_arn\"}"
check "DeleteSolution" call personalize DeleteSolution "{\"solutionArn\":\"$sol\"}"
check "solution gone" wait_gone 60 call personalize DescribeSolution "{\"solutionArn\":\"$sol\"}"
for d in "$ids" "$itds" "$P:dataset/client-dg/EVENT_INTERACTIONS"; do
  check "DeleteDataset ${d##*/}" call personalize DeleteDataset "{\"datasetArn\":\"$d\"}"
  check "dataset ${d##*/} gone" wait_gone 60 call personalize DescribeDataset "{\"datasetArn\":\"$d\"}"
done
check "DeleteSchema interactions" call personalize DeleteSchema "{\"schemaArn\":\"$is\"}"
check "DeleteSchema items" call personalize DeleteSchema "{\"schemaArn\":\"$its\"}"
check "DeleteDatasetGroup" call personalize DeleteDatasetGroup "{\"datasetGroupArn\":\"$dg\"}"
check "dataset group gone" wait_gone 60 call personalize DescribeDatasetGroup "{\"datasetGroupArn\":\"$dg\"}"
check "iam DetachRolePolicy" call iam DetachRolePolicy \
  '{"RoleName":"PersonalizeRoleClient","PolicyArn":"arn:aws:iam::aws:policy/service-role/AmazonPersonalizeFullAccess"}'
check "iam DeleteRole" call iam DeleteRole '{"RoleName":"PersonalizeRoleClient"}'
check "s3 DeleteObject x2" call s3 DeleteObject "{\"Bucket\":\"$bucket\",\"Key\":\"interactions.csv\"}"
call s3 DeleteObject "{\"Bucket\":\"$bucket\",\"Key\":\"items.csv\"}" > /dev/null
check "s3 DeleteBucket" call s3 DeleteBucket "{\"Bucket\":\"$bucket\"}"
check "nothing is left: ListDatasetGroups is empty" \
  test "$(call personalize ListDatasetGroups | field datasetGroups)" = "[]"

finish
