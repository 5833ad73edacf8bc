mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  role_name         = "hammer-organization-reader"
  master_account_id = "123456789012"
  trusted_role_arns = [
    "arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails",
    "arn:aws:iam::123456789012:role/hammer-initiate-cloudtrails",
    "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails",
  ]
}

run "reader_role_only_lists_accounts_and_trusts_only_the_lambdas" {
  command = plan

  assert {
    condition = jsondecode(output.assume_role_policy).Statement == [{
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
    error_message = "Only the Lambdas' roles may assume the reader: ${output.assume_role_policy}"
  }

  assert {
    condition     = jsondecode(output.policy).Statement == [{ Sid = "ListOrganizationAccounts", Effect = "Allow", Action = ["organizations:ListAccounts", "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"], Resource = ["*"] }]
    error_message = "The reader only lists accounts and OUs: ${output.policy}"
  }
}

run "trusted_principals_must_be_roles" {
  command = plan

  variables {
    trusted_role_arns = ["arn:aws:iam::123456789012:root"]
  }

  expect_failures = [var.trusted_role_arns]
}
