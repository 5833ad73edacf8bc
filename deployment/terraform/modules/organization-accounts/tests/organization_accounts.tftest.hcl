mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  master_account_id       = "123456789012"
  organization_account_id = "111111111111"
  reader_role_name        = "hammer-organization-reader"
  lambda_role_names       = { initiate = "hammer-initiate-cloudtrails", describe = "hammer-describe-cloudtrails", reporting = "hammer-reporting-cloudtrails" }
  crossaccount_role_name  = "hammer-cloudsec-crossact-id"
  organization_id         = "o-a1b2c3d4e5"
}

run "lambdas_assume_the_reader_and_identification_the_role_in_the_organisation" {
  command = plan

  assert {
    condition = alltrue([for key in ["initiate", "reporting"] : jsondecode(output.lambda_policies[key]).Statement == [
      { Sid = "AssumeOrganizationReader", Effect = "Allow", Action = ["sts:AssumeRole"], Resource = ["arn:aws:iam::111111111111:role/hammer-organization-reader"] },
    ]])
    error_message = "Initiation and reporting may only assume the reader."
  }

  assert {
    condition = jsondecode(output.lambda_policies.describe).Statement == [
      { Sid = "AssumeOrganizationReader", Effect = "Allow", Action = ["sts:AssumeRole"], Resource = ["arn:aws:iam::111111111111:role/hammer-organization-reader"] },
      { Sid = "AssumeCrossAccountRoleInOrganization", Effect = "Allow", Action = ["sts:AssumeRole"], Resource = ["arn:aws:iam::*:role/hammer-cloudsec-crossact-id"], Condition = { StringEquals = { "aws:ResourceOrgID" = "o-a1b2c3d4e5" } } },
    ]
    error_message = "Identification may assume the cross-account role in the organisation's accounts only: ${output.lambda_policies.describe}"
  }
}

run "without_a_reader_role_the_lambdas_list_the_accounts_themselves" {
  command = plan

  variables {
    reader_role_name = null
  }

  assert {
    condition     = output.reader_role_arn == null && jsondecode(output.lambda_policies.initiate).Statement[0].Action == ["organizations:ListAccounts", "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"]
    error_message = "In the management account or a delegated administrator, the Lambdas ask Organizations directly."
  }
}

run "with_securityhub_reporting_too_assumes_the_role_in_the_organisation" {
  command = plan

  variables {
    securityhub_role_key = "reporting"
  }

  assert {
    condition     = jsondecode(output.lambda_policies.reporting).Statement == jsondecode(output.lambda_policies.describe).Statement && length(jsondecode(output.lambda_policies.initiate).Statement) == 1
    error_message = "With the Security Hub export, reporting (and only it besides identification) may assume the cross-account role in the organisation's accounts: ${output.lambda_policies.reporting}"
  }
}
