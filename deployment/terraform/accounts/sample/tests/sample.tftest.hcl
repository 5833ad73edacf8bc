# Plans the sample environment against a mock AWS provider and checks what an
# operator would get: names, handlers, runtime, wiring, schedules, tables,
# alarms, encryption, and least-privilege IAM, beside Python Hammer (the
# sample's default) and in a fresh account.
#
# Plans only: the tables and the KMS key have prevent_destroy, which the test's
# clean-up (a destroy) would refuse. The mock provider invents computed
# attributes; ARNs that feed validated arguments or assertions get the values
# AWS would give them, already at plan (override_during = plan). The
# behaviours that need resources in the state (a rename or a flag refused, a
# table handed over) and the real provider's plan are checked by
# deployment/terraform/checks.mjs on an offline plan.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
}

override_resource {
  target          = module.identification.aws_iam_role.this["initiate"]
  override_during = plan
  values = {
    arn = "arn:aws:iam::123456789012:role/hammer-initiate-cloudtrails"
  }
}

override_resource {
  target          = module.identification.aws_iam_role.this["describe"]
  override_during = plan
  values = {
    arn = "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
  }
}

override_resource {
  target          = module.reporting.aws_iam_role.this
  override_during = plan
  values = {
    arn = "arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails"
  }
}

override_resource {
  target          = module.identification.aws_lambda_function.initiate
  override_during = plan
  values = {
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:hammer-initiate-cloudtrails"
  }
}

override_resource {
  target          = module.identification.aws_lambda_function.describe
  override_during = plan
  values = {
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:hammer-describe-cloudtrails"
  }
}

override_resource {
  target          = module.reporting.aws_lambda_function.this
  override_during = plan
  values = {
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:hammer-reporting-cloudtrails"
  }
}

override_resource {
  target          = module.identification.aws_sns_topic.work
  override_during = plan
  values = {
    arn = "arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda"
  }
}

override_resource {
  target          = module.identification.aws_sns_topic.alarms[0]
  override_during = plan
  values = {
    arn = "arn:aws:sns:eu-west-1:123456789012:hammer-identification-errors"
  }
}

override_resource {
  target          = module.identification.aws_sqs_queue.dead_letter
  override_during = plan
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-identification-dlq"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/hammer-cloudtrails-identification-dlq"
  }
}

override_resource {
  target          = module.reporting.aws_sqs_queue.dead_letter
  override_during = plan
  values = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-reporting-dlq"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/hammer-cloudtrails-reporting-dlq"
  }
}

override_resource {
  target          = module.identification.aws_cloudwatch_event_rule.schedule
  override_during = plan
  values = {
    arn = "arn:aws:events:eu-west-1:123456789012:rule/hammer-InitiateEvaluationCloudTrails"
  }
}

override_resource {
  target          = module.reporting.aws_cloudwatch_event_rule.schedule
  override_during = plan
  values = {
    arn = "arn:aws:events:eu-west-1:123456789012:rule/hammer-ReportingCloudTrails"
  }
}

# Beside Hammer the issues table is imported (table_issues.tf); the mock
# provider imports only what an override describes: Hammer's table as AWS
# would describe it.
override_resource {
  target          = module.issues_table.aws_dynamodb_table.this
  override_during = plan
  values = {
    arn       = "arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails"
    name      = "hammer-cloudtrails"
    hash_key  = "account_id"
    range_key = "issue_id"
  }
}

override_resource {
  target          = module.kms_key[0].aws_kms_key.this
  override_during = plan
  values = {
    arn = "arn:aws:kms:eu-west-1:123456789012:key/0b7a1c52-1111-2222-3333-444455556666"
  }
}

variables {
  # Policies are compared as sets of "action resource" pairs, so that a test
  # fails on any action or resource added, removed or widened. (That each
  # role's actions are exactly what its code can send is checked against the
  # code by deployment/terraform/checks.mjs.)
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
      "dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-api-requests",
      "sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-identification-dlq",
    ]
    reporting = [
      "logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-reporting-cloudtrails:*",
      "logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-reporting-cloudtrails:*",
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-credentials",
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-reporting-dlq",
    ]
    reporting_host = [
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-credentials",
      "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/hammer-reporting-remediation:*",
      "logs:DescribeLogStreams arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/hammer-reporting-remediation:*",
      "logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/hammer-reporting-remediation:*",
    ]
  }
}

