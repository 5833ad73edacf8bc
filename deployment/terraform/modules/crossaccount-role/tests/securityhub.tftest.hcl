# The role with the Security Hub export on (securityhub_enabled): the
# reporting role may assume it too, and it may import findings, nothing more.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  role_name                      = "hammer-cloudsec-crossact-id"
  master_account_id              = "123456789012"
  trusted_role_arn               = "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
  securityhub_enabled            = true
  securityhub_reporting_role_arn = "arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails"
}

run "securityhub_adds_exactly_batch_import_findings" {
  command = plan

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${statement.Effect} ${action} ${resource}"]]
      ])) == toset([
      "Allow cloudtrail:DescribeTrails *",
      "Allow cloudtrail:GetTrailStatus arn:aws:cloudtrail:*:*:trail/*",
      "Allow cloudtrail:GetEventSelectors arn:aws:cloudtrail:*:*:trail/*",
      "Allow securityhub:BatchImportFindings arn:aws:securityhub:*:*:product/*/default",
    ])
    error_message = "With the export on, the role adds securityhub:BatchImportFindings on default products and nothing else: ${output.policy}"
  }
}

run "securityhub_trusts_the_reporting_role_too" {
  command = plan

  assert {
    condition = [for statement in jsondecode(output.assume_role_policy).Statement : statement.Condition.ArnEquals["aws:PrincipalArn"]] == [
      "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails",
      "arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails",
    ]
    error_message = "The identification role and the reporting role may assume the role, no one else: ${output.assume_role_policy}"
  }

  assert {
    condition     = alltrue([for statement in jsondecode(output.assume_role_policy).Statement : statement.Principal.AWS == "arn:aws:iam::123456789012:root" && statement.Action == "sts:AssumeRole"])
    error_message = "Both from the master account only."
  }
}

run "securityhub_off_keeps_the_role_read_only" {
  command = plan

  variables {
    securityhub_enabled = false
  }

  assert {
    condition     = length(jsondecode(output.assume_role_policy).Statement) == 1 && !strcontains(output.policy, "securityhub")
    error_message = "Without the export the role is as before: ${output.policy}"
  }
}

run "securityhub_needs_the_reporting_role" {
  command = plan

  variables {
    securityhub_reporting_role_arn = null
  }

  expect_failures = [aws_iam_role.this]
}
