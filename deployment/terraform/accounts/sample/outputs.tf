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

output "tables" {
  description = "DynamoDB tables this environment created, by role (issues, credentials, api_requests)."
  value       = module.tables.tables
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
  description = "SQS queues of failed asynchronous invocations, by role (identification, reporting)."
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
