# The remediation role of a controlled account: none while config.json sets no
# remediation key (the sample's); with remediation on (the remediation-settings
# outputs overridden), only in a remediation account, trusting the remediation
# Lambda's role and the operator role given.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  account_id = "210987654321"
}

run "no_remediation_key_creates_no_remediation_role" {
  command = plan

  assert {
    condition     = output.remediation_role == null && length(module.remediation_role) == 0
    error_message = "Without cloudtrails.remediation no remediation role may be created."
  }
}

run "a_remediation_account_gets_the_role_trusting_the_lambda_and_the_operator" {
  command = plan

  variables {
    hammer_present                = false
    remediation_operator_role_arn = "arn:aws:iam::123456789012:role/security-operator"
  }

  override_module {
    target = module.remediation_settings
    outputs = {
      remediation              = true
      remediation_account_ids  = ["210987654321"]
      crossaccount_account_ids = ["210987654321"]
      role_name_reporting      = "hammer-cloudsec-crossact-ec2"
      names                    = { function = "hammer-remediation-cloudtrails" }
    }
  }

  assert {
    condition     = output.remediation_role.name == "hammer-cloudsec-crossact-ec2"
    error_message = "The role must be config.json's aws.role_name_reporting."
  }

  assert {
    condition = jsondecode(output.remediation_role.assume_role_policy).Statement[0].Condition.ArnEquals["aws:PrincipalArn"] == [
      "arn:aws:iam::123456789012:role/hammer-remediation-cloudtrails",
      "arn:aws:iam::123456789012:role/security-operator",
    ]
    error_message = "The role must trust exactly the remediation Lambda's role and the operator role: ${output.remediation_role.assume_role_policy}"
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.remediation_role.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${action} ${resource}"]]
      ])) == toset([
      "cloudtrail:DescribeTrails *",
      "cloudtrail:GetTrailStatus arn:aws:cloudtrail:*:*:trail/*",
      "cloudtrail:GetEventSelectors arn:aws:cloudtrail:*:*:trail/*",
      "cloudtrail:StartLogging arn:aws:cloudtrail:*:210987654321:trail/*",
    ])
    error_message = "StartLogging on this account's trails and the reads, nothing else: ${output.remediation_role.policy}"
  }
}

run "an_account_not_in_remediation_accounts_gets_no_remediation_role" {
  command = plan

  variables {
    account_id = "654321210987"
  }

  override_module {
    target = module.remediation_settings
    outputs = {
      remediation              = true
      remediation_account_ids  = ["210987654321"]
      crossaccount_account_ids = ["210987654321"]
      role_name_reporting      = "hammer-cloudsec-crossact-ec2"
      names                    = { function = "hammer-remediation-cloudtrails" }
    }
  }

  assert {
    condition     = output.remediation_role == null
    error_message = "Only remediation accounts get the remediation role."
  }
}

run "beside_hammer_the_remediation_permissions_go_on_hammer_s_role" {
  command = plan

  override_module {
    target = module.remediation_settings
    outputs = {
      remediation              = true
      remediation_account_ids  = ["210987654321"]
      crossaccount_account_ids = ["210987654321"]
      role_name_reporting      = "hammer-cloudsec-crossact-ec2"
      names                    = { function = "hammer-remediation-cloudtrails" }
    }
  }

  assert {
    condition     = output.remediation_role == null && length(module.remediation_role) == 0
    error_message = "Beside Hammer its aws.role_name_reporting role exists: creating it would fail."
  }

  assert {
    condition = output.remediation_policy_on_hammer_role.role == "hammer-cloudsec-crossact-ec2" && toset(flatten([
      for statement in jsondecode(output.remediation_policy_on_hammer_role.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${action} ${resource}"]]
      ])) == toset([
      "cloudtrail:DescribeTrails *",
      "cloudtrail:GetTrailStatus arn:aws:cloudtrail:*:*:trail/*",
      "cloudtrail:GetEventSelectors arn:aws:cloudtrail:*:*:trail/*",
      "cloudtrail:StartLogging arn:aws:cloudtrail:*:210987654321:trail/*",
    ])
    error_message = "Hammer's role gets exactly the remediation role's policy: ${jsonencode(output.remediation_policy_on_hammer_role)}"
  }
}

run "beside_hammer_another_role_name_gets_a_role_of_its_own" {
  command = plan

  override_module {
    target = module.remediation_settings
    outputs = {
      remediation              = true
      remediation_account_ids  = ["210987654321"]
      crossaccount_account_ids = ["210987654321"]
      role_name_reporting      = "hammer-cloudsec-crossact-cloudtrails"
      names                    = { function = "hammer-remediation-cloudtrails" }
    }
  }

  assert {
    condition     = output.remediation_role.name == "hammer-cloudsec-crossact-cloudtrails" && output.remediation_policy_on_hammer_role == null
    error_message = "A name other than Hammer's is this project's own least-privilege role, created here; nothing is added to a role nothing creates."
  }
}
