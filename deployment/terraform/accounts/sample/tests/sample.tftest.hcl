# Plans and applies the sample environment against a mock AWS provider and
# checks what an operator would get: names, handlers, runtime, wiring,
# schedules, tables, alarms, and least-privilege IAM.
#
# The mock provider invents computed attributes; ARNs that feed validated
# arguments (a Lambda's role, a permission's source_arn) get the values AWS
# would give them.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
}

override_resource {
  target = module.identification.aws_iam_role.this["initiate"]
  values = {
    arn = "arn:aws:iam::123456789012:role/hammer-initiate-cloudtrails"
  }
}

override_resource {
  target = module.identification.aws_iam_role.this["describe"]
  values = {
    arn = "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
  }
}

override_resource {
  target = module.reporting.aws_iam_role.this
  values = {
    arn = "arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails"
  }
}

override_resource {
  target = module.identification.aws_lambda_function.initiate
  values = {
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:hammer-initiate-cloudtrails"
  }
}

override_resource {
  target = module.identification.aws_lambda_function.describe
  values = {
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:hammer-describe-cloudtrails"
  }
}

override_resource {
  target = module.reporting.aws_lambda_function.this
  values = {
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:hammer-reporting-cloudtrails"
  }
}

override_resource {
  target = module.identification.aws_sns_topic.work
  values = {
    arn = "arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda"
  }
}

override_resource {
  target = module.identification.aws_sns_topic.alarms[0]
  values = {
    arn = "arn:aws:sns:eu-west-1:123456789012:hammer-identification-errors"
  }
}

override_resource {
  target = module.identification.aws_sqs_queue.dead_letter
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-identification-dlq"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/hammer-cloudtrails-identification-dlq"
  }
}

override_resource {
  target = module.reporting.aws_sqs_queue.dead_letter
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-reporting-dlq"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/hammer-cloudtrails-reporting-dlq"
  }
}

override_resource {
  target = module.identification.aws_cloudwatch_event_rule.schedule
  values = {
    arn = "arn:aws:events:eu-west-1:123456789012:rule/hammer-InitiateEvaluationCloudTrails"
  }
}

override_resource {
  target = module.reporting.aws_cloudwatch_event_rule.schedule
  values = {
    arn = "arn:aws:events:eu-west-1:123456789012:rule/hammer-ReportingCloudTrails"
  }
}

variables {
  # Policies are compared as sets of "action resource" pairs, so that a test
  # fails on any action or resource added, removed or widened.
  expected_permissions = {
    initiate = [
      "logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-initiate-cloudtrails:*",
      "logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-initiate-cloudtrails:*",
      "sns:Publish arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda",
      "ec2:DescribeRegions *",
      "sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-identification-dlq",
    ]
    describe = [
      "logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-describe-cloudtrails:*",
      "logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-describe-cloudtrails:*",
      "sts:AssumeRole arn:aws:iam::210987654321:role/hammer-cloudsec-crossact-id",
      "sts:AssumeRole arn:aws:iam::654321210987:role/hammer-cloudsec-crossact-id",
      "cloudtrail:DescribeTrails *",
      "cloudtrail:GetTrailStatus arn:aws:cloudtrail:*:*:trail/*",
      "cloudtrail:GetEventSelectors arn:aws:cloudtrail:*:*:trail/*",
      "sns:Publish arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda",
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:PutItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-api-requests",
      "ec2:DescribeRegions *",
      "sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-identification-dlq",
    ]
    reporting = [
      "logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-reporting-cloudtrails:*",
      "logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-reporting-cloudtrails:*",
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-credentials",
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:PutItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-reporting-dlq",
    ]
    reporting_host = [
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-credentials",
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:PutItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/hammer-reporting-remediation:*",
      "logs:DescribeLogStreams arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/hammer-reporting-remediation:*",
      "logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/hammer-reporting-remediation:*",
    ]
  }
}

