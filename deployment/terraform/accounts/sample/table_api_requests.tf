# The API requests table (config.json api["ddb.table_name"]), shared by every
# Hammer module: created here only without Hammer (create_api_requests_table,
# default !hammer_present).
#
# Turning create_api_requests_table off once the table exists is refused
# ("Instance cannot be destroyed"). To hand the table over, replace this whole
# file with the removed block of deployment/terraform/README.md, "Handing a
# table over", and apply: Terraform forgets the table and deletes nothing.

module "api_requests_table" {
  source = "../../modules/dynamodb-table"
  count  = local.create_api_requests_table ? 1 : 0

  role                        = "api_requests"
  name                        = module.settings.api_requests_table_name
  hash_key                    = "request_id"
  kms_key_arn                 = var.tables_kms_key_arn
  deletion_protection_enabled = var.deletion_protection_enabled
  tags                        = local.tags
}

output "api_requests_table" {
  description = "The API requests table when this environment created it (null when it is Hammer's)."
  value       = one(module.api_requests_table[*].table)
}
