# Identification in the master account: the schedule starts the initiation
# Lambda, which publishes the work to the topic; the topic invokes the
# identification Lambda once per message.

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  # Exact ARNs, known at plan time, for the IAM policies.
  topic_arn             = "arn:${local.partition}:sns:${local.region}:${var.account_id}:${var.topic_name}"
  dead_letter_queue_arn = "arn:${local.partition}:sqs:${local.region}:${var.account_id}:${var.dead_letter_queue_name}"
  schedule_rule_arn     = "arn:${local.partition}:events:${local.region}:${var.account_id}:rule/${var.schedule_rule_name}"
  issues_table_arn      = "arn:${local.partition}:dynamodb:${local.region}:${var.account_id}:table/${var.issues_table_name}"
  api_table_arn         = "arn:${local.partition}:dynamodb:${local.region}:${var.account_id}:table/${var.api_requests_table_name}"

  functions = {
    initiate = {
      name        = var.initiate_function_name
      handler     = "initiate_to_desc_cloudtrails.lambda_handler"
      zip_path    = var.initiate_zip_path
      memory_size = var.initiate_memory_size
      timeout     = var.initiate_timeout
      description = "Hammer CloudTrail logging issues: publishes the accounts and regions to check to ${var.topic_name}"
    }
    describe = {
      name        = var.describe_function_name
      handler     = "describe_cloudtrails.lambda_handler"
      zip_path    = var.describe_zip_path
      memory_size = var.describe_memory_size
      timeout     = var.describe_timeout
      description = "Hammer CloudTrail logging issues: checks CloudTrail in one account and its regions and stores the issues in ${var.issues_table_name}"
    }
  }

  # identification_schedule, upper-cased (EventBridge takes names in any case).
  schedule_fields = [for field in regexall("\\S+", var.identification_schedule) : upper(field)]

  log_group_names = { for key, function in local.functions : key => "/aws/lambda/${function.name}" }
  log_group_arns  = { for key, name in local.log_group_names : key => "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${name}" }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.functions

  name              = local.log_group_names[each.key]
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_lambda_function" "initiate" {
  function_name    = var.initiate_function_name
  description      = local.functions.initiate.description
  role             = aws_iam_role.this["initiate"].arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = local.functions.initiate.handler
  filename         = var.initiate_zip_path
  source_code_hash = filebase64sha256(var.initiate_zip_path)
  memory_size      = var.initiate_memory_size
  timeout          = var.initiate_timeout

  environment {
    variables = {
      SNS_ARN = aws_sns_topic.work.arn
    }
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this["initiate"].name
    application_log_level = var.log_level
    system_log_level      = "WARN"
  }

  tags = var.tags

  # The log group (with its retention) and the permissions exist before the
  # function can run.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}

resource "aws_lambda_function" "describe" {
  function_name                  = var.describe_function_name
  description                    = local.functions.describe.description
  role                           = aws_iam_role.this["describe"].arn
  runtime                        = var.runtime
  architectures                  = [var.architecture]
  handler                        = local.functions.describe.handler
  filename                       = var.describe_zip_path
  source_code_hash               = filebase64sha256(var.describe_zip_path)
  memory_size                    = var.describe_memory_size
  timeout                        = var.describe_timeout
  reserved_concurrent_executions = var.describe_reserved_concurrent_executions

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this["describe"].name
    application_log_level = var.log_level
    system_log_level      = "WARN"
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}

locals {
  function_resources = {
    initiate = aws_lambda_function.initiate
    describe = aws_lambda_function.describe
  }
}

# Both are invoked asynchronously (EventBridge, SNS): after Lambda's own
# retries, a failed event goes to the dead-letter queue instead of vanishing.
resource "aws_lambda_function_event_invoke_config" "this" {
  for_each = local.function_resources

  function_name                = each.value.function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 21600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.dead_letter.arn
    }
  }
}

# The topic between initiation and identification, encrypted at rest (the
# customer-managed key when given, else the AWS managed key for SNS).
resource "aws_sns_topic" "work" {
  name              = var.topic_name
  display_name      = var.topic_display_name
  kms_master_key_id = coalesce(var.kms_key_arn, "alias/aws/sns")
  tags              = var.tags
}

# A message SNS cannot deliver to the Lambda (the function or its permission
# missing during a replacement, throttling past SNS's retries) goes to the
# dead-letter queue instead of vanishing.
resource "aws_sns_topic_subscription" "describe" {
  topic_arn      = aws_sns_topic.work.arn
  protocol       = "lambda"
  endpoint       = aws_lambda_function.describe.arn
  redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dead_letter.arn })

  depends_on = [aws_sqs_queue_policy.dead_letter]
}

resource "aws_lambda_permission" "describe_from_topic" {
  statement_id  = "AllowInvokeFromTopic"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.describe.function_name
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.work.arn
}

# The schedule: minute 15 of the hours given, as in Hammer.
resource "aws_cloudwatch_event_rule" "schedule" {
  name                = var.schedule_rule_name
  description         = "Hammer: starts the identification of CloudTrail logging issues"
  schedule_expression = "cron(15 ${join(" ", local.schedule_fields)})"
  state               = var.schedule_enabled ? "ENABLED" : "DISABLED"
  tags                = var.tags
}

# An event EventBridge cannot hand to the Lambda (permission missing,
# function gone) is retried for an hour, then kept in the dead-letter queue.
resource "aws_cloudwatch_event_target" "initiate" {
  rule      = aws_cloudwatch_event_rule.schedule.name
  target_id = var.initiate_function_name
  arn       = aws_lambda_function.initiate.arn

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 24
  }

  dead_letter_config {
    arn = aws_sqs_queue.dead_letter.arn
  }

  depends_on = [aws_sqs_queue_policy.dead_letter]
}

resource "aws_lambda_permission" "initiate_from_schedule" {
  statement_id  = "AllowInvokeFromSchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.initiate.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.schedule.arn
}
