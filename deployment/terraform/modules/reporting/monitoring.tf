# Scheduled runs that failed (on-failure destination, sent with the
# function's role) or that EventBridge could not deliver (target dead-letter
# config). SSE-SQS: EventBridge sends without a key grant.
resource "aws_sqs_queue" "dead_letter" {
  name                      = var.dead_letter_queue_name
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

# EventBridge may send to the queue only for this rule.
resource "aws_sqs_queue_policy" "dead_letter" {
  queue_url = aws_sqs_queue.dead_letter.url
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "UndeliveredScheduleEvents"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = local.dead_letter_queue_arn
      Condition = { ArnEquals = { "aws:SourceArn" = local.schedule_rule_arn } }
    }]
  })
}

module "alarms" {
  source = "../lambda-alarms"

  functions               = { lambda = { function_name = aws_lambda_function.this.function_name, log_group_name = local.log_group_name } }
  dead_letter_queue_name  = aws_sqs_queue.dead_letter.name
  dead_letter_description = "Scheduled runs of ${var.function_name} failed, expired or could not be delivered, and wait in the queue ${var.dead_letter_queue_name}."
  alarm_topic_arn         = var.alarm_topic_arn
  tags                    = var.tags
}

# The alarms were this module's own resources before lambda-alarms.
moved {
  from = aws_cloudwatch_metric_alarm.errors
  to   = module.alarms.aws_cloudwatch_metric_alarm.errors["lambda"]
}

moved {
  from = aws_cloudwatch_metric_alarm.dead_letters
  to   = module.alarms.aws_cloudwatch_metric_alarm.dead_letters
}
