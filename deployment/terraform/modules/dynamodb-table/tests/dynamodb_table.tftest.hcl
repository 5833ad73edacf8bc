mock_provider "aws" {}

variables {
  issues_table_name       = "hammer-cloudtrails"
  credentials_table_name  = "hammer-credentials"
  api_requests_table_name = "hammer-api-requests"
}

run "three_tables_with_hammer_keys" {
  command = plan

  assert {
    condition = jsonencode({ for role, table in output.tables : role => [table.name, table.hash_key, table.range_key, table.attributes] }) == jsonencode({
      api_requests = ["hammer-api-requests", "request_id", null, { request_id = "S" }]
      credentials  = ["hammer-credentials", "service", null, { service = "S" }]
      issues       = ["hammer-cloudtrails", "account_id", "issue_id", { account_id = "S", issue_id = "S" }]
    })
    error_message = "Tables or keys differ from Hammer's: ${jsonencode({ for role, table in output.tables : role => [table.name, table.hash_key, table.range_key] })}"
  }

  assert {
    condition = alltrue([
      for table in values(output.tables) : table.billing_mode == "PAY_PER_REQUEST" && table.point_in_time_recovery && table.server_side_encryption && table.deletion_protection_enabled
    ])
    error_message = "Every table is on-demand, with point-in-time recovery, encryption and deletion protection."
  }
}

run "shared_tables_can_be_left_to_python_hammer" {
  command = plan

  variables {
    create_credentials_table    = false
    create_api_requests_table   = false
    deletion_protection_enabled = false
  }

  assert {
    condition     = keys(output.tables) == ["issues"] && output.credentials_table_name == "hammer-credentials" && output.api_requests_table_name == "hammer-api-requests"
    error_message = "Only the issues table is created; the shared tables keep their names for the policies."
  }

  assert {
    condition     = output.tables.issues.deletion_protection_enabled == false
    error_message = "Deletion protection follows its variable."
  }
}

run "table_names_are_checked" {
  command = plan

  variables {
    issues_table_name = "x"
  }

  expect_failures = [var.issues_table_name]
}