run "beside_hammer_plan_gives_hammer_names_settings_and_least_privilege" {
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
    condition     = coalesce(output.functions.reporting.reserved_concurrent_executions, -1) == -1 && jsonencode(output.functions.reporting.environment) == jsonencode({ RUN_LEASE = "issues-table" }) && output.functions.describe.reserved_concurrent_executions == -1
    error_message = "Reporting reserves no concurrency by default (small quotas refuse it) and runs one at a time through the run lease; identification stays unreserved."
  }

  assert {
    condition = alltrue([
      for key, zip in {
        initiate  = "../../../../dist/initiate_to_desc_cloudtrails.zip"
        describe  = "../../../../dist/describe_cloudtrails.zip"
        reporting = "../../../../dist/create_cloudtrail_tickets.zip"
      } : output.functions[key].filename == zip && output.functions[key].source_code_hash == filebase64sha256(zip)
    ])
    error_message = "Each Lambda's code must be its zip of build.mjs in dist/, with source_code_hash the zip's base64 sha256 (so a byte-identical rebuild plans no change)."
  }

  assert {
    condition     = alltrue([for function in values(output.functions) : function.log_format == "JSON" && function.log_group == "/aws/lambda/${function.name}"])
    error_message = "Each Lambda logs JSON to its own log group /aws/lambda/<function>."
  }

  assert {
    condition = output.log_groups == {
      "/aws/lambda/hammer-initiate-cloudtrails"  = 90
      "/aws/lambda/hammer-describe-cloudtrails"  = 90
      "/aws/lambda/hammer-reporting-cloudtrails" = 90
    }
    error_message = "Beside Hammer the environment creates the Lambdas' log groups only (kept 90 days by default), not Hammer's host group: ${jsonencode(output.log_groups)}"
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
    condition     = output.topic.name == "hammer-describe-cloudtrails-lambda" && output.topic.display_name == "hammer-describe-cloudtrails-sns" && output.topic.kms_master_key_id == "alias/aws/sns"
    error_message = "The topic must be config.json's cloudtrails.topic_name with Hammer's display name, encrypted at least with alias/aws/sns."
  }

  assert {
    condition     = jsonencode([output.issues_table.name, output.issues_table.hash_key, output.issues_table.range_key, output.issues_table.attributes, output.issues_table.billing_mode, output.issues_table.point_in_time_recovery, output.issues_table.server_side_encryption, output.issues_table.deletion_protection_enabled]) == jsonencode(["hammer-cloudtrails", "account_id", "issue_id", { account_id = "S", issue_id = "S" }, "PAY_PER_REQUEST", true, true, true])
    error_message = "The issues table keeps Hammer's name and keys, on-demand, point-in-time recovery, encryption and deletion protection: ${jsonencode(output.issues_table)}"
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

  assert {
    condition = output.shared_resources == {
      credentials_table     = "existing"
      api_requests_table    = "existing"
      reporting_host_log    = "existing"
      alarm_topic           = "existing"
      issues_table_adoption = "import"
    }
    error_message = "hammer_present (the sample's default) must use Hammer's shared resources and adopt its issues table: ${jsonencode(output.shared_resources)}"
  }

  assert {
    condition     = output.created == { alarm_topic = false, host_log_group = false, host_log_stream = false, credentials_table = false, api_requests_table = false } && output.credentials_table == null && output.api_requests_table == null
    error_message = "Beside Hammer no credentials or API requests table, alarm topic, host log group or stream may be created (create would fail or silently adopt Hammer's, and a destroy would delete it)."
  }

  assert {
    condition     = output.alarm_topic_arn == "arn:aws:sns:eu-west-1:123456789012:hammer-identification-errors" && alltrue([for alarm in values(output.alarms) : jsonencode(alarm.alarm_actions) == jsonencode([output.alarm_topic_arn])])
    error_message = "Every alarm notifies Hammer's topic hammer-identification-errors, by ARN."
  }

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

run "fresh_account_creates_the_shared_resources_and_wires_them" {
  command = plan

  variables {
    hammer_present = false
  }

  assert {
    condition = jsonencode({
      for role, table in { credentials = output.credentials_table, api_requests = output.api_requests_table } : role => [table.name, table.hash_key, table.range_key, table.attributes, table.billing_mode, table.point_in_time_recovery, table.server_side_encryption, table.deletion_protection_enabled]
      }) == jsonencode({
      api_requests = ["hammer-api-requests", "request_id", null, { request_id = "S" }, "PAY_PER_REQUEST", true, true, true]
      credentials  = ["hammer-credentials", "service", null, { service = "S" }, "PAY_PER_REQUEST", true, true, true]
    })
    error_message = "Without Hammer the shared tables are created with Hammer's names and keys."
  }

  assert {
    condition     = output.shared_resources.issues_table_adoption == "create" && output.alarm_topic_arn == "arn:aws:sns:eu-west-1:123456789012:hammer-identification-errors" && output.created == { alarm_topic = true, host_log_group = true, host_log_stream = true, credentials_table = true, api_requests_table = true }
    error_message = "Without Hammer the issues table and the alarm topic are created here."
  }

  assert {
    condition = output.log_groups == {
      "/aws/lambda/hammer-initiate-cloudtrails"  = 90
      "/aws/lambda/hammer-describe-cloudtrails"  = 90
      "/aws/lambda/hammer-reporting-cloudtrails" = 90
      "/aws/ec2/hammer-reporting-remediation"    = 90
    }
    error_message = "Without Hammer the host log group is created too: ${jsonencode(output.log_groups)}"
  }

  assert {
    condition     = output.reporting_host_log_stream == "reporting.create_cloudtrails_tickets"
    error_message = "The reporting command's log stream must be Hammer's reporting.create_cloudtrails_tickets."
  }

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

  assert {
    condition = (
      jsondecode(output.topic.redrive_policy) == { deadLetterTargetArn = output.dead_letter_queues.identification.arn } &&
      output.schedules.identification.dead_letter_arn == output.dead_letter_queues.identification.arn &&
      output.schedules.reporting.dead_letter_arn == output.dead_letter_queues.reporting.arn
    )
    error_message = "Undelivered topic messages (redrive policy) and schedule events (target dead-letter config) must land in the dead-letter queues."
  }

  assert {
    condition = alltrue([
      for key, sources in { identification = ["arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda", "arn:aws:events:eu-west-1:123456789012:rule/hammer-InitiateEvaluationCloudTrails"], reporting = ["arn:aws:events:eu-west-1:123456789012:rule/hammer-ReportingCloudTrails"] } :
      [for statement in jsondecode(output.dead_letter_queues[key].policy).Statement : statement.Condition.ArnEquals["aws:SourceArn"]] == sources
    ])
    error_message = "Each queue policy admits only the environment's own topic and rules (aws:SourceArn)."
  }
}

run "customer_managed_keys_encrypt_and_are_granted_to_exactly_their_users" {
  command = plan

  variables {
    hammer_present             = false
    create_kms_key             = true
    kms_key_administrator_arns = ["arn:aws:iam::123456789012:role/security-admin"]
    credentials_principal_arns = ["arn:aws:iam::123456789012:role/hammer-cloudsec-master-ec2"]
    tables_kms_key_arn         = "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000"
  }

  assert {
    condition     = output.kms_key.alias == "alias/hammer-cloudtrails" && output.credentials_table.kms_key_arn == output.kms_key.arn
    error_message = "The environment's key encrypts the credentials table it creates."
  }

  assert {
    condition     = output.encryption.work_topic == output.kms_key.arn && output.encryption.alarm_topic == output.kms_key.arn && length(output.encryption.log_groups) == 4 && alltrue([for key in values(output.encryption.log_groups) : key == output.kms_key.arn])
    error_message = "The environment's key encrypts both topics and every log group."
  }

  assert {
    condition = {
      for statement in jsondecode(output.kms_key.policy).Statement : statement.Sid => statement.Principal
      } == {
      KeyAdministrators               = { AWS = ["arn:aws:iam::123456789012:role/security-admin"] }
      AdministratorsAttachKeyToTables = { AWS = ["arn:aws:iam::123456789012:role/security-admin"] }
      CredentialsReadersAndWriters    = { AWS = ["arn:aws:iam::123456789012:role/hammer-cloudsec-master-ec2", "arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails"] }
      TopicPublishers                 = { AWS = ["arn:aws:iam::123456789012:role/hammer-describe-cloudtrails", "arn:aws:iam::123456789012:role/hammer-initiate-cloudtrails"] }
      CloudWatchAlarmsPublish         = { Service = "cloudwatch.amazonaws.com" }
      CloudWatchLogsOfTheseGroups     = { Service = "logs.eu-west-1.amazonaws.com" }
    }
    error_message = "The key policy admits the key administrators, only the principals that read or write credentials (reporting and the given ones), the topic publishers, CloudWatch alarms and the log groups' CloudWatch Logs: ${output.kms_key.policy}"
  }

  assert {
    condition     = [for statement in jsondecode(output.kms_key.policy).Statement : statement.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"] if statement.Sid == "CloudWatchLogsOfTheseGroups"] == [["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ec2/hammer-reporting-remediation", "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-describe-cloudtrails", "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-initiate-cloudtrails", "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-reporting-cloudtrails"]]
    error_message = "CloudWatch Logs may use the key for this environment's log groups only."
  }


  assert {
    condition     = output.issues_table.kms_key_arn == var.tables_kms_key_arn && output.api_requests_table.kms_key_arn == var.tables_kms_key_arn
    error_message = "tables_kms_key_arn encrypts the issues and API requests tables (the credentials table has the environment's own key)."
  }

  assert {
    condition = alltrue([
      for key, keys in { describe = [var.tables_kms_key_arn], reporting = [var.tables_kms_key_arn, output.kms_key.arn] } :
      [for statement in jsondecode(output.roles[key].policy).Statement : [statement.Action, statement.Resource, statement.Condition] if statement.Sid == "UseTableKeys"] == [[["kms:Decrypt", "kms:GenerateDataKey"], keys, { StringEquals = { "kms:ViaService" = "dynamodb.eu-west-1.amazonaws.com" } }]]
    ]) && jsondecode(output.reporting_host_policy.policy).Statement[2].Resource == [var.tables_kms_key_arn, output.kms_key.arn]
    error_message = "Every role that uses a table gets its key through DynamoDB (or each of its calls fails in a real account); initiation uses no table."
  }
}

run "beside_hammer_key_and_reserved_concurrency" {
  command = plan

  variables {
    create_kms_key                 = true
    kms_key_administrator_arns     = ["arn:aws:iam::123456789012:role/security-admin"]
    reporting_reserved_concurrency = 1
  }

  assert {
    condition     = [for statement in jsondecode(output.kms_key.policy).Statement : statement.Sid] == ["KeyAdministrators", "AdministratorsAttachKeyToTables", "TopicPublishers", "CloudWatchLogsOfTheseGroups"]
    error_message = "Beside Hammer the credentials table and the alarm topic are Hammer's: the key admits neither credential readers nor CloudWatch alarms."
  }

  assert {
    condition     = output.functions.reporting.reserved_concurrent_executions == 1 && length(output.functions.reporting.environment) == 0
    error_message = "With reserved concurrency 1 Lambda keeps one run at a time and no lease is taken."
  }
}

run "zips_built_from_another_config_are_refused" {
  command = plan

  variables {
    config_dir = "tests/fixtures/other-config"
  }

  expect_failures = [output.built_config]
}

# Values AWS would refuse at apply, refused at plan (one run: each listed
# variable must fail on its own).
run "values_aws_refuses_are_refused_at_plan" {
  command = plan

  variables {
    identification_schedule        = "* * * * *"
    log_retention_in_days          = 10
    reporting_reserved_concurrency = 5
  }

  expect_failures = [var.identification_schedule, var.log_retention_in_days, var.reporting_reserved_concurrency]
}

run "securityhub_lets_reporting_import_through_the_controlled_accounts_roles" {
  command = plan

  variables {
    config_dir = "tests/fixtures/securityhub-config"
  }

  # The zips of dist/ hold the sample's config, not the fixture's.
  expect_failures = [output.built_config]

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.roles.reporting.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${action} ${resource}"]] if anytrue([for action in statement.Action : startswith(action, "sts:") || startswith(action, "securityhub:")])
      ])) == toset([
      "sts:AssumeRole arn:aws:iam::210987654321:role/hammer-cloudsec-crossact-id",
      "sts:AssumeRole arn:aws:iam::654321210987:role/hammer-cloudsec-crossact-id",
      "securityhub:BatchImportFindings arn:aws:securityhub:*:123456789012:product/123456789012/default",
    ])
    error_message = "cloudtrails.securityhub: reporting assumes the checked accounts' cross-account role and imports the master account's own findings, nothing more: ${output.roles.reporting.policy}"
  }
}

