# The cross-account role of a controlled account, as an operator applies it
# with the environment's config.json.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

run "controlled_account_gets_the_configured_role" {
  command = plan

  variables {
    account_id = "210987654321"
  }

  assert {
    condition     = module.crossaccount_role.role_name == "hammer-cloudsec-crossact-id" && output.account_id == "210987654321"
    error_message = "The role must be config.json's aws.role_name_identification."
  }

  assert {
    condition     = output.trusted_role_arn == "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
    error_message = "The role must trust the identification role of the master account aws.main_account_id, named as the master environment names it."
  }

  assert {
    condition     = jsondecode(output.assume_role_policy).Statement[0].Condition.ArnEquals["aws:PrincipalArn"] == output.trusted_role_arn && jsondecode(output.assume_role_policy).Statement[0].Principal.AWS == "arn:aws:iam::123456789012:root"
    error_message = "The trust policy must name the master account and narrow it to the identification role."
  }
}

run "master_account_needs_no_cross_account_role" {
  command = plan

  variables {
    account_id = "123456789012"
  }

  expect_failures = [output.account_id]
}

run "account_outside_the_config_is_refused" {
  command = plan

  variables {
    account_id = "999999999999"
  }

  expect_failures = [output.account_id]
}
