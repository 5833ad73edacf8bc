# The master account's side of issue 10, off by default: nothing of it
# without the keys, the real-time path with var.realtime, and the Lambdas'
# organisation permissions with config.json aws.organization.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
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
      url = "https://sqs.eu-west-1.amazonaws.com/123456789012/hammer-cloudtrails-realtime"
    }
  }
}

override_resource {
  target          = module.identification.aws_iam_role.this["initiate"]
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/hammer-initiate-cloudtrails" }
}

override_resource {
  target          = module.identification.aws_iam_role.this["describe"]
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails" }
}

override_resource {
  target          = module.reporting.aws_iam_role.this
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails" }
}

override_resource {
  target          = module.identification.aws_sns_topic.work
  override_during = plan
  values          = { arn = "arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda" }
}

# Beside Hammer (the sample's default) the issues table is imported: the mock
# provider imports only what an override describes.
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

run "off_by_default" {
  command = plan

  assert {
    condition     = output.realtime == null && output.organization_lambda_policies == null
    error_message = "Without var.realtime and aws.organization, nothing of issue 10 is deployed."
  }
}

run "realtime_runs_as_identification_and_admits_the_checked_accounts" {
  command = plan

  variables {
    realtime = { enabled = true }
  }

  assert {
    condition = (
      output.realtime.function.name == "hammer-realtime-cloudtrails" &&
      output.realtime.function.role_arn == "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails" &&
      output.realtime.function.environment.SNS_ARN == "arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda" &&
      output.realtime.function.environment.REALTIME_TABLE_NAME == "hammer-cloudtrails-realtime" &&
      output.realtime.queue.delay_seconds == 15 &&
      output.realtime.event_bus.name == "hammer-cloudtrails-events"
    )
    error_message = "The real-time Lambda publishes to the identification topic and runs as the identification role: ${jsonencode(output.realtime.function)}"
  }

  assert {
    condition     = jsondecode(output.realtime.event_bus.policy).Statement[0].Principal == { AWS = ["arn:aws:iam::123456789012:root", "arn:aws:iam::210987654321:root", "arn:aws:iam::654321210987:root"] }
    error_message = "Without an organisation id, the bus admits exactly the checked accounts of config.json: ${output.realtime.event_bus.policy}"
  }

  assert {
    condition     = !contains([for statement in jsondecode(output.realtime.policy).Statement : statement.Sid], "ReadSlackToken") && contains([for statement in jsondecode(output.realtime.policy).Statement : statement.Sid], "DiscoverRegions")
    error_message = "The sample config has no slack_alert and no aws.regions."
  }
}

run "aws_organization_gives_the_lambdas_the_reader_and_identification_the_organisation" {
  command = plan

  variables {
    config_dir      = "tests/fixtures/organization-config"
    organization_id = "o-a1b2c3d4e5"
    realtime        = { enabled = true }
  }

  # The zips of dist/ hold the sample's config, not the fixture's.
  expect_failures = [output.built_config]

  assert {
    condition = alltrue([for key in ["initiate", "reporting"] : jsondecode(output.organization_lambda_policies[key]).Statement == [
      { Sid = "AssumeOrganizationReader", Effect = "Allow", Action = ["sts:AssumeRole"], Resource = ["arn:aws:iam::111111111111:role/hammer-organization-reader"] },
    ]])
    error_message = "aws.organization's reader role, in aws.organization.account_id: ${jsonencode(output.organization_lambda_policies)}"
  }

  assert {
    condition     = jsondecode(output.organization_lambda_policies.describe).Statement[1] == { Sid = "AssumeCrossAccountRoleInOrganization", Effect = "Allow", Action = ["sts:AssumeRole"], Resource = ["arn:aws:iam::*:role/hammer-cloudsec-crossact-id"], Condition = { StringEquals = { "aws:ResourceOrgID" = "o-a1b2c3d4e5" } } }
    error_message = "Identification assumes the cross-account role in the organisation's accounts."
  }

  assert {
    condition = (
      jsondecode(output.realtime.event_bus.policy).Statement[0].Condition == { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } } &&
      contains([for statement in jsondecode(output.realtime.policy).Statement : statement.Sid], "ReadSlackToken")
    )
    error_message = "The bus admits the organisation; cloudtrails.realtime.slack_alert grants the Slack token read."
  }
}
