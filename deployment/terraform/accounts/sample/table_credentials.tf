# The credentials table (config.json credentials["ddb.table_name"]), shared by
# every Hammer module: created here only without Hammer
# (create_credentials_table, default !hammer_present), encrypted with the
# environment's key when create_kms_key.
#
# Turning create_credentials_table off once the table exists is refused
# ("Instance cannot be destroyed"). To hand the table over, replace this whole
# file with the removed block of deployment/terraform/README.md, "Handing a
# table over", and apply: Terraform forgets the table and deletes nothing.

module "credentials_table" {
  source = "../../modules/dynamodb-table"
  count  = local.create_credentials_table ? 1 : 0

  role                        = "credentials"
  name                        = module.settings.credentials_table_name
  hash_key                    = "service"
  kms_key_arn                 = local.credentials_kms_key_arn
  deletion_protection_enabled = var.deletion_protection_enabled
  tags                        = local.tags
}

output "credentials_table" {
  description = "The credentials table when this environment created it (null when it is Hammer's)."
  value       = one(module.credentials_table[*].table)
}
