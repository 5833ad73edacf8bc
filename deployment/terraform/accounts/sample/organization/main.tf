# The management account's side of organisation scale and real time
# (docs/organisations.md): the StackSet that gives every
# account of the chosen OUs the cross-account role (and the forwarding rules
# of the real-time path), and the role aws.organization's Lambdas assume to
# list the accounts (aws.organization.role_name). Names come from the
# environment's config.json (../config), as in the master environment, so both
# sides agree without sharing state.

module "settings" {
  source = "../../../modules/settings"

  config_json      = file("${var.config_dir}/config.json")
  resources_prefix = var.resources_prefix
}

locals {
  organization = try(jsondecode(file("${var.config_dir}/config.json")).aws.organization, null)
  account_id   = coalesce(var.account_id, try(local.organization.account_id, null), "none")
  partition    = startswith(module.settings.region, "us-gov-") ? "aws-us-gov" : startswith(module.settings.region, "cn-") ? "aws-cn" : "aws"
  master       = module.settings.main_account_id
  names        = module.settings.names
  tags         = merge({ Application = "hammer", HammerModule = "cloudtrails" }, var.tags)

  role_arn  = { for key in ["initiate_function", "describe_function", "reporting_function"] : key => "arn:${local.partition}:iam::${local.master}:role/${local.names[key]}" }
  bus_arn   = "arn:${local.partition}:events:${module.settings.region}:${local.master}:event-bus/${var.resources_prefix}cloudtrails-events"
  role_name = try(tostring(local.organization.role_name), null)
}

# The role aws.organization's Lambdas assume to list the accounts: it trusts
# only their roles and only lists accounts and OUs (ListAccounts accepts no
# resource but "*").
resource "aws_iam_role" "reader" {
  count = var.create_reader_role && local.role_name != null ? 1 : 0

  name        = local.role_name
  description = "Hammer: lists the organisation's accounts for the CloudTrail checks of account ${local.master}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "HammerLambdasOnly"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:${local.partition}:iam::${local.master}:root" }
      Condition = { ArnEquals = { "aws:PrincipalArn" = sort(values(local.role_arn)) } }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "reader" {
  count = length(aws_iam_role.reader)

  name = "${local.role_name}-list-accounts"
  role = aws_iam_role.reader[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ListOrganizationAccounts"
      Effect   = "Allow"
      Action   = ["organizations:ListAccounts", "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"]
      Resource = ["*"]
    }]
  })
}

module "remediation_settings" {
  source = "../../../modules/remediation-settings"

  config_json      = file("${var.config_dir}/config.json")
  resources_prefix = var.resources_prefix
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
  securityhub_enabled            = module.settings.securityhub
  securityhub_reporting_role_arn = local.role_arn.reporting_function
  # With cloudtrails.remediation: the remediation role, in the remediation
  # accounts' stacks only (crossaccount/ for accounts outside the OUs).
  remediation = module.remediation_settings.remediation && length(module.remediation_settings.crossaccount_account_ids) > 0 ? {
    role_name = module.remediation_settings.role_name_reporting
    trusted_role_arns = concat(
      ["arn:${local.partition}:iam::${local.master}:role/${module.remediation_settings.names.function}"],
      var.remediation_operator_role_arn == null ? [] : [var.remediation_operator_role_arn],
    )
    account_ids = module.remediation_settings.crossaccount_account_ids
  } : null
  event_bus_arn   = var.realtime ? local.bus_arn : null
  forwarding_name = "${var.resources_prefix}cloudtrails-forward"
  tags            = local.tags
}