run "the_environment_s_key_covers_remediation_too" {
  command = plan

  variables {
    hammer_present             = false
    create_kms_key             = true
    kms_key_administrator_arns = ["arn:aws:iam::123456789012:role/security-admin"]
    tables_kms_key_arn         = "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000"
  }

  # Remediation on (the remediation-settings module's outputs, as in
  # tests/remediation.tftest.hcl; the zips still match the sample config).
  override_module {
    target = module.remediation_settings
    outputs = {
      remediation                 = true
      remediation_account_ids     = ["123456789012", "210987654321"]
      crossaccount_account_ids    = ["210987654321"]
      main_account_in_remediation = true
      retention_period            = 30
      role_name_reporting         = "hammer-cloudsec-crossact-ec2"
      remediation_cron            = "45 10 * * *"
      schedule_expression         = "cron(45 10 * * ? *)"
      names = {
        function        = "hammer-remediation-cloudtrails"
        rule            = "hammer-RemediationCloudTrails"
        dead_letter     = "hammer-cloudtrails-remediation-dlq"
        host_log_group  = "/aws/ec2/hammer-reporting-remediation"
        host_log_stream = "remediation.clean_cloudtrails"
        host_policy     = "hammer-remediation-cloudtrails-host"
      }
    }
  }

  assert {
    condition     = contains([for statement in jsondecode(output.kms_key.policy).Statement : statement.Principal.AWS if statement.Sid == "CredentialsReadersAndWriters"][0], "arn:aws:iam::123456789012:role/hammer-remediation-cloudtrails")
    error_message = "The remediation Lambda reads the Slack token: the key admits its role among the credentials users: ${output.kms_key.policy}"
  }

  assert {
    condition     = contains([for statement in jsondecode(output.kms_key.policy).Statement : statement.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"] if statement.Sid == "CloudWatchLogsOfTheseGroups"][0], "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-remediation-cloudtrails")
    error_message = "CloudWatch Logs may use the key for the remediation Lambda's log group: ${output.kms_key.policy}"
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.remediation.role.policy).Statement : [for resource in statement.Resource : "${join(",", statement.Action)} ${resource} ${jsonencode(statement.Condition)}"] if statement.Sid == "UseTableKeys"
      ])) == toset([
      "kms:Decrypt,kms:GenerateDataKey ${output.kms_key.arn} {\"StringEquals\":{\"kms:ViaService\":\"dynamodb.eu-west-1.amazonaws.com\"}}",
      "kms:Decrypt,kms:GenerateDataKey arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000 {\"StringEquals\":{\"kms:ViaService\":\"dynamodb.eu-west-1.amazonaws.com\"}}",
    ])
    error_message = "The remediation role may use the tables' keys through DynamoDB only: ${output.remediation.role.policy}"
  }
}
