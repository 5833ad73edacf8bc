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

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${aws_lambda_function.this.function_name}/LambdaError"
  alarm_description   = "The Lambda ${aws_lambda_function.this.function_name} failed at least once in the last hour: read its log group ${local.log_group_name}."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${var.dead_letter_queue_name}/NotEmpty"
  alarm_description   = "Scheduled runs of ${var.function_name} failed, expired or could not be delivered, and wait in the queue ${var.dead_letter_queue_name}."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dead_letter.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}
