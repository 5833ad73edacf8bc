# The cross-account role of a controlled account, as an operator applies it
# with the environment's config.json.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

run "beside_hammer_nothing_is_created" {
  command = plan

  variables {
    account_id = "210987654321"
  }

  assert {
    condition     = !output.created_role && output.hammer_role_inline_policy == null && output.role_arn == "arn:aws:iam::210987654321:role/hammer-cloudsec-crossact-id"
    error_message = "Beside Hammer its role hammer-cloudsec-crossact-id is used as it is: nothing created, nothing attached."
  }
}

run "a_trimmed_hammer_role_gets_an_inline_policy_not_a_replacement" {
  command = plan

  variables {
    account_id                 = "210987654321"
    add_cloudtrail_read_policy = true
  }

  assert {
    condition     = !output.created_role && aws_iam_role_policy.cloudtrail_read_on_hammer_role[0].role == "hammer-cloudsec-crossact-id" && aws_iam_role_policy.cloudtrail_read_on_hammer_role[0].name == "hammer-cloudtrails-read"
    error_message = "The CloudTrail reads are attached to Hammer's role as an inline policy; the role itself is not managed here."
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.hammer_role_inline_policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${statement.Effect} ${action} ${resource}"]]
      ])) == toset([
      "Allow cloudtrail:DescribeTrails *",
      "Allow cloudtrail:GetTrailStatus arn:aws:cloudtrail:*:*:trail/*",
      "Allow cloudtrail:GetEventSelectors arn:aws:cloudtrail:*:*:trail/*",
    ])
    error_message = "The inline policy allows the three CloudTrail reads and nothing else: ${output.hammer_role_inline_policy}"
  }
}

run "controlled_account_gets_the_configured_role" {
  command = plan

  variables {
    account_id     = "210987654321"
    hammer_present = false
  }

  assert {
    condition     = module.crossaccount_role[0].role_name == "hammer-cloudsec-crossact-id" && output.created_role && output.account_id == "210987654321"
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
