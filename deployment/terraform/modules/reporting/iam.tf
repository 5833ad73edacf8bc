# The reporting role reads the credentials table and reads and advances the
# issues table; nothing else in AWS (JIRA and Slack are reached over HTTPS),
# but the Security Hub export when securityhub_enabled.
# deployment/terraform/checks.mjs checks on an offline plan that the table
# actions are exactly the SDK commands the reporting code can send.

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

  # The tables, for the Lambda and for the host command.
  table_statements = {
    for user, issues_actions in { lambda = local.issues_table_actions, host = local.host_issues_table_actions } : user => concat(
      [
        {
          Sid      = "ReadCredentials"
          Effect   = "Allow"
          Action   = local.credentials_table_actions
          Resource = [local.credentials_table_arn]
        },
        {
          Sid      = "ReadWriteIssues"
          Effect   = "Allow"
          Action   = issues_actions
          Resource = [local.issues_table_arn]
        },
      ],
      local.table_key_statements,
    )
  }

  # Tables encrypted with a customer-managed key: the key through DynamoDB.
  table_key_statements = length(local.table_key_arns) == 0 ? [] : [{
    Sid       = "UseTableKeys"
    Effect    = "Allow"
    Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
    Resource  = local.table_key_arns
    Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${local.region}.amazonaws.com" } }
  }]

  # The Security Hub export (securityhub_enabled): the controlled accounts'
  # cross-account role, through which each account imports its own findings,
  # and BatchImportFindings into this account's default product for its own.
  securityhub_statements = var.securityhub_enabled ? concat(
    length(var.securityhub_account_ids) > 0 ? [{
      Sid      = "AssumeCrossAccountRoleForSecurityHub"
      Effect   = "Allow"
      Action   = ["sts:AssumeRole"]
      Resource = [for id in sort(var.securityhub_account_ids) : "arn:${local.partition}:iam::${id}:role/${var.securityhub_crossaccount_role_name}"]
    }] : [],
    [{
      Sid      = "ImportOwnSecurityHubFindings"
      Effect   = "Allow"
      Action   = ["securityhub:BatchImportFindings"]
      Resource = ["arn:${local.partition}:securityhub:*:${var.account_id}:product/${var.account_id}/default"]
    }],
  ) : []

  policy = {
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid      = "WriteOwnLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${local.log_group_arn}:*"]
      }],
      local.table_statements.lambda,
      [{
        Sid      = "SendFailedEventsToDeadLetterQueue"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [local.dead_letter_queue_arn]
      }],
      local.securityhub_statements,
    )
  }

  # What the reporting command needs on an operator's host: the same tables,
  # its log stream through the CloudWatch agent, and the Security Hub export.
  host_policy = {
    Version = "2012-10-17"
    Statement = concat(
      local.table_statements.host,
      [{
        Sid      = "WriteHostLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
        Resource = ["${local.host_log_group_arn}:*"]
      }],
      # The command exports to Security Hub as the Lambda does; the
      # controlled accounts' roles trust only securityhub_reporting_role_arn,
      # so the host's principal must be that role to import there.
      local.securityhub_statements,
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
  description = "Lets an operator's host run Hammer's CloudTrail reporting command (attach to its instance role or user)"
  policy      = jsonencode(local.host_policy)
  tags        = var.tags
}
