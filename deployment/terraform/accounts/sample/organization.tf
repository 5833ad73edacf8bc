# Organisation scale and real time in the master account
# (docs/organisations.md), all off by default:
#
# - config.json aws.organization: the Lambdas list the organisation's
#   accounts; here, their right to (module organization_accounts).
# - var.realtime: the event bus, queue and Lambda of the real-time path.
#
# The management account's side (the StackSet holding the cross-account role
# and the forwarding rules, the reader role) is the root organization/.
# Kept in files of their own (this one, organization_variables.tf,
# organization_outputs.tf) so the core stack's files stay as they are.

locals {
  config_organization = try(jsondecode(file("${var.config_dir}/config.json")).aws.organization, null)
  organization_account_id = local.config_organization == null ? null : tostring(coalesce(
    try(local.config_organization.account_id, null), module.settings.main_account_id,
  ))
  organization_reader_role_name = try(tostring(local.config_organization.role_name), null)
  realtime_slack_alert          = lower(tostring(try(jsondecode(file("${var.config_dir}/config.json")).cloudtrails.realtime.slack_alert, false))) == "true"
  realtime_zip                  = "${var.lambda_zip_dir}/realtime_to_desc_cloudtrails.zip"
  realtime_function_name        = "${var.resources_prefix}realtime-cloudtrails"
  # Principals main.tf adds to the credentials key's users: the real-time
  # Lambda (the identification role) reads the Slack token for its alert.
  realtime_credentials_readers = var.realtime.enabled && local.realtime_slack_alert ? [module.identification.role_arns.describe] : []
}

module "organization_accounts" {
  source = "../../modules/organization-accounts"
  count  = local.config_organization == null ? 0 : 1

  master_account_id       = module.settings.main_account_id
  organization_account_id = local.organization_account_id
  reader_role_name        = local.organization_reader_role_name
  lambda_role_names = {
    initiate  = module.identification.roles.initiate.name
    describe  = module.identification.roles.describe.name
    reporting = module.reporting.role.name
  }
  crossaccount_role_name = module.settings.role_name_identification
  securityhub_role_key   = module.settings.securityhub ? "reporting" : null
  organization_id        = var.organization_id
}

module "realtime" {
  source = "../../modules/realtime"
  count  = var.realtime.enabled ? 1 : 0

  account_id               = module.settings.main_account_id
  function_name            = local.realtime_function_name
  zip_path                 = local.realtime_zip
  identification_role_name = module.identification.roles.describe.name
  identification_role_arn  = module.identification.roles.describe.arn
  topic_arn                = module.identification.topic.arn
  event_bus_name           = "${var.resources_prefix}cloudtrails-events"
  rule_name                = "${var.resources_prefix}cloudtrails-realtime"
  queue_name               = "${var.resources_prefix}cloudtrails-realtime"
  table_name               = "${var.resources_prefix}cloudtrails-realtime"
  debounce_seconds         = var.realtime.debounce_seconds
  organization_id          = var.organization_id
  source_account_ids       = var.organization_id == null ? module.settings.checked_account_ids : []
  forward_own_account      = var.realtime.forward_own_account
  credentials_table_name   = local.realtime_slack_alert ? module.settings.credentials_table_name : null
  # The Slack token's table may be encrypted with the environment's key (main.tf
  # adds the identification role to the key's credentials users for this).
  credentials_table_kms_key_arn = local.realtime_slack_alert ? local.credentials_kms_key_arn : null
  discover_regions              = module.settings.regions == null
  architecture                  = var.lambda_architecture
  log_retention_in_days         = var.log_retention_in_days
  log_level                     = var.log_level
  kms_key_arn                   = local.kms_key_arn
  alarm_topic_arn               = module.identification.alarm_topic_arn
  tags                          = local.tags
}
