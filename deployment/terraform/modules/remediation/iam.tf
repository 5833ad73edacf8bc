# The remediation role reads the credentials table, reads and writes the
# issues table (the rescans merge findings as identification does: PutItem
# for a new or reopened issue, UpdateItem otherwise), and assumes the
# cross-account remediation role of each remediation account; in its own
# account (when it is a remediation account) it reads trails and starts the
# account's own trails itself. The cross-account roles hold the CloudTrail
# permissions (modules/remediation-role).

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

  table_key_arns = distinct(compact([var.issues_table_kms_key_arn, var.credentials_table_kms_key_arn]))

  remediation_statements = concat(
    [
      {
        Sid      = "ReadCredentials"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem"]
        Resource = [local.credentials_table_arn]
      },
      {
        Sid      = "ReadWriteIssues"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
        Resource = [local.issues_table_arn]
      },
    ],
    length(local.crossaccount_account_ids) == 0 ? [] : [{
      Sid      = "AssumeRemediationRoles"
      Effect   = "Allow"
      Action   = ["sts:AssumeRole"]
      Resource = [for id in local.crossaccount_account_ids : "arn:${local.partition}:iam::${id}:role/${var.crossaccount_role_name}"]
    }],
    # Tables encrypted with a customer-managed key: the key through DynamoDB.
    length(local.table_key_arns) == 0 ? [] : [{
      Sid       = "UseTableKeys"
      Effect    = "Allow"
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = local.table_key_arns
      Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${local.region}.amazonaws.com" } }
    }],
    # In its own account, the remediation role's rights (the reads, and
    # StartLogging on the account's own trails), held by the Lambda itself.
    local.remediates_own_account ? module.own_account.policy.Statement : [],
  )

  policy = {
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid      = "WriteOwnLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${local.log_group_arn}:*"]
      }],
      local.remediation_statements,
      [{
        Sid      = "SendFailedEventsToDeadLetterQueue"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [local.dead_letter_queue_arn]
      }],
    )
  }

  # What the remediation command needs on an operator's host: the same, and
  # its log stream through the CloudWatch agent. The host's role must also be
  # trusted by each remediation role (operator_role_arn of crossaccount/).
  host_policy = {
    Version = "2012-10-17"
    Statement = concat(
      local.remediation_statements,
      [{
        Sid      = "WriteHostLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
        Resource = ["${local.host_log_group_arn}:*"]
      }],
    )
  }
}

resource "aws_iam_role" "this" {
  name               = var.function_name
  description        = "Execution role of the Lambda ${var.function_name}"
  assume_role_policy = jsonencode(local.lambda_trust_policy)
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.function_name}-permissions"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.policy)
}

resource "aws_iam_policy" "host" {
  count = var.host_policy_name == null ? 0 : 1

  name        = var.host_policy_name
  description = "Lets an operator's host run Hammer's CloudTrail remediation command (attach to its instance role or user)"
  policy      = jsonencode(local.host_policy)
  tags        = var.tags
}

module "own_account" {
  source = "../remediation-role-policies"

  partition         = local.partition
  account_id        = var.account_id
  trusted_role_arns = []
}
