# The reporting role with the Security Hub export on (securityhub_enabled).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
}

variables {
  account_id             = "123456789012"
  function_name          = "hammer-reporting-cloudtrails"
  zip_path               = "../../../../dist/create_cloudtrail_tickets.zip"
  schedule_rule_name     = "hammer-ReportingCloudTrails"
  schedule_expression    = "cron(55 * * * ? *)"
  issues_table_name      = "hammer-cloudtrails"
  credentials_table_name = "hammer-credentials"
  alarm_topic_arn        = "arn:aws:sns:eu-west-1:123456789012:hammer-identification-errors"
  dead_letter_queue_name = "hammer-cloudtrails-reporting-dlq"
}

run "securityhub_off_adds_nothing" {
  command = plan

  assert {
    condition     = !strcontains(output.role.policy, "securityhub") && !strcontains(output.role.policy, "sts:AssumeRole")
    error_message = "Without the export the reporting role reaches no other account: ${output.role.policy}"
  }
}

run "securityhub_assumes_the_controlled_accounts_role_and_imports_its_own_findings" {
  command = plan

  variables {
    securityhub_enabled     = true
    securityhub_account_ids = ["654321210987", "210987654321"]
    host_policy_name        = "hammer-reporting-cloudtrails-host"
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.role.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${action} ${resource}"]]
      if startswith(statement.Sid, "AssumeCrossAccountRoleForSecurityHub") || startswith(statement.Sid, "ImportOwnSecurityHubFindings")
      ])) == toset([
      "sts:AssumeRole arn:aws:iam::210987654321:role/hammer-cloudsec-crossact-id",
      "sts:AssumeRole arn:aws:iam::654321210987:role/hammer-cloudsec-crossact-id",
      "securityhub:BatchImportFindings arn:aws:securityhub:*:123456789012:product/123456789012/default",
    ])
    error_message = "The export may assume exactly the controlled accounts' role and import into its own default product: ${output.role.policy}"
  }

  assert {
    condition     = !anytrue([for statement in jsondecode(output.role.policy).Statement : contains(statement.Resource, "*")])
    error_message = "Every reporting permission is on an exact resource."
  }

  assert {
    condition     = toset([for statement in jsondecode(output.host_policy.policy).Statement : jsonencode(statement) if startswith(statement.Sid, "AssumeCrossAccountRoleForSecurityHub") || startswith(statement.Sid, "ImportOwnSecurityHubFindings")]) == toset([for statement in jsondecode(output.role.policy).Statement : jsonencode(statement) if startswith(statement.Sid, "AssumeCrossAccountRoleForSecurityHub") || startswith(statement.Sid, "ImportOwnSecurityHubFindings")])
    error_message = "The reporting command on a host exports as the Lambda does: the host policy holds the same Security Hub statements: ${output.host_policy.policy}"
  }
}

run "securityhub_account_ids_are_account_ids" {
  command = plan

  variables {
    securityhub_enabled     = true
    securityhub_account_ids = ["21098765432"]
  }

  expect_failures = [var.securityhub_account_ids]
}
