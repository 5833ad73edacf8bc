# One DynamoDB table with Hammer's keys, declared on its own so that an
# environment can hand it over (a `removed` block in place of the module call)
# without touching the other tables. On-demand, point-in-time recovery,
# server-side encryption with KMS, deletion protection.
#
# The table holds data no plan may lose (the findings' lifecycle, the JIRA and
# Slack credentials): Terraform refuses to destroy it (prevent_destroy), and
# refuses a rename with a message, because DynamoDB cannot rename a table and
# a new name would otherwise plan "destroy the old table, create an empty one".

locals {
  attributes = var.range_key == null ? [var.hash_key] : [var.hash_key, var.range_key]
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.hash_key
  range_key                   = var.range_key
  deletion_protection_enabled = var.deletion_protection_enabled

  dynamic "attribute" {
    for_each = local.attributes

    content {
      name = attribute.value
      type = "S"
    }
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags

  lifecycle {
    prevent_destroy = true

    # A new name in config.json keeps the planned name at the table's current
    # one, so the postcondition below sees the difference and stops the plan
    # with what to do, instead of a replacement.
    ignore_changes = [name]

    postcondition {
      condition     = self.name == var.name
      error_message = "The ${var.role} table is ${self.name}, and config.json now names ${var.name}. DynamoDB cannot rename a table, and this environment never replaces one (that would delete ${self.name} and its items). Either put ${self.name} back in config.json, or first hand ${self.name} over: replace the file table_${var.role}.tf of the environment with a removed block (destroy = false; see deployment/terraform/README.md, \"Handing a table over\"), apply, then restore the file with the new name (and an import block if ${var.name} exists already)."
    }
  }
}