run "plan_gives_hammer_names_and_settings" {
  command = plan

  assert {
    condition = jsonencode({
      for key, function in output.functions : key => [function.name, function.handler, function.runtime, function.architectures, function.memory_size, function.timeout]
      }) == jsonencode({
      initiate  = ["hammer-initiate-cloudtrails", "initiate_to_desc_cloudtrails.lambda_handler", "nodejs22.x", ["arm64"], 128, 300]
      describe  = ["hammer-describe-cloudtrails", "describe_cloudtrails.lambda_handler", "nodejs22.x", ["arm64"], 256, 300]
      reporting = ["hammer-reporting-cloudtrails", "create_cloudtrail_tickets.lambda_handler", "nodejs22.x", ["arm64"], 256, 900]
    })
    error_message = "Lambda names, handlers, runtime, architecture, memory or timeouts differ from Hammer's: ${jsonencode({ for key, function in output.functions : key => [function.name, function.handler, function.runtime, function.memory_size, function.timeout] })}"
  }

  assert {
    condition     = output.functions.reporting.reserved_concurrent_executions == 1 && output.functions.describe.reserved_concurrent_executions == -1
    error_message = "Reporting must run one at a time (reserved concurrency 1); identification stays unreserved by default."
  }

  assert {
    condition = alltrue([
      for key, zip in {
        initiate  = "../../../../dist/initiate_to_desc_cloudtrails.zip"
        describe  = "../../../../dist/describe_cloudtrails.zip"
        reporting = "../../../../dist/create_cloudtrail_tickets.zip"
      } : output.functions[key].filename == zip && output.functions[key].source_code_hash == filebase64sha256(zip)
    ])
    error_message = "Each Lambda's code must be its zip of build.mjs in dist/, with source_code_hash the zip's base64 sha256."
  }

  assert {
    condition     = alltrue([for function in values(output.functions) : function.log_format == "JSON" && function.log_group == "/aws/lambda/${function.name}"])
    error_message = "Each Lambda logs JSON to its own log group /aws/lambda/<function>."
  }

  assert {
    condition = output.log_groups == {
      "/aws/lambda/hammer-initiate-cloudtrails"  = 7
      "/aws/lambda/hammer-describe-cloudtrails"  = 7
      "/aws/lambda/hammer-reporting-cloudtrails" = 7
      "/aws/ec2/hammer-reporting-remediation"    = 7
    }
    error_message = "Log groups and their retention differ from Hammer's: ${jsonencode(output.log_groups)}"
  }

  assert {
    condition     = output.reporting_host_log_stream == "reporting.create_cloudtrails_tickets"
    error_message = "The reporting command's log stream must be Hammer's reporting.create_cloudtrails_tickets."
  }

  assert {
    condition = (
      output.schedules.identification.name == "hammer-InitiateEvaluationCloudTrails" &&
      output.schedules.identification.schedule_expression == "cron(15 * * * ? *)" &&
      output.schedules.identification.state == "ENABLED"
    )
    error_message = "The identification schedule must be hammer-InitiateEvaluationCloudTrails, cron(15 * * * ? *), enabled (cloudtrails.enabled is true)."
  }

  assert {
    condition = (
      output.schedules.reporting.name == "hammer-ReportingCloudTrails" &&
      output.schedules.reporting.schedule_expression == "cron(55 * * * ? *)" &&
      output.schedules.reporting.state == "DISABLED"
    )
    error_message = "The reporting schedule must be cronjobs.reporting \"55 * * * *\" as cron(55 * * * ? *), disabled while cloudtrails.reporting is false; found ${output.schedules.reporting.schedule_expression} ${output.schedules.reporting.state}."
  }

  assert {
    condition     = output.topic.name == "hammer-describe-cloudtrails-lambda" && output.topic.display_name == "hammer-describe-cloudtrails-sns"
    error_message = "The topic must be config.json's cloudtrails.topic_name with Hammer's display name."
  }

  assert {
    condition = jsonencode({
      for role, table in output.tables : role => [table.name, table.hash_key, table.range_key, table.attributes, table.billing_mode, table.point_in_time_recovery, table.server_side_encryption, table.deletion_protection_enabled]
      }) == jsonencode({
      issues       = ["hammer-cloudtrails", "account_id", "issue_id", { account_id = "S", issue_id = "S" }, "PAY_PER_REQUEST", true, true, true]
      credentials  = ["hammer-credentials", "service", null, { service = "S" }, "PAY_PER_REQUEST", true, true, true]
      api_requests = ["hammer-api-requests", "request_id", null, { request_id = "S" }, "PAY_PER_REQUEST", true, true, true]
    })
    error_message = "Tables, keys or settings differ: ${jsonencode({ for role, table in output.tables : role => [table.name, table.hash_key, table.range_key, table.attributes, table.billing_mode, table.point_in_time_recovery, table.server_side_encryption, table.deletion_protection_enabled] })}"
  }

  assert {
    condition     = jsonencode(output.crossaccount_account_ids) == jsonencode(["210987654321", "654321210987"]) && output.crossaccount_role_name == "hammer-cloudsec-crossact-id"
    error_message = "The cross-account role hammer-cloudsec-crossact-id is needed in every checked account but the master: ${jsonencode(output.crossaccount_account_ids)}"
  }

  assert {
    condition     = output.identification_role_arn == "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
    error_message = "The role trusted by the cross-account roles must be the identification Lambda's."
  }

  assert {
    condition     = output.built_config["config.json"] == sha256(file("config/config.json"))
    error_message = "The zips must be checked against this environment's config.json."
  }
}

