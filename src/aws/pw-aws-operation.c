/* pw-aws-operation.c: what the client knows about each operation
 *
 * Every operation of spec/personalize-api.md's "Operations used by the
 * workshop", plus the List calls that check whether a create happened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include <string.h>

#include "pw-aws-operation.h"

#define P PW_AWS_SERVICE_PERSONALIZE
#define SAFE PW_AWS_RETRY_SAFE
#define CHECK PW_AWS_RETRY_CHECK_FIRST
#define NEVER PW_AWS_RETRY_NEVER_AFTER_SEND

static const PwAwsOperation operations[] = {
  /* Amazon Personalize (JSON 1.1) */
  { P, "CreateDatasetGroup", NULL, NULL, CHECK, "ListDatasetGroups", NULL, "datasetGroups", "name", "datasetGroupArn" },
  { P, "DescribeDatasetGroup", NULL, NULL, SAFE },
  { P, "ListDatasetGroups", NULL, NULL, SAFE },
  { P, "DeleteDatasetGroup", NULL, NULL, SAFE },
  { P, "CreateSchema", NULL, NULL, CHECK, "ListSchemas", NULL, "schemas", "name", "schemaArn" },
  { P, "DescribeSchema", NULL, NULL, SAFE },
  { P, "ListSchemas", NULL, NULL, SAFE },
  { P, "DeleteSchema", NULL, NULL, SAFE },
  { P, "CreateDataset", NULL, NULL, CHECK, "ListDatasets", "datasetGroupArn", "datasets", "name", "datasetArn" },
  { P, "DescribeDataset", NULL, NULL, SAFE },
  { P, "ListDatasets", NULL, NULL, SAFE },
  { P, "DeleteDataset", NULL, NULL, SAFE },
  { P, "CreateDatasetImportJob", NULL, NULL, CHECK, "ListDatasetImportJobs", "datasetArn", "datasetImportJobs", "jobName", "datasetImportJobArn" },
  { P, "DescribeDatasetImportJob", NULL, NULL, SAFE },
  { P, "ListDatasetImportJobs", NULL, NULL, SAFE },
  { P, "ListRecipes", NULL, NULL, SAFE },
  { P, "DescribeRecipe", NULL, NULL, SAFE },
  { P, "CreateSolution", NULL, NULL, CHECK, "ListSolutions", "datasetGroupArn", "solutions", "name", "solutionArn" },
  { P, "DescribeSolution", NULL, NULL, SAFE },
  { P, "ListSolutions", NULL, NULL, SAFE },
  { P, "DeleteSolution", NULL, NULL, SAFE },
  /* Versions have no unique name: the check looks for one created since the call began. */
  { P, "CreateSolutionVersion", NULL, NULL, CHECK, "ListSolutionVersions", "solutionArn", "solutionVersions", NULL, "solutionVersionArn" },
  { P, "DescribeSolutionVersion", NULL, NULL, SAFE },
  { P, "ListSolutionVersions", NULL, NULL, SAFE },
  { P, "GetSolutionMetrics", NULL, NULL, SAFE },
  { P, "CreateCampaign", NULL, NULL, CHECK, "ListCampaigns", NULL, "campaigns", "name", "campaignArn" },
  { P, "DescribeCampaign", NULL, NULL, SAFE },
  { P, "ListCampaigns", NULL, NULL, SAFE },
  { P, "DeleteCampaign", NULL, NULL, SAFE },
  { P, "UpdateCampaign", NULL, NULL, SAFE },
  { P, "CreateEventTracker", NULL, NULL, CHECK, "ListEventTrackers", "datasetGroupArn", "eventTrackers", "name", "eventTrackerArn" },
  { P, "DescribeEventTracker", NULL, NULL, SAFE },
  { P, "ListEventTrackers", NULL, NULL, SAFE },
  { P, "DeleteEventTracker", NULL, NULL, SAFE },
  { P, "CreateBatchInferenceJob", NULL, NULL, CHECK, "ListBatchInferenceJobs", "solutionVersionArn", "batchInferenceJobs", "jobName", "batchInferenceJobArn" },
  { P, "DescribeBatchInferenceJob", NULL, NULL, SAFE },
  { P, "ListBatchInferenceJobs", NULL, NULL, SAFE },

  /* Runtime and events (REST-JSON) */
  { PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetRecommendations", "POST", "/recommendations", SAFE },
  { PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetPersonalizedRanking", "POST", "/personalize-ranking", SAFE },
  { PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents", "POST", "/events", NEVER },

  /* S3 (REST-XML); CreateBucket is repeatable: BucketAlreadyOwnedByYou after
   * an ambiguous failure means it worked. */
  { PW_AWS_SERVICE_S3, "CreateBucket", "PUT", NULL, SAFE },
  { PW_AWS_SERVICE_S3, "PutBucketPolicy", "PUT", NULL, SAFE },
  { PW_AWS_SERVICE_S3, "PutObject", "PUT", NULL, SAFE },
  { PW_AWS_SERVICE_S3, "GetObject", "GET", NULL, SAFE },
  { PW_AWS_SERVICE_S3, "HeadObject", "HEAD", NULL, SAFE },
  { PW_AWS_SERVICE_S3, "HeadBucket", "HEAD", NULL, SAFE },
  { PW_AWS_SERVICE_S3, "ListObjectsV2", "GET", NULL, SAFE },
  { PW_AWS_SERVICE_S3, "DeleteObject", "DELETE", NULL, SAFE },
  { PW_AWS_SERVICE_S3, "DeleteBucket", "DELETE", NULL, SAFE },

  /* IAM (query) */
  { PW_AWS_SERVICE_IAM, "CreateRole", NULL, NULL, CHECK, "GetRole", "RoleName", NULL, NULL, NULL },
  { PW_AWS_SERVICE_IAM, "GetRole", NULL, NULL, SAFE },
  { PW_AWS_SERVICE_IAM, "AttachRolePolicy", NULL, NULL, SAFE },
  { PW_AWS_SERVICE_IAM, "DetachRolePolicy", NULL, NULL, SAFE },
  { PW_AWS_SERVICE_IAM, "ListAttachedRolePolicies", NULL, NULL, SAFE },
  { PW_AWS_SERVICE_IAM, "DeleteRole", NULL, NULL, SAFE },

  /* STS (query) */
  { PW_AWS_SERVICE_STS, "GetCallerIdentity", NULL, NULL, SAFE },
};

const PwAwsOperation *
pw_aws_operation_lookup (PwAwsService  service,
                         const char   *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    if (operations[i].service == service && strcmp (operations[i].name, name) == 0)
      return &operations[i];
  return NULL;
}

const PwAwsOperation *
pw_aws_operation_list (guint *n_operations)
{
  *n_operations = G_N_ELEMENTS (operations);
  return operations;
}
