# The management account's root, with a config.json that sets
# aws.organization (account 111111111111, role hammer-organization-reader).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  config_dir        = "../tests/fixtures/organization-config"
  stack_set_targets = ["r-a1b2"]
  regions           = ["eu-west-1", "us-east-1"]
  realtime          = true
}

run "stack_set_and_reader_role_of_the_environment" {
  command = plan

  assert {
    condition     = output.account_id == "111111111111"
    error_message = "The account is aws.organization.account_id."
  }

  assert {
    condition     = jsondecode(output.stack_set.template_body).Resources.CrossAccountRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals["aws:PrincipalArn"] == "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
    error_message = "The role trusts config.json's master account's identification role, named as the master environment names it."
  }

  assert {
    condition     = jsondecode(output.stack_set.template_body).Resources.CrossAccountRole.Properties.RoleName == "hammer-cloudsec-crossact-id" && jsondecode(output.stack_set.template_body).Conditions.IsRoleRegion["Fn::Equals"][1] == "eu-west-1"
    error_message = "aws.role_name_identification, created in aws.region's stack."
  }

  assert {
    condition     = jsondecode(output.stack_set.template_body).Resources.ForwardingRule.Properties.Targets[0].Arn == "arn:aws:events:eu-west-1:123456789012:event-bus/hammer-cloudtrails-events"
    error_message = "The rules forward to the master environment's bus."
  }

  assert {
    condition     = jsonencode(output.stack_set.instances) == jsonencode({ "eu-west-1" = ["r-a1b2"], "us-east-1" = ["r-a1b2"] })
    error_message = "One instance per region, to the whole organisation."
  }

  assert {
    condition = output.reader_role.name == "hammer-organization-reader" && jsondecode(output.reader_role.assume_role_policy).Statement == [{
      Sid       = "HammerLambdasOnly"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
      Condition = { ArnEquals = { "aws:PrincipalArn" = [
        "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails",
        "arn:aws:iam::123456789012:role/hammer-initiate-cloudtrails",
        "arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails",
      ] } }
    }]
    error_message = "The reader role trusts only the master environment's three Lambda roles: ${jsonencode(output.reader_role)}"
  }

  assert {
    condition     = jsondecode(output.reader_role.policy).Statement == [{ Sid = "ListOrganizationAccounts", Effect = "Allow", Action = ["organizations:ListAccounts", "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"], Resource = ["*"] }]
    error_message = "The reader role only lists accounts and OUs."
  }
}

run "the_stack_set_needs_regions" {
  command = plan

  variables {
    regions = null
  }

  expect_failures = [output.account_id]
}

run "remediation_adds_the_remediation_role_for_the_remediation_accounts" {
  command = plan

  variables {
    remediation_operator_role_arn = "arn:aws:iam::123456789012:role/security-operator"
  }

  override_module {
    target = module.remediation_settings
    outputs = {
      remediation              = true
      remediation_account_ids  = ["123456789012", "210987654321"]
      crossaccount_account_ids = ["210987654321"]
      role_name_reporting      = "hammer-cloudsec-crossact-ec2"
      names                    = { function = "hammer-remediation-cloudtrails" }
    }
  }

  assert {
    condition = (
      jsondecode(output.stack_set.template_body).Resources.RemediationRole.Properties.RoleName == "hammer-cloudsec-crossact-ec2" &&
      jsondecode(output.stack_set.template_body).Resources.RemediationRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals["aws:PrincipalArn"] == ["arn:aws:iam::123456789012:role/hammer-remediation-cloudtrails", "arn:aws:iam::123456789012:role/security-operator"] &&
      jsondecode(output.stack_set.template_body).Conditions.IsRemediationAccount == { "Fn::Equals" = [{ Ref = "AWS::AccountId" }, "210987654321"] }
    )
    error_message = "aws.role_name_reporting, trusting the master's remediation Lambda and the operator, in the remediation accounts only: ${output.stack_set.template_body}"
  }
}
