# Remediation in the sample environment: nothing while config.json sets no
# remediation key (the sample's), and the remediation stack wired to the
# environment's tables, alarm topic and host log group when the
# remediation-settings module says it is on (its outputs overridden here, so
# the zips built from the sample config still match).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
}

# Beside Hammer (the sample's default) the issues table is imported
# (table_issues.tf); the mock provider imports only what an override
# describes: Hammer's table as AWS would describe it.
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

run "no_remediation_key_creates_nothing" {
  command = plan

  assert {
    condition     = output.remediation == null && length(module.remediation) == 0
    error_message = "Without cloudtrails.remediation the environment must create no remediation resource."
  }
}

run "remediation_on_deploys_the_lambda_on_its_schedule" {
  command = plan

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
    condition = (
      output.remediation.function.name == "hammer-remediation-cloudtrails" &&
      output.remediation.function.handler == "clean_cloudtrails.lambda_handler" &&
      endswith(output.remediation.function.filename, "dist/clean_cloudtrails.zip") &&
      output.remediation.function.reserved_concurrent_executions == 1 &&
      output.remediation.schedule.name == "hammer-RemediationCloudTrails" &&
      output.remediation.schedule.schedule_expression == "cron(45 10 * * ? *)" &&
      output.remediation.schedule.state == "ENABLED" &&
      output.remediation.host_log_stream == { log_group = "/aws/ec2/hammer-reporting-remediation", name = "remediation.clean_cloudtrails" } &&
      output.remediation.host_policy.name == "hammer-remediation-cloudtrails-host" &&
      output.remediation.crossaccount_account_ids == ["210987654321"]
    )
    error_message = "The remediation stack must follow the settings: ${jsonencode(output.remediation)}"
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.remediation.role.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${action} ${resource}"]]
      ])) == toset([
      "logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-remediation-cloudtrails:*",
      "logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-remediation-cloudtrails:*",
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-credentials",
      "dynamodb:GetItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:PutItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:Query arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "dynamodb:UpdateItem arn:aws:dynamodb:eu-west-1:123456789012:table/hammer-cloudtrails",
      "sts:AssumeRole arn:aws:iam::210987654321:role/hammer-cloudsec-crossact-ec2",
      "cloudtrail:DescribeTrails *",
      "cloudtrail:GetTrailStatus arn:aws:cloudtrail:*:*:trail/*",
      "cloudtrail:GetEventSelectors arn:aws:cloudtrail:*:*:trail/*",
      "cloudtrail:StartLogging arn:aws:cloudtrail:*:123456789012:trail/*",
      "sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-remediation-dlq",
    ])
    error_message = "The remediation role's policy must be exactly the environment's tables, the remediation roles, its own account's trails and its queue: ${output.remediation.role.policy}"
  }
}
