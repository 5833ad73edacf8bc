# The master-account stack of the environment: identification and reporting,
# their tables (table_*.tf, one file per table so that one can be handed over
# on its own), and optionally a customer-managed KMS key. Names come from
# config/config.json (the same files build.mjs packs into the zips); the
# cross-account roles of the controlled accounts are in crossaccount/.
#
# Beside Python Hammer (hammer_present, the default) the environment creates
# none of Hammer's shared resources and uses them instead: the credentials and
# API requests tables, the alarm topic <prefix>identification-errors and the
# host log group /aws/ec2/<prefix>reporting-remediation; it adopts Hammer's
# issues table (table_issues.tf). See deployment/terraform/README.md.

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

  partition = startswith(module.settings.region, "us-gov-") ? "aws-us-gov" : startswith(module.settings.region, "cn-") ? "aws-cn" : "aws"

  # The switch set: each shared resource follows hammer_present unless its own
  # variable says otherwise.
  create_credentials_table        = var.create_credentials_table == null ? !var.hammer_present : var.create_credentials_table
  create_api_requests_table       = var.create_api_requests_table == null ? !var.hammer_present : var.create_api_requests_table
  create_reporting_host_log_group = var.create_reporting_host_log_group == null ? !var.hammer_present : var.create_reporting_host_log_group
  adopt_issues_table              = var.adopt_issues_table == null ? var.hammer_present : var.adopt_issues_table
  hammer_alarm_topic_arn          = "arn:${local.partition}:sns:${module.settings.region}:${module.settings.main_account_id}:${local.names.alarm_topic}"
  alarm_topic_arn                 = var.alarm_topic_arn != null ? var.alarm_topic_arn : var.hammer_present ? local.hammer_alarm_topic_arn : null

  # The environment's own key (create_kms_key) encrypts the credentials table
  # it creates, the topics and the log groups; tables_kms_key_arn, a key of
  # the operator's, encrypts the other tables created or adopted here.
  kms_key_arn             = var.create_kms_key ? module.kms_key[0].key_arn : null
  credentials_kms_key_arn = local.create_credentials_table && var.create_kms_key ? local.kms_key_arn : var.tables_kms_key_arn

  # The remediation Lambda (its role is named as the function) reads the
  # credentials table; its log group and the real-time Lambda's are encrypted
  # with the environment's key too.
  remediation_credentials_readers = module.remediation_settings.remediation ? ["arn:${local.partition}:iam::${module.settings.main_account_id}:role/${module.remediation_settings.names.function}"] : []
  opt_in_log_group_names = concat(
    module.remediation_settings.remediation ? ["/aws/lambda/${module.remediation_settings.names.function}"] : [],
    var.realtime.enabled ? ["/aws/lambda/${local.realtime_function_name}"] : [],
  )
}

module "kms_key" {
  source = "../../modules/kms-key"
  count  = var.create_kms_key ? 1 : 0

  account_id         = module.settings.main_account_id
  alias_name         = "alias/${var.resources_prefix}cloudtrails"
  administrator_arns = var.kms_key_administrator_arns
  # Only the principals that read or write credentials (when the credentials
  # table is this environment's), the topic publishers, CloudWatch alarms
  # (when the alarm topic is this environment's) and the log groups.
  # (The opt-in Lambdas by the names their modules give their role and log
  # group: their modules take this key, so referring to them would be a cycle.)
  credentials_user_arns   = local.create_credentials_table ? concat([module.reporting.role_arn], local.realtime_credentials_readers, local.remediation_credentials_readers, var.credentials_principal_arns) : []
  topic_publisher_arns    = values(module.identification.role_arns)
  allow_cloudwatch_alarms = local.alarm_topic_arn == null
  log_group_names         = concat(module.identification.log_group_names, module.reporting.log_group_names, local.opt_in_log_group_names)
  tags                    = local.tags
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
  kms_key_arn            = local.kms_key_arn

