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

run "listed_regions_and_no_controlled_account_drop_those_permissions" {
  command = plan

  assert {
    condition = toset(flatten([for statement in jsondecode(output.roles.describe.policy).Statement : statement.Action])) == toset([
      "logs:CreateLogStream", "logs:PutLogEvents",
      "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors",
      "sns:Publish",
      "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem",
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
}

run "existing_alarm_topic_receives_every_alarm" {
  command = plan

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
}

run "disabled_module_disables_the_schedule" {
  command = plan

  variables {
    schedule_enabled        = false
    identification_schedule = "0/6 * * ? *"
  }

  assert {
    condition     = output.schedule.state == "DISABLED" && output.schedule.schedule_expression == "cron(15 0/6 * * ? *)"
    error_message = "cloudtrails.enabled false disables the rule; the minute stays 15: ${output.schedule.schedule_expression}"
  }
}

run "several_accounts_get_one_exact_role_arn_each" {
  command = plan

  variables {
    crossaccount_account_ids = ["654321210987", "210987654321"]
  }

  assert {
    condition = [for statement in jsondecode(output.roles.describe.policy).Statement : statement.Resource if statement.Sid == "AssumeCrossAccountRole"] == [[
      "arn:aws:iam::210987654321:role/acme-crossact",
      "arn:aws:iam::654321210987:role/acme-crossact",
    ]]
    error_message = "sts:AssumeRole is allowed on the configured role of each controlled account only."
  }
}

run "wrong_zip_is_refused" {
  command = plan

  variables {
    describe_zip_path = "../../../../dist/create_cloudtrail_tickets.zip"
  }

  expect_failures = [var.describe_zip_path]
}

run "timeout_beyond_lambda_limit_is_refused" {
  command = plan

  variables {
    describe_timeout = 901
  }

  expect_failures = [var.describe_timeout]
}
