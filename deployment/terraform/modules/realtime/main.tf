# The real-time path in the master account: the event bus the controlled
# accounts forward CloudTrail's own calls to, a rule sending them to an SQS
# queue whose delivery delay is the debounce window, and the Lambda that turns
# them into rescans (published to the identification topic as Hammer's scan
# message). See docs/organisations.md, "Real-time path".

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  bus_arn         = "arn:${local.partition}:events:${local.region}:${var.account_id}:event-bus/${var.event_bus_name}"
  queue_arn       = "arn:${local.partition}:sqs:${local.region}:${var.account_id}:${var.queue_name}"
  table_arn       = "arn:${local.partition}:dynamodb:${local.region}:${var.account_id}:table/${var.table_name}"
  log_group_name  = "/aws/lambda/${var.function_name}"
  log_group_arn   = "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${local.log_group_name}"
  credentials_arn = var.credentials_table_name == null ? null : "arn:${local.partition}:dynamodb:${local.region}:${var.account_id}:table/${var.credentials_table_name}"

  event_pattern = {
    source        = ["aws.cloudtrail"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["cloudtrail.amazonaws.com"]
      eventName   = var.forwarded_event_names
    }
  }

  # Only the organisation, or only the listed accounts, may put events on the bus.
  organization_statement = {
    Sid       = "OrganizationAccountsPutEvents"
    Effect    = "Allow"
    Principal = "*"
    Action    = "events:PutEvents"
    Resource  = local.bus_arn
    Condition = { StringEquals = { "aws:PrincipalOrgID" = var.organization_id } }
  }
  accounts_statement = {
    Sid       = "CheckedAccountsPutEvents"
    Effect    = "Allow"
    Principal = { AWS = [for id in sort(distinct(var.source_account_ids)) : "arn:${local.partition}:iam::${id}:root"] }
    Action    = "events:PutEvents"
    Resource  = local.bus_arn
  }
  bus_policy = {
    Version   = "2012-10-17"
    Statement = [jsondecode(var.organization_id != null ? jsonencode(local.organization_statement) : jsonencode(local.accounts_statement))]
  }
}

resource "aws_cloudwatch_event_bus" "this" {
  name = var.event_bus_name
  tags = var.tags
}

resource "aws_cloudwatch_event_bus_policy" "this" {
  event_bus_name = aws_cloudwatch_event_bus.this.name
  policy         = jsonencode(local.bus_policy)

  lifecycle {
    precondition {
      condition     = (var.organization_id != null) != (length(var.source_account_ids) > 0)
      error_message = "Give exactly one of organization_id (the organisation's accounts may send) and source_account_ids (these accounts may send)."
    }
  }
}

resource "aws_cloudwatch_event_rule" "bus" {
  name           = var.rule_name
  description    = "Hammer: CloudTrail calls that can break logging, forwarded by the controlled accounts, to the real-time queue"
  event_bus_name = aws_cloudwatch_event_bus.this.name
  event_pattern  = jsonencode(local.event_pattern)
  state          = "ENABLED"
  tags           = var.tags
}

resource "aws_cloudwatch_event_target" "bus" {
  rule           = aws_cloudwatch_event_rule.bus.name
  event_bus_name = aws_cloudwatch_event_bus.this.name
  target_id      = "realtime-queue"
  arn            = aws_sqs_queue.events.arn
}

# The master account's own calls in this region, straight to the queue.
resource "aws_cloudwatch_event_rule" "own" {
  count = var.forward_own_account ? 1 : 0

  name           = var.rule_name
  description    = "Hammer: CloudTrail calls that can break logging in this account and region, to the real-time queue"
  event_bus_name = "default"
  event_pattern  = jsonencode(local.event_pattern)
  state          = "ENABLED"
  tags           = var.tags
}

resource "aws_cloudwatch_event_target" "own" {
  count = var.forward_own_account ? 1 : 0

  rule           = aws_cloudwatch_event_rule.own[0].name
  event_bus_name = "default"
  target_id      = "realtime-queue"
  arn            = aws_sqs_queue.events.arn
}

# The delivery delay is the debounce window: when the first event of a burst
# is handled, the rest of the burst has happened, and one rescan covers it.
resource "aws_sqs_queue" "events" {
  name                       = var.queue_name
  delay_seconds              = var.debounce_seconds
  visibility_timeout_seconds = 6 * var.timeout
  message_retention_seconds  = 86400
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = 5
  })
  tags = var.tags
}

resource "aws_sqs_queue" "dead_letter" {
  name                      = "${var.queue_name}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_sqs_queue_policy" "events" {
  queue_url = aws_sqs_queue.events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "RealtimeRulesOnly"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.events.arn
      Condition = { ArnEquals = { "aws:SourceArn" = concat([aws_cloudwatch_event_rule.bus.arn], aws_cloudwatch_event_rule.own[*].arn) } }
    }]
  })
}

resource "aws_dynamodb_table" "debounce" {
  name         = var.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  server_side_encryption {
    enabled = true
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}
