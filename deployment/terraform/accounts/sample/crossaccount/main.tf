# The cross-account role of one controlled account, trusting only the master
# environment's identification role. Names come from ../config/config.json,
# as in the master environment.

module "settings" {
  source = "../../../modules/settings"

  config_json      = file("${path.module}/../config/config.json")
  resources_prefix = var.resources_prefix
}

locals {
  account_id = coalesce(var.account_id, terraform.workspace)
  partition  = startswith(module.settings.region, "us-gov-") ? "aws-us-gov" : startswith(module.settings.region, "cn-") ? "aws-cn" : "aws"
}

module "crossaccount_role" {
  source = "../../../modules/crossaccount-role"

  role_name         = module.settings.role_name_identification
  master_account_id = module.settings.main_account_id
  trusted_role_arn  = "arn:${local.partition}:iam::${module.settings.main_account_id}:role/${module.settings.names.describe_function}"
  tags              = merge({ Application = "hammer", HammerModule = "cloudtrails" }, var.tags)
}
