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

# Remediation (opt-in): the role remediation assumes here
# (aws.role_name_reporting), created only when config.json's
# cloudtrails.remediation is true and this account is one of
# cloudtrails.remediation_accounts. It trusts the master's remediation Lambda
# role and, when remediation_operator_role_arn is set, the operator's role.
module "remediation_settings" {
  source = "../../../modules/remediation-settings"

  config_json      = file("${path.module}/../config/config.json")
  resources_prefix = var.resources_prefix
}

module "remediation_role" {
  source = "../../../modules/remediation-role"
  count  = module.remediation_settings.remediation && contains(module.remediation_settings.crossaccount_account_ids, local.account_id) ? 1 : 0

  role_name         = module.remediation_settings.role_name_reporting
  account_id        = local.account_id
  master_account_id = module.settings.main_account_id
  trusted_role_arns = concat(
    ["arn:${local.partition}:iam::${module.settings.main_account_id}:role/${module.remediation_settings.names.function}"],
    var.remediation_operator_role_arn == null ? [] : [var.remediation_operator_role_arn],
  )
  tags = merge({ Application = "hammer", HammerModule = "cloudtrails" }, var.tags)
}
