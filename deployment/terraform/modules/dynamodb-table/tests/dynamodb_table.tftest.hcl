# One table per call, with Hammer's keys. Plans only: the table has
# prevent_destroy, which terraform test's clean-up (a destroy) would refuse.
# What needs a table in the state (a rename refused with its message, a
# flag turned off refused, a hand-over through a removed block) is checked by
# deployment/terraform/checks.mjs on an offline plan of the sample environment.

mock_provider "aws" {}

variables {
  role      = "issues"
  name      = "hammer-cloudtrails"
  hash_key  = "account_id"
  range_key = "issue_id"
}

run "issues_table_has_hammer_keys_and_protections" {
  command = plan

  assert {
    condition     = jsonencode([output.table.name, output.table.hash_key, output.table.range_key, output.table.attributes]) == jsonencode(["hammer-cloudtrails", "account_id", "issue_id", { account_id = "S", issue_id = "S" }])
    error_message = "The issues table must keep Hammer's name and keys: ${jsonencode(output.table)}"
  }

  assert {
    condition     = output.table.billing_mode == "PAY_PER_REQUEST" && output.table.point_in_time_recovery && output.table.server_side_encryption && output.table.deletion_protection_enabled && output.table.kms_key_arn == null
    error_message = "The table is on-demand, with point-in-time recovery, encryption (AWS managed key by default) and deletion protection."
  }
}

run "hash_key_only_table_for_credentials" {
  command = plan

  variables {
    role        = "credentials"
    name        = "hammer-credentials"
    hash_key    = "service"
    range_key   = null
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0b7a1c52-1111-2222-3333-444455556666"
  }

  assert {
    condition     = output.table.range_key == null && output.table.attributes == { service = "S" }
    error_message = "A table without a sort key declares only its partition key."
  }

  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].kms_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/0b7a1c52-1111-2222-3333-444455556666"
    error_message = "A customer-managed key is used for the table's encryption."
  }
}

run "names_roles_and_keys_aws_would_refuse_are_refused" {
  command = plan

  variables {
    name        = "xy"
    role        = "cloudtrails"
    kms_key_arn = "alias/aws/dynamodb"
  }

  expect_failures = [var.name, var.role, var.kms_key_arn]
}
