# The remediation stack of the master account: names, handler, schedule, and
# an IAM policy that is exactly what remediation needs.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
}

override_resource {
  target = aws_iam_role.this
  values = {
    arn = "arn:aws:iam::123456789012:role/hammer-remediation-cloudtrails"
  }
}

override_resource {
  target = aws_lambda_function.this
  values = {
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:hammer-remediation-cloudtrails"
  }
}

override_resource {
  target = aws_cloudwatch_event_rule.schedule
  values = {
    arn = "arn:aws:events:eu-west-1:123456789012:rule/hammer-RemediationCloudTrails"
  }
}

override_resource {
  target = aws_sqs_queue.dead_letter
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-remediation-dlq"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/hammer-cloudtrails-remediation-dlq"
  }
}

variables {
  account_id              = "123456789012"
  function_name           = "hammer-remediation-cloudtrails"
  zip_path                = "../../../../dist/clean_cloudtrails.zip"
  schedule_rule_name      = "hammer-RemediationCloudTrails"
  schedule_expression     = "cron(45 10 * * ? *)"
  schedule_enabled        = true
  issues_table_name       = "hammer-cloudtrails"
  credentials_table_name  = "hammer-credentials"
  crossaccount_role_name  = "hammer-cloudsec-crossact-ec2"
  remediation_account_ids = ["654321210987", "210987654321"]
  alarm_topic_arn         = "arn:aws:sns:eu-west-1:123456789012:hammer-identification-errors"
  dead_letter_queue_name  = "hammer-cloudtrails-remediation-dlq"
  host_policy_name        = "hammer-remediation-cloudtrails-host"

  # "Effect action resource" of every statement, compared as sets: any action
  # or resource added, removed or widened fails.
  tables_and_roles = [
    "Allow logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-remediation-cloudtrails:*",
    "Allow logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-remediation-cloudtrails:*",
    "Allow dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-credentials",
    "Allow dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
    "Allow dynamodb:PutItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
    "Allow dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
    "Allow dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
    "Allow sts:AssumeRole arn:aws:iam::210987654321:role/hammer-cloudsec-crossact-ec2",
    "Allow sts:AssumeRole arn:aws:iam::654321210987:role/hammer-cloudsec-crossact-ec2",
    "Allow sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-remediation-dlq",
  ]
}

run "runs_clean_cloudtrails_on_its_schedule_one_run_at_a_time" {
  command = apply

  assert {
    condition = (
      output.function.name == "hammer-remediation-cloudtrails" &&
      output.function.handler == "clean_cloudtrails.lambda_handler" &&
      output.function.runtime == "nodejs22.x" &&
      output.function.reserved_concurrent_executions == 1 &&
      output.function.maximum_retry_attempts == 0 &&
      output.function.on_failure_destination == "arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-remediation-dlq" &&
      output.function.log_group == "/aws/lambda/hammer-remediation-cloudtrails"
    )
    error_message = "The remediation Lambda runs clean_cloudtrails.lambda_handler, once at a time, failures to its queue: ${jsonencode(output.function)}"
  }

  assert {
    condition = (
      output.schedule.state == "ENABLED" &&
      output.schedule.schedule_expression == "cron(45 10 * * ? *)" &&
      output.schedule.target_arn == "arn:aws:lambda:eu-west-1:123456789012:function:hammer-remediation-cloudtrails" &&
      output.schedule.permission_principal == "events.amazonaws.com" &&
      output.schedule.permission_source_arn == "arn:aws:events:eu-west-1:123456789012:rule/hammer-RemediationCloudTrails"
    )
    error_message = "The schedule invokes the Lambda: ${jsonencode(output.schedule)}"
  }

  assert {
    condition     = output.host_log_stream == { log_group = "/aws/ec2/hammer-reporting-remediation", name = "remediation.clean_cloudtrails" }
    error_message = "The command logs to Hammer's stream remediation.clean_cloudtrails in /aws/ec2/hammer-reporting-remediation."
  }
}

run "the_lambda_only_assumes_the_remediation_roles_and_holds_no_cloudtrail_right_of_its_own" {
  command = plan

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.role.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${statement.Effect} ${action} ${resource}"]]
    ])) == toset(var.tables_and_roles)
    error_message = "The remediation Lambda's policy must be exactly its tables, logs, queue and the remediation roles: ${output.role.policy}"
  }

  assert {
    condition = jsondecode(output.role.assume_role_policy) == {
      Version   = "2012-10-17"
      Statement = [{ Sid = "LambdaAssumesRole", Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
    }
    error_message = "Only Lambda may assume the execution role."
  }
}

run "in_its_own_account_it_starts_the_account_s_trails_itself_and_nothing_else" {
  command = plan

  variables {
    remediation_account_ids = ["123456789012"]
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.role.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${statement.Effect} ${action} ${resource}"]]
      ])) == toset(concat([for permission in var.tables_and_roles : permission if !startswith(permission, "Allow sts:")], [
      "Allow cloudtrail:DescribeTrails *",
      "Allow cloudtrail:GetTrailStatus arn:aws:cloudtrail:*:*:trail/*",
      "Allow cloudtrail:GetEventSelectors arn:aws:cloudtrail:*:*:trail/*",
      "Allow cloudtrail:StartLogging arn:aws:cloudtrail:*:123456789012:trail/*",
    ]))
    error_message = "In the main account the Lambda reads trails and may start only that account's own trails: ${output.role.policy}"
  }
}

run "the_host_policy_holds_the_same_rights_and_the_host_log_stream" {
  command = plan

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.host_policy.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${statement.Effect} ${action} ${resource}"]]
      ])) == toset(concat([for permission in var.tables_and_roles : permission if !startswith(permission, "Allow logs:") && !startswith(permission, "Allow sqs:")], [
      "Allow logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/hammer-reporting-remediation:*",
      "Allow logs:DescribeLogStreams arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/hammer-reporting-remediation:*",
      "Allow logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/hammer-reporting-remediation:*",
    ]))
    error_message = "The host policy: the tables, the remediation roles and the host log group: ${output.host_policy.policy}"
  }
}

run "the_host_log_stream_is_created_here_unless_hammer_s_exists" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_log_stream.host) == 1 && aws_cloudwatch_log_stream.host[0].name == "remediation.clean_cloudtrails" && aws_cloudwatch_log_stream.host[0].log_group_name == "/aws/ec2/hammer-reporting-remediation"
    error_message = "In a fresh account the remediation command's stream is created in the host log group."
  }
}

run "beside_hammer_its_host_log_stream_is_left_alone" {
  command = plan

  variables {
    create_host_log_stream = false
  }

  assert {
    condition     = length(aws_cloudwatch_log_stream.host) == 0 && output.host_log_stream == { log_group = "/aws/ec2/hammer-reporting-remediation", name = "remediation.clean_cloudtrails" }
    error_message = "Beside Hammer the stream is Hammer's: nothing created, the host policy still names its group."
  }
}

run "schedule_disabled_while_remediation_is_off" {
  command = plan

  variables {
    schedule_enabled = false
  }

  assert {
    condition     = output.schedule.state == "DISABLED"
    error_message = "cloudtrails.remediation false disables the rule."
  }
}

run "the_code_must_be_the_clean_cloudtrails_zip" {
  command = plan

  variables {
    zip_path = "../../../../dist/create_cloudtrail_tickets.zip"
  }

  expect_failures = [var.zip_path]
}