  schedule_rule_name      = local.names.identification_rule
  identification_schedule = var.identification_schedule
  schedule_enabled        = module.settings.enabled
  topic_name              = module.settings.topic_name
  topic_display_name      = local.names.topic_display_name

  issues_table_name              = module.settings.issues_table_name
  issues_table_kms_key_arn       = var.tables_kms_key_arn
  api_requests_table_name        = module.settings.api_requests_table_name
  api_requests_table_kms_key_arn = local.create_api_requests_table ? var.tables_kms_key_arn : null
  crossaccount_role_name         = module.settings.role_name_identification
  crossaccount_account_ids       = module.settings.crossaccount_account_ids
  discover_regions               = module.settings.regions == null

  dead_letter_queue_name = local.names.identification_dlq
  alarm_topic_name       = local.names.alarm_topic
  alarm_topic_arn        = local.alarm_topic_arn
  alarm_email_addresses  = var.alarm_email_addresses
  tags                   = local.tags
}

module "reporting" {
  source = "../../modules/reporting"

  account_id                     = module.settings.main_account_id
  function_name                  = local.names.reporting_function
  zip_path                       = local.zips.reporting
  architecture                   = var.lambda_architecture
  memory_size                    = var.reporting_memory_size
  timeout                        = var.reporting_timeout
  reserved_concurrent_executions = var.reporting_reserved_concurrency
  log_retention_in_days          = var.log_retention_in_days
  log_level                      = var.log_level
  kms_key_arn                    = local.kms_key_arn

  schedule_rule_name  = local.names.reporting_rule
  schedule_expression = module.settings.reporting_schedule_expression
  schedule_enabled    = module.settings.reporting

  issues_table_name             = module.settings.issues_table_name
  issues_table_kms_key_arn      = var.tables_kms_key_arn
  credentials_table_name        = module.settings.credentials_table_name
  credentials_table_kms_key_arn = local.credentials_kms_key_arn

  alarm_topic_arn        = module.identification.alarm_topic_arn
  dead_letter_queue_name = local.names.reporting_dlq
  create_host_log_group  = local.create_reporting_host_log_group
  host_log_group_name    = local.names.reporting_host_log_group
  host_log_stream_name   = local.names.reporting_host_log_stream
  host_policy_name       = var.create_reporting_host_policy ? local.names.reporting_host_policy : null

  # The Security Hub export (config.json cloudtrails.securityhub): reporting
  # imports each checked account's findings through its cross-account role
  # (crossaccount/ and the StackSet then trust the reporting role).
  securityhub_enabled                = module.settings.securityhub
  securityhub_crossaccount_role_name = module.settings.role_name_identification
  securityhub_account_ids            = module.settings.crossaccount_account_ids
  tags                               = local.tags
}

# Remediation (opt-in, docs/remediation.md): created only when
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

  issues_table_name      = module.settings.issues_table_name
  credentials_table_name = module.settings.credentials_table_name
  crossaccount_role_name = module.remediation_settings.role_name_reporting
  # Customer-managed keys, as for reporting (the environment's key names the
  # remediation role among its credentials users).
  kms_key_arn                   = local.kms_key_arn
  issues_table_kms_key_arn      = var.tables_kms_key_arn
  credentials_table_kms_key_arn = local.credentials_kms_key_arn
  remediation_account_ids       = module.remediation_settings.remediation_account_ids

  alarm_topic_arn        = module.identification.alarm_topic_arn
  dead_letter_queue_name = module.remediation_settings.names.dead_letter
  # In a fresh account the reporting module creates the host log group;
  # taking its name from that module's output creates the stream after the
  # group. Beside Hammer the group and the stream are Hammer's.
  host_log_group_name    = coalesce(one([for name, _ in module.reporting.log_groups : name if name == module.remediation_settings.names.host_log_group]), module.remediation_settings.names.host_log_group)
  host_log_stream_name   = module.remediation_settings.names.host_log_stream
  create_host_log_stream = local.create_reporting_host_log_group
  host_policy_name       = var.create_reporting_host_policy ? module.remediation_settings.names.host_policy : null
  tags                   = local.tags
}
