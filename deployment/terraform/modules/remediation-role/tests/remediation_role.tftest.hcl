mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  role_name         = "hammer-cloudsec-crossact-ec2"
  account_id        = "210987654321"
  master_account_id = "123456789012"
  trusted_role_arns = ["arn:aws:iam::123456789012:role/hammer-remediation-cloudtrails"]
}

run "may_start_only_the_account_s_own_trails_and_read_what_the_rescans_need" {
  command = plan

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${statement.Effect} ${action} ${resource}"]]
      ])) == toset([
      "Allow cloudtrail:DescribeTrails *",
      "Allow cloudtrail:GetTrailStatus arn:aws:cloudtrail:*:*:trail/*",
      "Allow cloudtrail:GetEventSelectors arn:aws:cloudtrail:*:*:trail/*",
      "Allow cloudtrail:StartLogging arn:aws:cloudtrail:*:210987654321:trail/*",
    ])
    error_message = "The role may call StartLogging on the account's own trails and the three reads, nothing else: ${output.policy}"
  }

  assert {
    condition     = output.role_name == "hammer-cloudsec-crossact-ec2"
    error_message = "The role is named as config.json's aws.role_name_reporting."
  }
}

run "trusts_only_the_remediation_lambda_s_role" {
  command = plan

  assert {
    condition = jsondecode(output.assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "RemediationOnly"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = ["arn:aws:iam::123456789012:root"] }
        Condition = { ArnEquals = { "aws:PrincipalArn" = ["arn:aws:iam::123456789012:role/hammer-remediation-cloudtrails"] } }
      }]
    }
    error_message = "Only the remediation Lambda's role may assume the role: ${output.assume_role_policy}"
  }
}

run "trusts_the_operator_role_given_beside_it_and_no_one_else" {
  command = plan

  variables {
    trusted_role_arns = ["arn:aws:iam::123456789012:role/hammer-remediation-cloudtrails", "arn:aws:iam::999988887777:role/security-operator"]
  }

  assert {
    condition = jsondecode(output.assume_role_policy).Statement == [{
      Sid       = "RemediationOnly"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = ["arn:aws:iam::123456789012:root", "arn:aws:iam::999988887777:root"] }
      Condition = { ArnEquals = { "aws:PrincipalArn" = ["arn:aws:iam::123456789012:role/hammer-remediation-cloudtrails", "arn:aws:iam::999988887777:role/security-operator"] } }
    }]
    error_message = "The Lambda's role and the operator role, exactly: ${output.assume_role_policy}"
  }
}

run "an_account_root_is_not_a_trusted_role" {
  command = plan

  variables {
    trusted_role_arns = ["arn:aws:iam::123456789012:root"]
  }

  expect_failures = [var.trusted_role_arns]
}
