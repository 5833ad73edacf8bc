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

run "reporting_on_enables_its_schedule_without_reserving_concurrency" {
  command = plan

  assert {
    condition     = output.schedule.state == "ENABLED" && output.schedule.schedule_expression == "cron(30 7 ? * 2-6 *)"
    error_message = "cloudtrails.reporting true enables the rule with the converted cronjobs.reporting."
  }

  assert {
    condition     = output.function.handler == "create_cloudtrail_tickets.lambda_handler"
    error_message = "Reporting runs create_cloudtrail_tickets.lambda_handler."
  }

  assert {
    # Left out of the configuration: AWS reads it as -1 (unreserved), the mock as null.
    condition     = coalesce(output.function.reserved_concurrent_executions, -1) == -1 && output.function.run_lease && jsonencode(output.function.environment) == jsonencode({ RUN_LEASE = "issues-table" })
    error_message = "By default nothing is reserved (small concurrency quotas refuse it) and the run lease keeps one run at a time: ${jsonencode(output.function)}"
  }

  assert {
    condition     = output.log_groups == { "/aws/lambda/hammer-reporting-cloudtrails" = 90, "/aws/ec2/hammer-reporting-remediation" = 90 }
    error_message = "The Lambda's and the host's log groups, kept 90 days: ${jsonencode(output.log_groups)}"
  }

  assert {
    condition     = output.host_policy == null
    error_message = "The host policy is created only when host_policy_name is given."
  }

  assert {
    condition     = !anytrue([for statement in jsondecode(output.role.policy).Statement : contains(statement.Resource, "*")])
    error_message = "Every reporting permission is on an exact resource."
  }

  assert {
    condition     = [for statement in jsondecode(output.role.policy).Statement : statement.Action if statement.Sid == "ReadWriteIssues"] == [["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]]
    error_message = "Reporting never puts whole items: Query and UpdateItem on the issues table, GetItem for the run lease."
  }
}

run "beside_hammer_with_reserved_concurrency_one" {
  command = plan

  variables {
    reserved_concurrent_executions = 1
    create_host_log_group          = false
    host_policy_name               = "hammer-reporting-cloudtrails-host"
  }

  assert {
    condition     = output.function.reserved_concurrent_executions == 1 && !output.function.run_lease && length(output.function.environment) == 0
    error_message = "With reserved concurrency 1 Lambda keeps one run at a time; no lease."
  }

  assert {
    condition     = keys(output.log_groups) == ["/aws/lambda/hammer-reporting-cloudtrails"] && length(aws_cloudwatch_log_stream.host) == 0
    error_message = "Beside Hammer neither its log group nor the stream its host writes is created."
  }

  assert {
    condition     = contains(flatten([for statement in jsondecode(output.host_policy.policy).Statement : statement.Resource]), "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/hammer-reporting-remediation:*")
    error_message = "The host policy still lets the host write to Hammer's group."
  }
}

run "customer_managed_table_keys_are_granted_through_dynamodb" {
  command = plan

  variables {
    issues_table_kms_key_arn      = "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000"
    credentials_table_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    kms_key_arn                   = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    host_policy_name              = "hammer-reporting-cloudtrails-host"
  }

  assert {
    condition = alltrue([
      for policy in [output.role.policy, output.host_policy.policy] :
      [for statement in jsondecode(policy).Statement : [statement.Action, statement.Resource, statement.Condition] if statement.Sid == "UseTableKeys"] == [[
        ["kms:Decrypt", "kms:GenerateDataKey"],
        ["arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000", "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"],
        { StringEquals = { "kms:ViaService" = "dynamodb.eu-west-1.amazonaws.com" } },
      ]]
    ])
    error_message = "The role and the host policy need the tables' keys through DynamoDB, or every read fails in a real account."
  }

  assert {
    condition     = alltrue([for group in aws_cloudwatch_log_group.host : group.kms_key_id == var.kms_key_arn]) && aws_cloudwatch_log_group.this.kms_key_id == var.kms_key_arn
    error_message = "The customer-managed key encrypts the log groups."
  }
}

run "two_runs_at_once_and_a_crontab_schedule_are_refused" {
  command = plan

  variables {
    reserved_concurrent_executions = 2
    schedule_expression            = "55 * * * *"
  }

  expect_failures = [var.reserved_concurrent_executions, var.schedule_expression]
}
