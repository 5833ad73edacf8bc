# The master account's side of the real-time path: the bus and who may send
# to it, the rules and their one target, the queue (delay = debounce window),
# the Lambda and exactly its permissions.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }

  mock_resource "aws_cloudwatch_event_bus" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:event-bus/hammer-cloudtrails-events" }
  }

  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-realtime"
      id  = "https://sqs.eu-west-1.amazonaws.com/123456789012/hammer-cloudtrails-realtime"
    }
  }

  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:hammer-realtime-cloudtrails" }
  }
}

override_resource {
  target = aws_cloudwatch_event_rule.bus
  values = { arn = "arn:aws:events:eu-west-1:123456789012:rule/hammer-cloudtrails-events/hammer-cloudtrails-realtime" }
}

override_resource {
  target = aws_cloudwatch_event_rule.own
  values = { arn = "arn:aws:events:eu-west-1:123456789012:rule/hammer-cloudtrails-realtime" }
}

variables {
  account_id               = "123456789012"
  function_name            = "hammer-realtime-cloudtrails"
  zip_path                 = "../../../../dist/realtime_to_desc_cloudtrails.zip"
  identification_role_name = "hammer-describe-cloudtrails"
  identification_role_arn  = "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
  topic_arn                = "arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda"
  event_bus_name           = "hammer-cloudtrails-events"
  rule_name                = "hammer-cloudtrails-realtime"
  queue_name               = "hammer-cloudtrails-realtime"
  table_name               = "hammer-cloudtrails-realtime"
  organization_id          = "o-a1b2c3d4e5"
  alarm_topic_arn          = "arn:aws:sns:eu-west-1:123456789012:hammer-identification-errors"
}

run "organisation_bus_rules_queue_and_lambda" {
  command = apply

  variables {
    debounce_seconds = 20
    timeout          = 30
  }

  assert {
    condition = jsondecode(output.event_bus.policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "OrganizationAccountsPutEvents"
        Effect    = "Allow"
        Principal = "*"
        Action    = "events:PutEvents"
        Resource  = "arn:aws:events:eu-west-1:123456789012:event-bus/hammer-cloudtrails-events"
        Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
      }]
    }
    error_message = "The bus admits PutEvents from the organisation's accounts only: ${output.event_bus.policy}"
  }

  assert {
    condition = alltrue([for rule in values(output.rules) : jsondecode(rule.event_pattern) == {
      source        = ["aws.cloudtrail"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource = ["cloudtrail.amazonaws.com"]
        eventName   = ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "CreateTrail", "StartLogging"]
      }
    }])
    error_message = "Both rules match CloudTrail's calls that change logging: ${jsonencode(output.rules)}"
  }

  assert {
    condition = (
      output.rules.bus.event_bus == "hammer-cloudtrails-events" && output.rules.own.event_bus == "default" &&
      output.rules.bus.target_arn == output.queue.arn && output.rules.own.target_arn == output.queue.arn &&
      output.rules.bus.state == "ENABLED"
    )
    error_message = "One rule on the real-time bus, one on the master account's default bus, both to the queue."
  }

  assert {
    condition = jsondecode(output.queue.policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "RealtimeRulesOnly"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = "arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-realtime"
        Condition = { ArnEquals = { "aws:SourceArn" = [
          "arn:aws:events:eu-west-1:123456789012:rule/hammer-cloudtrails-events/hammer-cloudtrails-realtime",
          "arn:aws:events:eu-west-1:123456789012:rule/hammer-cloudtrails-realtime",
        ] } }
      }]
    }
    error_message = "Only the two rules may send to the queue: ${output.queue.policy}"
  }

  assert {
    condition = (
      output.queue.delay_seconds == 20 && output.queue.visibility_timeout_seconds == 180 &&
      jsondecode(output.queue.redrive_policy).maxReceiveCount == 5 &&
      output.queue.dead_letter_queue == "hammer-cloudtrails-realtime-dlq" &&
      output.queue.mapping_batch_size == 10 &&
      jsonencode(output.queue.mapping_response_types) == jsonencode(["ReportBatchItemFailures"])
    )
    error_message = "Delay = debounce window, visibility = six timeouts, partial batch failures, dead-letter queue after 5 receives: ${jsonencode(output.queue)}"
  }

  assert {
    condition     = output.table == { name = "hammer-cloudtrails-realtime", hash_key = "id", ttl_attribute = "expires_at" }
    error_message = "The debounce table: hash key id, items expiring through expires_at."
  }

  assert {
    condition = (
      output.function.handler == "realtime_to_desc_cloudtrails.lambda_handler" &&
      output.function.runtime == "nodejs22.x" &&
      output.function.role_arn == "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails" &&
      output.function.environment == tomap({ SNS_ARN = "arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda", REALTIME_TABLE_NAME = "hammer-cloudtrails-realtime" }) &&
      output.function.log_group == "/aws/lambda/hammer-realtime-cloudtrails"
    )
    error_message = "The handler, the identification role, the topic and the table: ${jsonencode(output.function)}"
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${action} ${resource}"]]
      ])) == toset([
      "logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-realtime-cloudtrails:*",
      "logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-realtime-cloudtrails:*",
      "sqs:DeleteMessage arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-realtime",
      "sqs:GetQueueAttributes arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-realtime",
      "sqs:ReceiveMessage arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-realtime",
      "dynamodb:DeleteItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails-realtime",
      "dynamodb:PutItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails-realtime",
      "dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails-realtime",
      "sns:Publish arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda",
    ])
    error_message = "The real-time permissions, on exact resources, and nothing else: ${output.policy}"
  }

  assert {
    condition     = toset(keys(output.alarms)) == toset(["hammer-realtime-cloudtrails/LambdaError", "hammer-cloudtrails-realtime-dlq/NotEmpty"])
    error_message = "Errors and dead letters raise alarms."
  }
}

