# The issues table (config.json cloudtrails["ddb.table_name"]), this module's
# own. Beside Python Hammer it exists already (Hammer's ddb stack created it):
# the import block adopts it instead of creating it (adopt_issues_table,
# default hammer_present). Once in the state, the import block does nothing.
#
# To hand the table over (back to Hammer, or before destroying the rest of the
# environment), replace this whole file with the removed block of
# deployment/terraform/README.md, "Handing a table over", and apply: Terraform
# forgets the table and deletes nothing.

module "issues_table" {
  source = "../../modules/dynamodb-table"

  role                        = "issues"
  name                        = module.settings.issues_table_name
  hash_key                    = "account_id"
  range_key                   = "issue_id"
  kms_key_arn                 = var.tables_kms_key_arn
  deletion_protection_enabled = var.deletion_protection_enabled
  tags                        = local.tags
}

import {
  for_each = local.adopt_issues_table ? toset([module.settings.issues_table_name]) : toset([])

  to = module.issues_table.aws_dynamodb_table.this
  id = each.value
}

output "issues_table" {
  description = "The issues table: name, ARN, keys, billing mode, point-in-time recovery, encryption and deletion protection."
  value       = module.issues_table.table
}
