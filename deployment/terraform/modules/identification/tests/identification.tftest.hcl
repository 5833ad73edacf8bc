# Variants of the identification stack that the sample environment does not
# show; its default shape is checked by accounts/sample/tests.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
}

override_resource {
  target = aws_sqs_queue.dead_letter
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:acme-cloudtrails-identification-dlq"
    url = "https://sqs.us-east-1.amazonaws.com/123456789012/acme-cloudtrails-identification-dlq"
  }
}

override_resource {
  target = aws_iam_role.this["initiate"]
  values = { arn = "arn:aws:iam::123456789012:role/acme-initiate-cloudtrails" }
}

override_resource {
  target = aws_iam_role.this["describe"]
  values = { arn = "arn:aws:iam::123456789012:role/acme-describe-cloudtrails" }
}

override_resource {
  target = aws_lambda_function.describe
  values = { arn = "arn:aws:lambda:us-east-1:123456789012:function:acme-describe-cloudtrails" }
}

override_resource {
  target = aws_lambda_function.initiate
  values = { arn = "arn:aws:lambda:us-east-1:123456789012:function:acme-initiate-cloudtrails" }
}

override_resource {
  target = aws_sns_topic.work
  values = { arn = "arn:aws:sns:us-east-1:123456789012:acme-describe-cloudtrails-lambda" }
}

override_resource {
  target = aws_cloudwatch_event_rule.schedule
  values = { arn = "arn:aws:events:us-east-1:123456789012:rule/acme-InitiateEvaluationCloudTrails" }
}

variables {
  account_id               = "123456789012"
  initiate_function_name   = "acme-initiate-cloudtrails"
  describe_function_name   = "acme-describe-cloudtrails"
  initiate_zip_path        = "../../../../dist/initiate_to_desc_cloudtrails.zip"
  describe_zip_path        = "../../../../dist/describe_cloudtrails.zip"
  schedule_rule_name       = "acme-InitiateEvaluationCloudTrails"
  topic_name               = "acme-describe-cloudtrails-lambda"
  issues_table_name        = "acme-cloudtrails"
  api_requests_table_name  = "acme-api-requests"
  crossaccount_role_name   = "acme-crossact"
  crossaccount_account_ids = []
  discover_regions         = false
  dead_letter_queue_name   = "acme-cloudtrails-identification-dlq"
  alarm_topic_arn          = "arn:aws:sns:us-east-1:123456789012:security-alerts"
}

run "defaults_grant_no_regions_or_roles_use_the_given_alarm_topic_and_aws_managed_keys" {
  command = plan

  assert {
    condition = toset(flatten([for statement in jsondecode(output.roles.describe.policy).Statement : statement.Action])) == toset([
      "logs:CreateLogStream", "logs:PutLogEvents",
      "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors",
      "sns:Publish",
      "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
      "sqs:SendMessage",
    ])
    error_message = "Without aws.regions discovery and cross-account roles, identification needs neither ec2:DescribeRegions nor sts:AssumeRole: ${output.roles.describe.policy}"
  }

  assert {
    condition     = !contains(flatten([for statement in jsondecode(output.roles.initiate.policy).Statement : statement.Action]), "ec2:DescribeRegions")
    error_message = "Initiation needs ec2:DescribeRegions only to discover regions."
  }

  assert {
    condition     = contains(flatten([for statement in jsondecode(output.roles.describe.policy).Statement : statement.Resource]), "arn:aws:dynamodb:us-east-1:123456789012:table/acme-cloudtrails")
    error_message = "Table ARNs are built from the account, the provider's region and the table name."
  }

  assert {
    condition = alltrue([
      for alarm in values(output.alarms) : jsonencode(alarm.alarm_actions) == jsonencode(["arn:aws:sns:us-east-1:123456789012:security-alerts"])
    ]) && output.alarm_topic_arn == "arn:aws:sns:us-east-1:123456789012:security-alerts"
    error_message = "Given alarm_topic_arn, the alarms notify it and no topic is created."
  }

  assert {
    condition     = toset(keys(output.alarms)) == toset(["acme-initiate-cloudtrails/LambdaError", "acme-describe-cloudtrails/LambdaError", "acme-cloudtrails-identification-dlq/NotEmpty"])
    error_message = "One error alarm per Lambda and one on the dead-letter queue: ${jsonencode(keys(output.alarms))}"
  }

  assert {
    condition     = output.topic.kms_master_key_id == "alias/aws/sns" && alltrue([for group in aws_cloudwatch_log_group.this : group.kms_key_id == null]) && output.log_groups == { "/aws/lambda/acme-initiate-cloudtrails" = 90, "/aws/lambda/acme-describe-cloudtrails" = 90 }
    error_message = "Without a customer-managed key the work topic uses alias/aws/sns and logs are kept 90 days."
  }

  assert {
    condition     = !anytrue([for statement in flatten([for role in values(output.roles) : jsondecode(role.policy).Statement]) : anytrue([for action in statement.Action : startswith(action, "kms:")])])
    error_message = "AWS managed keys need no KMS permission in the roles."
  }
}