run "iam_policies_are_least_privilege" {
  command = plan

  assert {
    condition = alltrue([
      for key in ["initiate", "describe", "reporting"] :
      toset(flatten([for statement in jsondecode(output.roles[key].policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${action} ${resource}"]]]))
      == toset(var.expected_permissions[key])
    ])
    error_message = "A Lambda role allows more or less than its code calls: ${jsonencode({ for key in ["initiate", "describe", "reporting"] : key => flatten([for statement in jsondecode(output.roles[key].policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${action} ${resource}"]]]) })}"
  }

  assert {
    condition = (
      toset(flatten([for statement in jsondecode(output.reporting_host_policy.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${action} ${resource}"]]]))
      == toset(var.expected_permissions.reporting_host)
    )
    error_message = "The reporting host policy allows more or less than the reporting command needs."
  }

  assert {
    condition = alltrue(flatten([
      for policy in concat([for role in values(output.roles) : role.policy], [output.reporting_host_policy.policy]) : [
        for statement in jsondecode(policy).Statement : statement.Effect == "Allow" && toset(keys(statement)) == toset(["Sid", "Effect", "Action", "Resource"]) && !anytrue([for action in statement.Action : strcontains(action, "*")])
      ]
    ]))
    error_message = "Every statement must be a plain Allow of named actions (no wildcard action, NotAction, NotResource or condition that could widen it)."
  }

  assert {
    condition = alltrue([
      for role in values(output.roles) : jsondecode(role.assume_role_policy) == {
        Version = "2012-10-17"
        Statement = [{
          Sid       = "LambdaAssumesRole"
          Effect    = "Allow"
          Action    = "sts:AssumeRole"
          Principal = { Service = "lambda.amazonaws.com" }
        }]
      }
    ])
    error_message = "Each Lambda role must be assumable by the Lambda service only."
  }
}

run "apply_wires_schedule_topic_and_alarms" {
  assert {
    condition     = jsonencode(output.functions.initiate.environment) == jsonencode({ SNS_ARN = output.topic.arn }) && output.topic.arn == "arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda"
    error_message = "The initiation Lambda's only variable must be SNS_ARN, the topic's ARN: ${jsonencode(output.functions.initiate.environment)}"
  }

  assert {
    condition = (
      output.topic.subscription_protocol == "lambda" &&
      output.topic.subscription_topic == output.topic.arn &&
      output.topic.subscription_endpoint == output.functions.describe.arn &&
      output.topic.permission_principal == "sns.amazonaws.com" &&
      output.topic.permission_source_arn == output.topic.arn &&
      output.topic.permission_function == "hammer-describe-cloudtrails"
    )
    error_message = "The topic must invoke the identification Lambda (subscription and invoke permission): ${jsonencode(output.topic)}"
  }

  assert {
    condition = alltrue([
      for key, function in { identification = "initiate", reporting = "reporting" } :
      output.schedules[key].target_arn == output.functions[function].arn &&
      output.schedules[key].target_rule == output.schedules[key].name &&
      output.schedules[key].permission_principal == "events.amazonaws.com" &&
      output.schedules[key].permission_source_arn == output.schedules[key].arn &&
      output.schedules[key].permission_function == output.functions[function].name
    ])
    error_message = "Each schedule must target its Lambda, with an invoke permission for that rule only: ${jsonencode(output.schedules)}"
  }

  assert {
    condition     = alltrue([for key, role in output.roles : output.functions[key].role_arn == role.arn && role.name == output.functions[key].name])
    error_message = "Each Lambda runs with its own role, named after it."
  }

  assert {
    condition = jsonencode({
      for name, alarm in output.alarms : name => [alarm.namespace, alarm.metric_name, alarm.dimensions, alarm.statistic, alarm.period, alarm.comparison_operator, alarm.threshold]
      }) == jsonencode({
      "hammer-initiate-cloudtrails/LambdaError"        = ["AWS/Lambda", "Errors", { FunctionName = "hammer-initiate-cloudtrails" }, "Maximum", 3600, "GreaterThanThreshold", 0]
      "hammer-describe-cloudtrails/LambdaError"        = ["AWS/Lambda", "Errors", { FunctionName = "hammer-describe-cloudtrails" }, "Maximum", 3600, "GreaterThanThreshold", 0]
      "hammer-reporting-cloudtrails/LambdaError"       = ["AWS/Lambda", "Errors", { FunctionName = "hammer-reporting-cloudtrails" }, "Maximum", 3600, "GreaterThanThreshold", 0]
      "hammer-cloudtrails-identification-dlq/NotEmpty" = ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName = "hammer-cloudtrails-identification-dlq" }, "Maximum", 300, "GreaterThanThreshold", 0]
      "hammer-cloudtrails-reporting-dlq/NotEmpty"      = ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName = "hammer-cloudtrails-reporting-dlq" }, "Maximum", 300, "GreaterThanThreshold", 0]
    })
    error_message = "The alarm set differs: ${jsonencode({ for name, alarm in output.alarms : name => [alarm.namespace, alarm.metric_name, alarm.dimensions, alarm.statistic, alarm.period, alarm.comparison_operator, alarm.threshold] })}"
  }

  assert {
    condition = alltrue([
      for alarm in values(output.alarms) : jsonencode(alarm.alarm_actions) == jsonencode([output.alarm_topic_arn]) && jsonencode(alarm.ok_actions) == jsonencode([output.alarm_topic_arn])
    ]) && output.alarm_topic_arn == "arn:aws:sns:eu-west-1:123456789012:hammer-identification-errors"
    error_message = "Every alarm must notify the alarm topic hammer-identification-errors, on alarm and on recovery."
  }

  assert {
    condition = (
      output.functions.initiate.on_failure_destination == output.dead_letter_queues.identification.arn &&
      output.functions.describe.on_failure_destination == output.dead_letter_queues.identification.arn &&
      output.functions.reporting.on_failure_destination == output.dead_letter_queues.reporting.arn &&
      output.functions.reporting.maximum_retry_attempts == 0
    )
    error_message = "Failed asynchronous invocations must land in the dead-letter queues (reporting is not retried by Lambda: the next run finishes the job)."
  }
}

run "zips_built_from_another_config_are_refused" {
  command = plan

  variables {
    config_dir = "tests/fixtures/other-config"
  }

  expect_failures = [output.built_config]
}

run "identification_schedule_needs_five_fields" {
  command = plan

  variables {
    identification_schedule = "* * ? *"
  }

  expect_failures = [var.identification_schedule]
}

run "log_retention_must_be_one_cloudwatch_accepts" {
  command = plan

  variables {
    log_retention_in_days = 10
  }

  expect_failures = [var.log_retention_in_days]
}
