output "built_config" {
  description = "The config files packed into the zips (sha256 by file), checked against this environment's config folder."
  value       = local.built_config

  precondition {
    condition     = local.built_config != null
    error_message = "${local.built_config_path} is missing: build the zips for this environment first, e.g. node build.mjs --config deployment/terraform/accounts/<env>/config (from the repository root)."
  }

  precondition {
    condition     = local.built_config == local.config_file_hashes
    error_message = "The zips in ${var.lambda_zip_dir} were built from other config files than ${var.config_dir}: rebuild them with node build.mjs --config deployment/terraform/accounts/<env>/config before planning."
  }
}

output "identification_role_arn" {
  description = "Role of the identification Lambda: each controlled account's cross-account role trusts exactly this principal (crossaccount/ builds the same ARN)."
  value       = module.identification.describe_role_arn
}

output "crossaccount_role_name" {
  description = "Name of the role to create in each controlled account (config.json aws.role_name_identification)."
  value       = module.settings.role_name_identification
}

output "crossaccount_account_ids" {
  description = "Controlled accounts that need the cross-account role (checked accounts but the master account): apply crossaccount/ once in each."
  value       = module.settings.crossaccount_account_ids
}

output "functions" {
  description = "Every Lambda of the environment by role (initiate, describe, reporting): name, ARN, handler, runtime, memory, timeout, environment, code hash, role, log group."
  value       = merge(module.identification.functions, { reporting = module.reporting.function })
}

output "roles" {
  description = "Execution roles by Lambda role (initiate, describe, reporting): name, ARN, trust policy and permission policy (JSON)."
  value       = merge(module.identification.roles, { reporting = module.reporting.role })
}

output "reporting_host_policy" {
  description = "Managed policy to attach to an operator's host that runs the reporting command (null when not created)."
  value       = module.reporting.host_policy
}

output "topic" {
  description = "The SNS topic between initiation and identification, with the identification Lambda's subscription."
  value       = module.identification.topic
}

output "schedules" {
  description = "EventBridge rules by role (identification, reporting): name, schedule expression, state, target."
  value = {
    identification = module.identification.schedule
    reporting      = module.reporting.schedule
  }
}

output "shared_resources" {
  description = "Hammer's shared resources and whether this environment created them or uses Hammer's (hammer_present and its overrides)."
  value = {
    credentials_table     = local.create_credentials_table ? "created" : "existing"
    api_requests_table    = local.create_api_requests_table ? "created" : "existing"
    reporting_host_log    = local.create_reporting_host_log_group ? "created" : "existing"
    alarm_topic           = local.alarm_topic_arn == null ? "created" : "existing"
    issues_table_adoption = local.adopt_issues_table ? "import" : "create"
  }
}

output "encryption" {
  description = "What encrypts the topics and log groups this environment created: the work topic's key, the alarm topic's (null: not created here, or unencrypted), each log group's (null: CloudWatch Logs' own encryption)."
  value = {
    work_topic  = module.identification.topic.kms_master_key_id
    alarm_topic = try(module.identification.alarm_topic.kms_master_key_id, null)
    log_groups  = merge(module.identification.log_group_kms_key_ids, module.reporting.log_group_kms_key_ids)
  }
}

output "created" {
  description = "Hammer's shared resources this environment created (beside Hammer: none): the alarm topic, the host log group and its stream, the credentials and API requests tables."
  value = {
    alarm_topic     = module.identification.alarm_topic != null
    host_log_group  = contains(keys(module.reporting.log_groups), local.names.reporting_host_log_group)
    host_log_stream = module.reporting.created_host_log_stream != null
    # From the switches: only table_*.tf may name the table modules, so that
    # each file can be replaced by a removed block on its own.
    credentials_table  = local.create_credentials_table
    api_requests_table = local.create_api_requests_table
  }
}

output "kms_key" {
  description = "The environment's customer-managed KMS key (null without create_kms_key): ARN, alias and key policy."
  value = var.create_kms_key ? {
    arn    = module.kms_key[0].key_arn
    alias  = module.kms_key[0].alias_name
    policy = module.kms_key[0].policy
  } : null
}

output "log_groups" {
  description = "Every log group of the environment: name => retention in days."
  value       = merge(module.identification.log_groups, module.reporting.log_groups)
}

output "reporting_host_log_stream" {
  description = "Log stream of the reporting command in the host log group."
  value       = module.reporting.host_log_stream
}

output "alarm_topic_arn" {
  description = "SNS topic that receives every alarm: subscribe the on-call channel to it."
  value       = module.identification.alarm_topic_arn
}

output "alarms" {
  description = "Every CloudWatch alarm by name."
  value       = merge(module.identification.alarms, module.reporting.alarms)
}

output "dead_letter_queues" {
  description = "SQS queues of lost events (failed asynchronous invocations, undelivered topic messages and schedule events), by role (identification, reporting)."
  value = {
    identification = module.identification.dead_letter_queue
    reporting      = module.reporting.dead_letter_queue
  }
}

output "remediation" {
  description = "The remediation stack, null unless config.json cloudtrails.remediation is true: function, execution role, schedule, host policy and log stream, and the cross-account remediation roles to create (crossaccount/ in each of crossaccount_account_ids)."
  value = length(module.remediation) == 0 ? null : {
    function                 = module.remediation[0].function
    role                     = module.remediation[0].role
    schedule                 = module.remediation[0].schedule
    host_policy              = module.remediation[0].host_policy
    host_log_stream          = module.remediation[0].host_log_stream
    crossaccount_role_name   = module.remediation_settings.role_name_reporting
    crossaccount_account_ids = module.remediation_settings.crossaccount_account_ids
  }
}