# Applied (against the mock provider): the queue's ARN and the alarm's
# dimensions are known only once the queue exists.
run "lost_events_land_in_the_dead_letter_queue" {

  assert {
    condition     = jsondecode(output.topic.redrive_policy) == { deadLetterTargetArn = output.dead_letter_queue.arn }
    error_message = "A message SNS cannot deliver to the identification Lambda must go to the dead-letter queue (subscription redrive policy)."
  }

  assert {
    condition     = output.schedule.dead_letter_arn == output.dead_letter_queue.arn && output.schedule.retry_policy.maximum_event_age_in_seconds == 3600
    error_message = "A schedule event EventBridge cannot deliver must go to the dead-letter queue after an hour of retries."
  }

  assert {
    condition = {
      for statement in jsondecode(output.dead_letter_queue.policy).Statement : statement.Sid => [statement.Principal.Service, statement.Action, statement.Resource, statement.Condition]
      } == {
      UndeliveredTopicMessages  = ["sns.amazonaws.com", "sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:acme-cloudtrails-identification-dlq", { ArnEquals = { "aws:SourceArn" = "arn:aws:sns:us-east-1:123456789012:acme-describe-cloudtrails-lambda" } }]
      UndeliveredScheduleEvents = ["events.amazonaws.com", "sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:acme-cloudtrails-identification-dlq", { ArnEquals = { "aws:SourceArn" = "arn:aws:events:us-east-1:123456789012:rule/acme-InitiateEvaluationCloudTrails" } }]
    }
    error_message = "Only this topic and this rule may send to the queue (aws:SourceArn): ${output.dead_letter_queue.policy}"
  }

  assert {
    condition     = alltrue([for name, alarm in output.alarms : jsonencode(alarm.dimensions) == jsonencode({ QueueName = "acme-cloudtrails-identification-dlq" }) if alarm.namespace == "AWS/SQS"]) && contains(keys(output.alarms), "acme-cloudtrails-identification-dlq/NotEmpty")
    error_message = "The dead-letter queue has its alarm."
  }
}

run "customer_managed_keys_and_controlled_accounts_are_granted_exactly" {
  command = plan

  variables {
    kms_key_arn              = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    issues_table_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/66666666-7777-8888-9999-000000000000"
    alarm_topic_arn          = null
    crossaccount_account_ids = ["654321210987", "210987654321"]
  }

  assert {
    condition     = output.topic.kms_master_key_id == var.kms_key_arn && alltrue([for group in aws_cloudwatch_log_group.this : group.kms_key_id == var.kms_key_arn]) && aws_sns_topic.alarms[0].kms_master_key_id == var.kms_key_arn
    error_message = "The customer-managed key encrypts the work topic, the alarm topic and the log groups."
  }

  assert {
    condition = {
      for key, role in output.roles : key => [for statement in jsondecode(role.policy).Statement : [statement.Action, statement.Resource, statement.Condition] if startswith(statement.Action[0], "kms:")]
      } == {
      initiate = [[["kms:Decrypt", "kms:GenerateDataKey"], [var.kms_key_arn], { StringEquals = { "kms:ViaService" = "sns.us-east-1.amazonaws.com" } }]]
      describe = [
        [["kms:Decrypt", "kms:GenerateDataKey"], [var.kms_key_arn], { StringEquals = { "kms:ViaService" = "sns.us-east-1.amazonaws.com" } }],
        [["kms:Decrypt", "kms:GenerateDataKey"], [var.issues_table_kms_key_arn], { StringEquals = { "kms:ViaService" = "dynamodb.us-east-1.amazonaws.com" } }],
      ]
    }
    error_message = "Publishers get the topic key through SNS; identification gets the issues table's key through DynamoDB: ${jsonencode({ for key, role in output.roles : key => role.policy })}"
  }

  assert {
    condition = [for statement in jsondecode(output.roles.describe.policy).Statement : statement.Resource if statement.Sid == "AssumeCrossAccountRole"] == [[
      "arn:aws:iam::210987654321:role/acme-crossact",
      "arn:aws:iam::654321210987:role/acme-crossact",
    ]]
    error_message = "sts:AssumeRole is allowed on the configured role of each controlled account only."
  }
}

run "disabled_module_keeps_a_valid_schedule_disabled" {
  command = plan

  variables {
    schedule_enabled        = false
    identification_schedule = "0/6,20 ? JAN-MAR mon-fri,6#3 2026-2030"
  }

  assert {
    condition     = output.schedule.state == "DISABLED" && output.schedule.schedule_expression == "cron(15 0/6,20 ? JAN-MAR MON-FRI,6#3 2026-2030)"
    error_message = "cloudtrails.enabled false disables the rule; a valid EventBridge schedule (steps, lists, names, nth weekday, years) is kept with the minute 15, names upper-cased: ${output.schedule.schedule_expression}"
  }
}


# Values AWS would refuse at apply, refused at plan (each listed variable
# must fail on its own).
run "every_day_in_both_day_fields_is_refused" {
  command = plan

  variables {
    identification_schedule = "* * * * *"
  }

  expect_failures = [var.identification_schedule]
}

run "question_mark_in_both_day_fields_a_wrong_zip_and_a_long_timeout_are_refused" {
  command = plan

  variables {
    identification_schedule = "* ? * ? *"
    describe_zip_path       = "../../../../dist/create_cloudtrail_tickets.zip"
    describe_timeout        = 901
  }

  expect_failures = [var.identification_schedule, var.describe_zip_path, var.describe_timeout]
}

run "hours_beyond_23_are_refused" {
  command = plan

  variables {
    identification_schedule = "24 * * ? *"
  }

  expect_failures = [var.identification_schedule]
}
