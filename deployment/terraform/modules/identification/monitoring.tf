# Failures that need a person: Lambda errors (one alarm per function, as in
# Hammer) and events that failed every retry (the dead-letter queue).

# One dead-letter queue for every way an identification event can be lost:
# asynchronous invocations that failed Lambda's retries (on-failure
# destination, sent with the functions' roles), messages SNS could not
# deliver to the identification Lambda (subscription redrive policy), and
# schedule events EventBridge could not deliver to the initiation Lambda
# (target dead-letter config). SSE-SQS encryption: SNS and EventBridge can
# send to it without a key grant.
resource "aws_sqs_queue" "dead_letter" {
  name                      = var.dead_letter_queue_name
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

# SNS and EventBridge may send to the queue only for this topic and this rule.
resource "aws_sqs_queue_policy" "dead_letter" {
  queue_url = aws_sqs_queue.dead_letter.url
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "UndeliveredTopicMessages"
        Effect    = "Allow"
        Principal = { Service = "sns.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = local.dead_letter_queue_arn
        Condition = { ArnEquals = { "aws:SourceArn" = local.topic_arn } }
      },
      {
        Sid       = "UndeliveredScheduleEvents"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = local.dead_letter_queue_arn
        Condition = { ArnEquals = { "aws:SourceArn" = local.schedule_rule_arn } }
      },
    ]
  })
}

# Created only without alarm_topic_arn (beside Hammer its topic
# <prefix>identification-errors is used). CloudWatch cannot publish to a topic
# under the AWS managed key aws/sns, so this topic is encrypted only with a
# customer-managed key whose policy admits CloudWatch (modules/kms-key).
resource "aws_sns_topic" "alarms" {
  count = var.alarm_topic_arn == null ? 1 : 0

  name              = var.alarm_topic_name
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "alarm_email" {
  for_each = var.alarm_topic_arn == null ? toset(var.alarm_email_addresses) : toset([])

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = each.value
}

locals {
  alarm_topic_arn = var.alarm_topic_arn != null ? var.alarm_topic_arn : aws_sns_topic.alarms[0].arn
}

module "alarms" {
  source = "../lambda-alarms"

  functions               = { for key, function in local.function_resources : key => { function_name = function.function_name, log_group_name = local.log_group_names[key] } }
  dead_letter_queue_name  = aws_sqs_queue.dead_letter.name
  dead_letter_description = "Events of ${var.initiate_function_name} or ${var.describe_function_name} failed every retry, or could not be delivered by the schedule or the topic, and wait in the queue ${var.dead_letter_queue_name}: some accounts or regions were not checked."
  alarm_topic_arn         = local.alarm_topic_arn
  tags                    = var.tags
}

# The alarms were this module's own resources before lambda-alarms.
moved {
  from = aws_cloudwatch_metric_alarm.errors
  to   = module.alarms.aws_cloudwatch_metric_alarm.errors
}

moved {
  from = aws_cloudwatch_metric_alarm.dead_letters
  to   = module.alarms.aws_cloudwatch_metric_alarm.dead_letters
}
