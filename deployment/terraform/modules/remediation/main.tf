# Remediation in the master account: a scheduled Lambda that restarts the
# stopped trails of due issues (clean_cloudtrails.lambda_handler), one run at
# a time. The environment creates this module only when config.json's
# cloudtrails.remediation is true.

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  handler               = "clean_cloudtrails.lambda_handler"
  log_group_name        = "/aws/lambda/${var.function_name}"
  log_group_arn         = "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${local.log_group_name}"
  host_log_group_arn    = "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${var.host_log_group_name}"
  dead_letter_queue_arn = "arn:${local.partition}:sqs:${local.region}:${var.account_id}:${var.dead_letter_queue_name}"
  issues_table_arn      = "arn:${local.partition}:dynamodb:${local.region}:${var.account_id}:table/${var.issues_table_name}"
  credentials_table_arn = "arn:${local.partition}:dynamodb:${local.region}:${var.account_id}:table/${var.credentials_table_name}"

  # The accounts whose remediation role the Lambda assumes (not its own).
  crossaccount_account_ids = sort([for id in var.remediation_account_ids : id if id != var.account_id])
  remediates_own_account   = contains(var.remediation_account_ids, var.account_id)
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  function_name    = var.function_name
  description      = "Hammer CloudTrail logging issues: restarts the stopped trails of the issues in ${var.issues_table_name} (remediation)"
  role             = aws_iam_role.this.arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = local.handler
  filename         = var.zip_path
  source_code_hash = filebase64sha256(var.zip_path)
  memory_size      = var.memory_size
  timeout          = var.timeout

  # One run at a time, as Hammer's remediation cron job on a single host.
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

# A failed run is not retried by Lambda: the next scheduled run takes the
# issues left (nothing is marked remediated unless it was done and told).
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
  description         = "Hammer: remediates CloudTrail logging issues (config.json cronjobs.remediation)"
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

# The remediation command on an operator's host logs to Hammer's stream in the
# host log group (created by the reporting module). Beside Python Hammer both
# are Hammer's (its host writes that stream): create_host_log_stream false.
resource "aws_cloudwatch_log_stream" "host" {
  count = var.create_host_log_stream ? 1 : 0

  name           = var.host_log_stream_name
  log_group_name = var.host_log_group_name
}

resource "aws_sqs_queue" "dead_letter" {
  name                      = var.dead_letter_queue_name
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

module "alarms" {
  source = "../lambda-alarms"

  functions               = { lambda = { function_name = aws_lambda_function.this.function_name, log_group_name = local.log_group_name } }
  dead_letter_queue_name  = aws_sqs_queue.dead_letter.name
  dead_letter_description = "Scheduled runs of ${var.function_name} failed or expired and wait in the queue ${var.dead_letter_queue_name}."
  alarm_topic_arn         = var.alarm_topic_arn
  tags                    = var.tags
}
