output "main_account_id" {
  description = "aws.main_account_id: the master account, where the Lambdas, tables and topics live."
  value       = local.main_account_id

  precondition {
    condition     = can(regex("^[0-9]{12}$", local.main_account_id))
    error_message = "config.json: aws.main_account_id: expected the 12-digit id of the master account, found ${jsonencode(try(local.aws.main_account_id, null))}."
  }
}

output "region" {
  description = "aws.region: the main region, where the stack is deployed."
  value       = local.region

  precondition {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", local.region))
    error_message = "config.json: aws.region: expected an AWS region such as eu-west-1, found ${jsonencode(try(local.aws.region, null))}."
  }
}

output "accounts" {
  description = "aws.accounts: every controlled account, id => name."
  value       = local.accounts

  precondition {
    condition     = length(local.accounts) > 0 && alltrue([for id in keys(local.accounts) : can(regex("^[0-9]{12}$", id))])
    error_message = "config.json: aws.accounts: expected an object of 12-digit account ids to names with at least one account, found ${jsonencode(try(local.aws.accounts, null))}."
  }
}

output "checked_account_ids" {
  description = "Accounts the module checks: cloudtrails.accounts (or all of aws.accounts) minus cloudtrails.ignore_accounts, sorted."
  value       = tolist(local.checked_accounts)
}

output "crossaccount_account_ids" {
  description = "Checked accounts other than the main account: those whose cross-account role identification assumes."
  value       = tolist(local.crossaccount_accounts)
}

output "regions" {
  description = "aws.regions, or null when absent (identification then asks EC2 DescribeRegions)."
  value       = local.regions == null ? null : tolist(local.regions)
}

output "role_name_identification" {
  description = "aws.role_name_identification: the role identification assumes in each controlled account."
  value       = local.role_name_identification

  precondition {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", local.role_name_identification))
    error_message = "config.json: aws.role_name_identification: expected an IAM role name, found ${jsonencode(local.role_name_identification)}."
  }
}

output "enabled" {
  description = "cloudtrails.enabled (default true): whether the identification schedule is enabled."
  value       = local.enabled

  precondition {
    condition     = contains(["true", "false"], lower(tostring(coalesce(try(local.cloudtrails.enabled, null), true))))
    error_message = "config.json: cloudtrails.enabled: expected a boolean or the string \"true\" or \"false\", found ${jsonencode(try(local.cloudtrails.enabled, null))}."
  }
}

output "reporting" {
  description = "cloudtrails.reporting (default false): whether the reporting schedule is enabled."
  value       = local.reporting

  precondition {
    condition     = contains(["true", "false"], lower(tostring(coalesce(try(local.cloudtrails.reporting, null), false))))
    error_message = "config.json: cloudtrails.reporting: expected a boolean or the string \"true\" or \"false\", found ${jsonencode(try(local.cloudtrails.reporting, null))}."
  }
}

output "securityhub" {
  description = "cloudtrails.securityhub (default false): whether reporting exports findings to AWS Security Hub (reporting's role and the cross-account roles then get the import)."
  value       = local.securityhub

  precondition {
    condition     = contains(["true", "false"], lower(tostring(coalesce(try(local.cloudtrails.securityhub, null), false))))
    error_message = "config.json: cloudtrails.securityhub: expected a boolean or the string \"true\" or \"false\", found ${jsonencode(try(local.cloudtrails.securityhub, null))}."
  }
}

output "issues_table_name" {
  description = "cloudtrails[\"ddb.table_name\"]: the issues table."
  value       = local.issues_table_name

  precondition {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", local.issues_table_name)) && local.issues_table_name != "none"
    error_message = "config.json: cloudtrails.ddb.table_name: expected a DynamoDB table name, found ${jsonencode(try(local.cloudtrails["ddb.table_name"], null))}."
  }
}

output "credentials_table_name" {
  description = "credentials[\"ddb.table_name\"] (default hammer-credentials)."
  value       = local.credentials_table_name

  precondition {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", local.credentials_table_name))
    error_message = "config.json: credentials.ddb.table_name: expected a DynamoDB table name (3 to 255 letters, digits, '_', '-' or '.'), found ${jsonencode(local.credentials_table_name)}."
  }
}

output "api_requests_table_name" {
  description = "api[\"ddb.table_name\"] (default hammer-api-requests)."
  value       = local.api_requests_table_name

  precondition {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", local.api_requests_table_name))
    error_message = "config.json: api.ddb.table_name: expected a DynamoDB table name (3 to 255 letters, digits, '_', '-' or '.'), found ${jsonencode(local.api_requests_table_name)}."
  }
}

output "topic_name" {
  description = "cloudtrails.topic_name (default hammer-describe-cloudtrails-lambda): the topic between initiation and identification."
  value       = local.topic_name

  precondition {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", local.topic_name))
    error_message = "config.json: cloudtrails.topic_name: expected an SNS topic name (1 to 256 letters, digits, '-' or '_'), found ${jsonencode(local.topic_name)}."
  }
}

output "names" {
  description = "Names of the resources config.json does not name, built from resources_prefix as Hammer builds them."
  value       = local.names
}

output "reporting_cron" {
  description = "cronjobs.reporting as written in config.json (5-field cron)."
  value       = local.reporting_cron
}

output "reporting_schedule_expression" {
  description = "cronjobs.reporting converted to an EventBridge schedule expression, e.g. \"55 * * * *\" => \"cron(55 * * * ? *)\"."
  value       = local.reporting_schedule_expression

  precondition {
    condition     = local.cron_valid && local.cron_days_expressible
    error_message = "config.json: cronjobs.reporting: expected a 5-field cron (minute hour day-of-month month day-of-week) that restricts at most one of the two day fields, found ${jsonencode(local.reporting_cron)}."
  }
}
