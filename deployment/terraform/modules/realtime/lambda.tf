# The Lambda runs as the identification role (see variable
# identification_role_name); its own permissions are this inline policy.

locals {
  policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "WriteOwnLogs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = ["${local.log_group_arn}:*"]
        },
        {
          Sid      = "ConsumeRealtimeQueue"
          Effect   = "Allow"
          Action   = ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
          Resource = [local.queue_arn]
        },
        {
          Sid      = "DebounceRescans"
          Effect   = "Allow"
          Action   = ["dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
          Resource = [local.table_arn]
        },
        {
          Sid      = "PublishRescans"
          Effect   = "Allow"
          Action   = ["sns:Publish"]
          Resource = [var.topic_arn]
        },
      ],
      var.credentials_table_name == null ? [] : [{
        Sid      = "ReadSlackToken"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem"]
        Resource = [local.credentials_arn]
      }],
      var.credentials_table_name == null || var.credentials_table_kms_key_arn == null ? [] : [{
        Sid       = "DecryptSlackToken"
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = [var.credentials_table_kms_key_arn]
        Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${local.region}.amazonaws.com" } }
      }],
      var.discover_regions ? [{
        Sid      = "DiscoverRegions"
        Effect   = "Allow"
        Action   = ["ec2:DescribeRegions"]
        Resource = ["*"]
      }] : [],
    )
  }
}

resource "aws_iam_role_policy" "realtime" {
  name   = "${var.function_name}-permissions"
  role   = var.identification_role_name
  policy = jsonencode(local.policy)
}

resource "aws_lambda_function" "this" {
  function_name    = var.function_name
  description      = "Hammer CloudTrail logging issues: rescans an account and region when CloudTrail's own calls may have changed its logging"
  role             = var.identification_role_arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = "realtime_to_desc_cloudtrails.lambda_handler"
  filename         = var.zip_path
  source_code_hash = filebase64sha256(var.zip_path)
  memory_size      = var.memory_size
  timeout          = var.timeout

  environment {
    variables = {
      SNS_ARN             = var.topic_arn
      REALTIME_TABLE_NAME = aws_dynamodb_table.debounce.name
    }
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = var.log_level
    system_log_level      = "WARN"
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.realtime]
}

resource "aws_lambda_event_source_mapping" "queue" {
  event_source_arn        = aws_sqs_queue.events.arn
  function_name           = aws_lambda_function.this.arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]
}

module "alarms" {
  source = "../lambda-alarms"

  functions               = { lambda = { function_name = aws_lambda_function.this.function_name, log_group_name = local.log_group_name } }
  dead_letter_queue_name  = aws_sqs_queue.dead_letter.name
  dead_letter_description = "CloudTrail events failed every delivery to ${var.function_name} and wait in ${aws_sqs_queue.dead_letter.name}: their rescans were not asked (the hourly scan still covers those regions)."
  alarm_topic_arn         = var.alarm_topic_arn
  tags                    = var.tags
}
