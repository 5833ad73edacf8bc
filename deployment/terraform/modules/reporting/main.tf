# Reporting in the master account: a scheduled Lambda that turns stored issues
# into JIRA tickets and Slack messages, one run at a time.

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  handler               = "create_cloudtrail_tickets.lambda_handler"
  log_group_name        = "/aws/lambda/${var.function_name}"
  log_group_arn         = "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${local.log_group_name}"
  host_log_group_arn    = "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${var.host_log_group_name}"
  dead_letter_queue_arn = "arn:${local.partition}:sqs:${local.region}:${var.account_id}:${var.dead_letter_queue_name}"
  issues_table_arn      = "arn:${local.partition}:dynamodb:${local.region}:${var.account_id}:table/${var.issues_table_name}"
  credentials_table_arn = "arn:${local.partition}:dynamodb:${local.region}:${var.account_id}:table/${var.credentials_table_name}"
  schedule_rule_arn     = "arn:${local.partition}:events:${local.region}:${var.account_id}:rule/${var.schedule_rule_name}"
  # What reporting/ sends (derived from the code and checked by
  # deployment/terraform/checks.mjs): the issue store's Query and UpdateItem,
  # the credentials reader's GetItem, and in the Lambda the run lease's
  # UpdateItem and GetItem (the host command has its lock file instead).
  issues_table_actions      = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]
  host_issues_table_actions = ["dynamodb:Query", "dynamodb:UpdateItem"]
  credentials_table_actions = ["dynamodb:GetItem"]

  # One run at a time: Lambda guarantees it with reserved concurrency 1; when
  # no concurrency is reserved (accounts whose quota leaves none to reserve),
  # the handler takes a lease in the issues table first (reporting/runLease.ts).
  run_lease = var.reserved_concurrent_executions == null
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
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

  # One run at a time, as Hammer's cron job on a single host: reserved
  # concurrency 1, or (null) the run lease, switched on by RUN_LEASE.
  reserved_concurrent_executions = var.reserved_concurrent_executions

  dynamic "environment" {
    for_each = local.run_lease ? [1] : []

    content {
      variables = { RUN_LEASE = "issues-table" }
    }
  }

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

# A scheduled event EventBridge cannot hand to the Lambda is retried for an
# hour, then kept in the dead-letter queue.
resource "aws_cloudwatch_event_target" "this" {
  rule      = aws_cloudwatch_event_rule.schedule.name
  target_id = var.function_name
  arn       = aws_lambda_function.this.arn

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 24
  }

  dead_letter_config {
    arn = aws_sqs_queue.dead_letter.arn
  }

  depends_on = [aws_sqs_queue_policy.dead_letter]
}

resource "aws_lambda_permission" "from_schedule" {
  statement_id  = "AllowInvokeFromSchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.schedule.arn
}

# Reporting as a command on an operator's host (Hammer's cron job) logs here,
# through the host's CloudWatch agent. Beside Hammer the group (and the
# stream, which Hammer's host writes) are Hammer's: create_host_log_group false.
resource "aws_cloudwatch_log_group" "host" {
  count = var.create_host_log_group ? 1 : 0

  name              = var.host_log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_cloudwatch_log_stream" "host" {
  count = var.create_host_log_group ? 1 : 0

  name           = var.host_log_stream_name
  log_group_name = aws_cloudwatch_log_group.host[0].name
}
