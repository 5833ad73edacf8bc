# One role per Lambda, named after it, each allowed only what its code calls,
# on exact resources. deployment/terraform/checks.mjs derives, from the
# handlers' code, the AWS SDK commands each bundle can send, and checks on an
# offline plan that each role's actions are exactly those (plus what the
# Lambda service does with the role: write the log group, send to the
# dead-letter queue, use the KMS keys). ec2:DescribeRegions and
# cloudtrail:DescribeTrails accept no resource but "*" (AWS gives them no
# resource type).

locals {
  lambda_trust_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "LambdaAssumesRole"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  }

  logs_statements = {
    for key, arn in local.log_group_arns : key => {
      Sid      = "WriteOwnLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${arn}:*"]
    }
  }

  dead_letter_statement = {
    Sid      = "SendFailedEventsToDeadLetterQueue"
    Effect   = "Allow"
    Action   = ["sqs:SendMessage"]
    Resource = [local.dead_letter_queue_arn]
  }

  # Publishing to a topic encrypted with a customer-managed key needs the key
  # (through SNS); the AWS managed key alias/aws/sns needs nothing more.
  topic_key_statements = var.kms_key_arn == null ? [] : [{
    Sid       = "EncryptForTopic"
    Effect    = "Allow"
    Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
    Resource  = [var.kms_key_arn]
    Condition = { StringEquals = { "kms:ViaService" = "sns.${local.region}.amazonaws.com" } }
  }]

  # Tables encrypted with a customer-managed key: the key through DynamoDB.
  table_key_arns = distinct(compact([var.issues_table_kms_key_arn, var.api_requests_table_kms_key_arn]))
  table_key_statements = length(local.table_key_arns) == 0 ? [] : [{
    Sid       = "UseTableKeys"
    Effect    = "Allow"
    Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
    Resource  = local.table_key_arns
    Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${local.region}.amazonaws.com" } }
  }]

  crossaccount_role_arns = [for id in sort(var.crossaccount_account_ids) : "arn:${local.partition}:iam::${id}:role/${var.crossaccount_role_name}"]

  policies = {
    # library/scan/initiateScan.ts: SNS PublishBatch (IAM action sns:Publish);
    # EC2 DescribeRegions only when config.json has no aws.regions.
    initiate = {
      Version = "2012-10-17"
      Statement = concat(
        [local.logs_statements.initiate],
        [{
          Sid      = "PublishWork"
          Effect   = "Allow"
          Action   = ["sns:Publish"]
          Resource = [local.topic_arn]
        }],
        var.discover_regions ? [{
          Sid      = "DiscoverRegions"
          Effect   = "Allow"
          Action   = ["ec2:DescribeRegions"]
          Resource = ["*"]
        }] : [],
        local.topic_key_statements,
        [local.dead_letter_statement],
      )
    }

    # library/scan/identifyScanMessage.ts and what it calls: STS AssumeRole,
    # CloudTrail reads, SNS PublishBatch of the regions left, the issue
    # store's GetItem, PutItem (new item, new lifecycle) and UpdateItem, and
    # UpdateItem of an API request's progress. It never queries the issues
    # table and never lists regions (the message names them).
    describe = {
      Version = "2012-10-17"
      Statement = concat(
        [local.logs_statements.describe],
        length(local.crossaccount_role_arns) > 0 ? [{
          Sid      = "AssumeCrossAccountRole"
          Effect   = "Allow"
          Action   = ["sts:AssumeRole"]
          Resource = local.crossaccount_role_arns
        }] : [],
        # The master account's own trails, read as in the controlled accounts.
        module.cloudtrail_read.statements,
        [
          {
            Sid      = "RepublishRemainingRegions"
            Effect   = "Allow"
            Action   = ["sns:Publish"]
            Resource = [local.topic_arn]
          },
          {
            Sid      = "ReadWriteIssues"
            Effect   = "Allow"
            Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
            Resource = [local.issues_table_arn]
          },
          {
            Sid      = "CountApiRequestProgress"
            Effect   = "Allow"
            Action   = ["dynamodb:UpdateItem"]
            Resource = [local.api_table_arn]
          },
        ],
        local.topic_key_statements,
        local.table_key_statements,
        [local.dead_letter_statement],
      )
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.functions

  name               = each.value.name
  description        = "Execution role of the Lambda ${each.value.name}"
  assume_role_policy = jsonencode(local.lambda_trust_policy)
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  for_each = local.policies

  name   = "${local.functions[each.key].name}-permissions"
  role   = aws_iam_role.this[each.key].id
  policy = jsonencode(each.value)
}

module "cloudtrail_read" {
  source = "../cloudtrail-read-statements"

  partition = local.partition
}
