# The management account's side of organisation scale and real time (README:
# "Organisations and real-time detection"): the StackSet that gives every
# account of the chosen OUs the cross-account role (and the forwarding rules
# of the real-time path), and the role aws.organization's Lambdas assume to
# list the accounts. Names come from ../config/config.json, as in the master
# environment, so both sides agree without sharing state.

module "settings" {
  source = "../../../modules/settings"

  config_json      = file("${path.module}/../config/config.json")
  resources_prefix = var.resources_prefix
}

locals {
  organization = try(jsondecode(file("${path.module}/../config/config.json")).aws.organization, null)
  account_id   = coalesce(var.account_id, try(local.organization.account_id, null), "none")
  partition    = startswith(module.settings.region, "us-gov-") ? "aws-us-gov" : startswith(module.settings.region, "cn-") ? "aws-cn" : "aws"
  master       = module.settings.main_account_id
  names        = module.settings.names
  tags         = merge({ Application = "hammer", HammerModule = "cloudtrails" }, var.tags)

  role_arn  = { for key in ["initiate_function", "describe_function", "reporting_function"] : key => "arn:${local.partition}:iam::${local.master}:role/${local.names[key]}" }
  bus_arn   = "arn:${local.partition}:events:${module.settings.region}:${local.master}:event-bus/${var.resources_prefix}cloudtrails-events"
  role_name = try(tostring(local.organization.role_name), null)
}

module "organization_reader" {
  source = "../../../modules/organization-reader"
  count  = var.create_reader_role && local.role_name != null ? 1 : 0

  # (A valid name when count is 0: module variables are validated anyway.)
  role_name         = coalesce(local.role_name, "unused-reader-role")
  master_account_id = local.master
  trusted_role_arns = values(local.role_arn)
  tags              = local.tags
}

module "organization_stackset" {
  source = "../../../modules/organization-stackset"
  count  = length(var.stack_set_targets) > 0 ? 1 : 0

  stack_set_name                 = "${var.resources_prefix}cloudtrails-organization"
  call_as                        = var.call_as
  target_organizational_unit_ids = var.stack_set_targets
  regions                        = coalesce(var.regions, module.settings.regions, [module.settings.region])
  role_region                    = module.settings.region
  role_name                      = module.settings.role_name_identification
  master_account_id              = local.master
  trusted_role_arn               = local.role_arn.describe_function
  event_bus_arn                  = var.realtime ? local.bus_arn : null
  forwarding_name                = "${var.resources_prefix}cloudtrails-forward"
  tags                           = local.tags
}