run "listed_accounts_and_the_slack_alert_and_discovered_regions" {
  command = apply

  variables {
    organization_id               = null
    source_account_ids            = ["654321210987", "210987654321", "210987654321"]
    credentials_table_name        = "hammer-credentials"
    credentials_table_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    discover_regions              = true
    forward_own_account           = false
  }

  assert {
    condition     = jsondecode(output.event_bus.policy).Statement == [{ Sid = "CheckedAccountsPutEvents", Effect = "Allow", Principal = { AWS = ["arn:aws:iam::210987654321:root", "arn:aws:iam::654321210987:root"] }, Action = "events:PutEvents", Resource = "arn:aws:events:eu-west-1:123456789012:event-bus/hammer-cloudtrails-events" }]
    error_message = "Without an organisation, exactly the listed accounts may send: ${output.event_bus.policy}"
  }

  assert {
    condition = (
      contains(jsondecode(output.policy).Statement, { Sid = "ReadSlackToken", Effect = "Allow", Action = ["dynamodb:GetItem"], Resource = ["arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-credentials"] }) &&
      contains(jsondecode(output.policy).Statement, { Sid = "DiscoverRegions", Effect = "Allow", Action = ["ec2:DescribeRegions"], Resource = ["*"] }) &&
      contains(jsondecode(output.policy).Statement, { Sid = "DecryptSlackToken", Effect = "Allow", Action = ["kms:Decrypt"], Resource = ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"], Condition = { StringEquals = { "kms:ViaService" = "dynamodb.eu-west-1.amazonaws.com" } } })
    )
    error_message = "The Slack token read and region discovery are granted only when needed."
  }

  assert {
    condition     = keys(output.rules) == ["bus"]
    error_message = "No rule on the master's default bus when forward_own_account is false."
  }
}

run "the_bus_needs_exactly_one_kind_of_sender" {
  command = plan

  variables {
    source_account_ids = ["210987654321"]
  }

  expect_failures = [aws_cloudwatch_event_bus_policy.this]
}
