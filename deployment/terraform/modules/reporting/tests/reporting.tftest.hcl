# Variants of the reporting stack that the sample environment does not show;
# its default shape is checked by accounts/sample/tests.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
}

variables {
  account_id             = "123456789012"
  function_name          = "hammer-reporting-cloudtrails"
  zip_path               = "../../../../dist/create_cloudtrail_tickets.zip"
  schedule_rule_name     = "hammer-ReportingCloudTrails"
  schedule_expression    = "cron(30 7 ? * 2-6 *)"
  schedule_enabled       = true
  issues_table_name      = "hammer-cloudtrails"
  credentials_table_name = "hammer-credentials"
  alarm_topic_arn        = "arn:aws:sns:eu-west-1:123456789012:hammer-identification-errors"
  dead_letter_queue_name = "hammer-cloudtrails-reporting-dlq"
}

run "reporting_on_enables_its_schedule" {
  command = plan

  assert {
    condition     = output.schedule.state == "ENABLED" && output.schedule.schedule_expression == "cron(30 7 ? * 2-6 *)"
    error_message = "cloudtrails.reporting true enables the rule with the converted cronjobs.reporting."
  }

  assert {
    condition     = output.function.reserved_concurrent_executions == 1 && output.function.handler == "create_cloudtrail_tickets.lambda_handler"
    error_message = "Reporting runs create_cloudtrail_tickets.lambda_handler, one run at a time."
  }
}

run "no_host_policy_unless_named" {
  command = plan

  assert {
    condition     = output.host_policy == null
    error_message = "The host policy is created only when host_policy_name is given."
  }

  assert {
    condition     = !anytrue([for statement in jsondecode(output.role.policy).Statement : contains(statement.Resource, "*")])
    error_message = "Every reporting permission is on an exact resource."
  }
}

run "schedule_must_be_an_eventbridge_expression" {
  command = plan

  variables {
    schedule_expression = "55 * * * *"
  }

  expect_failures = [var.schedule_expression]
}
