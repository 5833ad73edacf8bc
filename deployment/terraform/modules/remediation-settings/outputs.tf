output "remediation" {
  description = "cloudtrails.remediation (default false): whether the remediation Lambda, its schedule and the cross-account remediation roles exist."
  value       = local.remediation

  precondition {
    condition     = contains(["true", "false"], local.remediation_flag)
    error_message = "config.json: cloudtrails.remediation: expected a boolean or the string \"true\" or \"false\", found ${jsonencode(try(local.cloudtrails.remediation, null))}."
  }
}

output "remediation_account_ids" {
  description = "cloudtrails.remediation_accounts minus cloudtrails.ignore_accounts, sorted (absent or empty: none)."
  value       = tolist(local.remediation_account)

  precondition {
    condition     = alltrue([for id in local.remediation_account : can(regex("^[0-9]{12}$", id))])
    error_message = "config.json: cloudtrails.remediation_accounts: expected 12-digit AWS account ids, found ${jsonencode(try(local.cloudtrails.remediation_accounts, null))}."
  }
}

output "crossaccount_account_ids" {
  description = "Remediation accounts other than the main account: those that need the cross-account remediation role (the Lambda uses its own role in the main account)."
  value       = tolist([for id in local.remediation_account : id if id != local.main_account_id])
}

output "main_account_in_remediation" {
  description = "Whether the main account is a remediation account (its trails are started with the Lambda's own role)."
  value       = contains(local.remediation_account, local.main_account_id)
}

output "retention_period" {
  description = "cloudtrails.remediation_retention_period in days (default 365, Hammer's)."
  value       = local.retention_period

  precondition {
    condition     = local.retention_period >= 0 && floor(local.retention_period) == local.retention_period
    error_message = "config.json: cloudtrails.remediation_retention_period: expected a whole number of days >= 0, found ${jsonencode(try(local.cloudtrails.remediation_retention_period, null))}."
  }
}

output "role_name_reporting" {
  description = "aws.role_name_reporting (default hammer-cloudsec-crossact-ec2): the role remediation assumes in each remediation account."
  value       = local.role_name_reporting

  precondition {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", local.role_name_reporting))
    error_message = "config.json: aws.role_name_reporting: expected an IAM role name, found ${jsonencode(local.role_name_reporting)}."
  }
}

output "remediation_cron" {
  description = "cronjobs.remediation as written in config.json (5-field cron; default \"45 10 * * *\", Hammer's sample)."
  value       = local.remediation_cron
}

output "schedule_expression" {
  description = "cronjobs.remediation converted to an EventBridge schedule expression, e.g. \"45 10 * * *\" => \"cron(45 10 * * ? *)\"."
  value       = local.schedule_expression

  precondition {
    condition     = local.cron_valid && local.cron_days_expressible
    error_message = "config.json: cronjobs.remediation: expected a 5-field cron (minute hour day-of-month month day-of-week) that restricts at most one of the two day fields, found ${jsonencode(local.remediation_cron)}."
  }
}

output "names" {
  description = "Names of the remediation resources, built from resources_prefix: function, rule, dead_letter, host_log_group, host_log_stream (Hammer's remediation.clean_cloudtrails), host_policy."
  value       = local.names
}
