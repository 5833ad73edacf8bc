# Reporting in the master account: a scheduled Lambda that turns stored issues
# into JIRA tickets and Slack messages, one run at a time.

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  handler                   = "create_cloudtrail_tickets.lambda_handler"
  log_group_name            = "/aws/lambda/${var.function_name}"
  log_group_arn             = "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${local.log_group_name}"
  host_log_group_arn        = "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${var.host_log_group_name}"
  dead_letter_queue_arn     = "arn:${local.partition}:sqs:${local.region}:${var.account_id}:${var.dead_letter_queue_name}"
  issues_table_arn          = "arn:${local.partition}:dynamodb:${local.region}:${var.account_id}:table/${var.issues_table_name}"
  credentials_table_arn     = "arn:${local.partition}:dynamodb:${local.region}:${var.account_id}:table/${var.credentials_table_name}"
  issues_table_actions      = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
  credentials_table_actions = ["dynamodb:GetItem"]
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  function_name    = var.function_name
  description      = "Hammer CloudTrail logging issues: JIRA tickets and Slack messages for the issues in ${var.issues_table_name}"
  role             = aws_iam_role.this.arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = local.handler
  filename         = var.zip_path
  source_code_hash = filebase64sha256(var.zip_path)
  memory_size      = var.memory_size
  timeout          = var.timeout

  # One run at a time, as Hammer's cron job on a single host.
  reserved_concurrent_executions = 1

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = var.log_level
    system_log_level      = "WARN"
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}

# A failed run is not retried by Lambda: the next scheduled run finishes the
# job (reporting is idempotent). An event throttled behind a long run expires
# after an hour instead of queueing runs; both end in the dead-letter queue.
resource "aws_lambda_function_event_invoke_config" "this" {
  function_name                = aws_lambda_function.this.function_name
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.dead_letter.arn
    }
  }
}

resource "aws_cloudwatch_event_rule" "schedule" {
  name                = var.schedule_rule_name
  description         = "Hammer: reports CloudTrail logging issues to JIRA and Slack (config.json cronjobs.reporting)"
  schedule_expression = var.schedule_expression
  state               = var.schedule_enabled ? "ENABLED" : "DISABLED"
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  rule      = aws_cloudwatch_event_rule.schedule.name
  target_id = var.function_name
  arn       = aws_lambda_function.this.arn
}

resource "aws_lambda_permission" "from_schedule" {
  statement_id  = "AllowInvokeFromSchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.schedule.arn
}

# Reporting as a command on an operator's host (Hammer's cron job) logs here,
# through the host's CloudWatch agent.
resource "aws_cloudwatch_log_group" "host" {
  name              = var.host_log_group_name
  retention_in_days = var.log_retention_in_days
  tags              = var.tags
}

resource "aws_cloudwatch_log_stream" "host" {
  name           = var.host_log_stream_name
  log_group_name = aws_cloudwatch_log_group.host.name
}
