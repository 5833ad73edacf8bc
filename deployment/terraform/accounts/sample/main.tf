# The master-account stack of the environment: tables, identification and
# reporting. Names come from config/config.json (the same files build.mjs
# packs into the zips); the cross-account roles of the controlled accounts are
# in crossaccount/.

module "settings" {
  source = "../../modules/settings"

  config_json      = file("${var.config_dir}/config.json")
  resources_prefix = var.resources_prefix
}

locals {
  names = module.settings.names
  tags  = merge({ Application = "hammer", HammerModule = "cloudtrails" }, var.tags)

  zips = {
    initiate  = "${var.lambda_zip_dir}/initiate_to_desc_cloudtrails.zip"
    describe  = "${var.lambda_zip_dir}/describe_cloudtrails.zip"
    reporting = "${var.lambda_zip_dir}/create_cloudtrail_tickets.zip"
  }

  # build.mjs writes the sha256 of the config files it packed beside the zips;
  # they must be this environment's files, or the Lambdas would run with
  # another environment's accounts and settings.
  config_file_names  = ["config.json", "temp_whitelist_issues.json", "ticket_owners.json", "whitelist.json"]
  config_file_hashes = { for name in local.config_file_names : name => sha256(file("${var.config_dir}/${name}")) if fileexists("${var.config_dir}/${name}") }
  built_config_path  = "${var.lambda_zip_dir}/config.sha256.json"
  built_config       = try(jsondecode(file(local.built_config_path)), null)
}

module "tables" {
  source = "../../modules/tables"

  issues_table_name           = module.settings.issues_table_name
  credentials_table_name      = module.settings.credentials_table_name
  api_requests_table_name     = module.settings.api_requests_table_name
  create_credentials_table    = var.create_credentials_table
  create_api_requests_table   = var.create_api_requests_table
  deletion_protection_enabled = var.deletion_protection_enabled
  tags                        = local.tags
}

module "identification" {
  source = "../../modules/identification"

  account_id             = module.settings.main_account_id
  initiate_function_name = local.names.initiate_function
  describe_function_name = local.names.describe_function
  initiate_zip_path      = local.zips.initiate
  describe_zip_path      = local.zips.describe
  architecture           = var.lambda_architecture
  initiate_memory_size   = var.initiate_memory_size
  initiate_timeout       = var.initiate_timeout
  describe_memory_size   = var.describe_memory_size
  describe_timeout       = var.describe_timeout
  log_retention_in_days  = var.log_retention_in_days
  log_level              = var.log_level

  schedule_rule_name      = local.names.identification_rule
  identification_schedule = var.identification_schedule
  schedule_enabled        = module.settings.enabled
  topic_name              = module.settings.topic_name
  topic_display_name      = local.names.topic_display_name

  issues_table_name        = module.tables.issues_table_name
  api_requests_table_name  = module.tables.api_requests_table_name
  crossaccount_role_name   = module.settings.role_name_identification
  crossaccount_account_ids = module.settings.crossaccount_account_ids
  discover_regions         = module.settings.regions == null

  dead_letter_queue_name = local.names.identification_dlq
  alarm_topic_name       = local.names.alarm_topic
  alarm_topic_arn        = var.alarm_topic_arn
  alarm_email_addresses  = var.alarm_email_addresses
  tags                   = local.tags
}

module "reporting" {
  source = "../../modules/reporting"

  account_id            = module.settings.main_account_id
  function_name         = local.names.reporting_function
  zip_path              = local.zips.reporting
  architecture          = var.lambda_architecture
  memory_size           = var.reporting_memory_size
  timeout               = var.reporting_timeout
  log_retention_in_days = var.log_retention_in_days
  log_level             = var.log_level

  schedule_rule_name  = local.names.reporting_rule
  schedule_expression = module.settings.reporting_schedule_expression
  schedule_enabled    = module.settings.reporting

  issues_table_name      = module.tables.issues_table_name
  credentials_table_name = module.tables.credentials_table_name

  alarm_topic_arn        = module.identification.alarm_topic_arn
  dead_letter_queue_name = local.names.reporting_dlq
  host_log_group_name    = local.names.reporting_host_log_group
  host_log_stream_name   = local.names.reporting_host_log_stream
  host_policy_name       = var.create_reporting_host_policy ? local.names.reporting_host_policy : null
  tags                   = local.tags
}

# Remediation (opt-in, README "Remediation (opt-in)"): created only when
# config.json's cloudtrails.remediation is true, so with no remediation key
# set this environment plans exactly as before. The cross-account remediation
# roles are in crossaccount/.
module "remediation_settings" {
  source = "../../modules/remediation-settings"

  config_json      = file("${var.config_dir}/config.json")
  resources_prefix = var.resources_prefix
}

module "remediation" {
  source = "../../modules/remediation"
  count  = module.remediation_settings.remediation ? 1 : 0

  account_id            = module.settings.main_account_id
  function_name         = module.remediation_settings.names.function
  zip_path              = "${var.lambda_zip_dir}/clean_cloudtrails.zip"
  architecture          = var.lambda_architecture
  log_retention_in_days = var.log_retention_in_days
  log_level             = var.log_level

  schedule_rule_name  = module.remediation_settings.names.rule
  schedule_expression = module.remediation_settings.schedule_expression
  schedule_enabled    = module.remediation_settings.remediation

  issues_table_name       = module.tables.issues_table_name
  credentials_table_name  = module.tables.credentials_table_name
  crossaccount_role_name  = module.remediation_settings.role_name_reporting
  remediation_account_ids = module.remediation_settings.remediation_account_ids

  alarm_topic_arn        = module.identification.alarm_topic_arn
  dead_letter_queue_name = module.remediation_settings.names.dead_letter
  # The reporting module creates the host log group; taking its name from
  # that module's output creates the stream after the group.
  host_log_group_name  = one([for name, _ in module.reporting.log_groups : name if name == module.remediation_settings.names.host_log_group])
  host_log_stream_name = module.remediation_settings.names.host_log_stream
  host_policy_name     = var.create_reporting_host_policy ? module.remediation_settings.names.host_policy : null
  tags                 = local.tags
}
