# Reads config.json with the semantics of the TypeScript configuration model
# (config/loadConfig.ts) and derives every name and setting the stacks need,
# so that editing the environment's config.json changes the code (through
# build.mjs) and the infrastructure (through this module) alike.

locals {
  config      = jsondecode(var.config_json)
  aws         = try(local.config.aws, {})
  cloudtrails = try(local.config.cloudtrails, {})

  # Hammer's defaults, as in config/hammerConfig.ts DEFAULTS. An empty string
  # counts as "not set" (coalesce skips null and "").
  default_role_name_identification = "hammer-cloudsec-crossact-id"
  default_topic_name               = "hammer-describe-cloudtrails-lambda"
  default_credentials_table_name   = "hammer-credentials"
  default_api_requests_table_name  = "hammer-api-requests"
  default_reporting_cron           = "55 * * * *"

  main_account_id = tostring(coalesce(try(local.aws.main_account_id, null), "none"))
  region          = tostring(coalesce(try(local.aws.region, null), "none"))
  accounts        = { for id, name in try(local.aws.accounts, {}) : tostring(id) => tostring(name) }

  # aws.regions: listed regions, or null when absent (regions are then asked
  # from EC2 DescribeRegions, which needs that permission).
  regions = try(length(local.aws.regions) > 0, false) ? distinct([for region in local.aws.regions : tostring(region)]) : null

  role_name_identification = tostring(coalesce(try(local.aws.role_name_identification, null), local.default_role_name_identification))

  # Flags: a boolean or the strings "true"/"false" in any case.
  enabled     = lower(tostring(coalesce(try(local.cloudtrails.enabled, null), true))) == "true"
  reporting   = lower(tostring(coalesce(try(local.cloudtrails.reporting, null), false))) == "true"
  securityhub = lower(tostring(coalesce(try(local.cloudtrails.securityhub, null), false))) == "true"

  issues_table_name       = tostring(coalesce(try(local.cloudtrails["ddb.table_name"], null), "none"))
  topic_name              = tostring(coalesce(try(local.cloudtrails.topic_name, null), local.default_topic_name))
  credentials_table_name  = tostring(coalesce(try(local.config.credentials["ddb.table_name"], null), local.default_credentials_table_name))
  api_requests_table_name = tostring(coalesce(try(local.config.api["ddb.table_name"], null), local.default_api_requests_table_name))

  # The accounts this module checks: cloudtrails.accounts when it lists any,
  # else all of aws.accounts; minus cloudtrails.ignore_accounts.
  listed_accounts  = try(length(local.cloudtrails.accounts) > 0, false) ? [for id in local.cloudtrails.accounts : tostring(id)] : keys(local.accounts)
  ignored_accounts = try(length(local.cloudtrails.ignore_accounts) > 0, false) ? [for id in local.cloudtrails.ignore_accounts : tostring(id)] : []
  checked_accounts = sort(distinct([for id in local.listed_accounts : id if !contains(local.ignored_accounts, id)]))
  # Identification assumes the cross-account role everywhere but in the
  # account it runs in.
  crossaccount_accounts = [for id in local.checked_accounts : id if id != local.main_account_id]

  names = {
    initiate_function         = "${var.resources_prefix}initiate-cloudtrails"
    describe_function         = "${var.resources_prefix}describe-cloudtrails"
    reporting_function        = "${var.resources_prefix}reporting-cloudtrails"
    identification_rule       = "${var.resources_prefix}InitiateEvaluationCloudTrails"
    reporting_rule            = "${var.resources_prefix}ReportingCloudTrails"
    topic_display_name        = "${var.resources_prefix}describe-cloudtrails-sns"
    alarm_topic               = "${var.resources_prefix}identification-errors"
    identification_dlq        = "${var.resources_prefix}cloudtrails-identification-dlq"
    reporting_dlq             = "${var.resources_prefix}cloudtrails-reporting-dlq"
    reporting_host_log_group  = "/aws/ec2/${var.resources_prefix}reporting-remediation"
    reporting_host_log_stream = "reporting.create_cloudtrails_tickets"
    reporting_host_policy     = "${var.resources_prefix}reporting-cloudtrails-host"
  }

  reporting_cron = tostring(coalesce(try(local.config.cronjobs.reporting, null), local.default_reporting_cron))
}

# cronjobs.reporting is a 5-field cron (minute hour day-of-month month
# day-of-week, as in Hammer's crontab); EventBridge wants 6 fields with a year,
# "?" in one of the two day fields, and day-of-week numbered 1-7 from Sunday
# (cron numbers 0-7 from Sunday, 7 being Sunday again).
locals {
  cron_fields = regexall("\\S+", local.reporting_cron)
  cron_valid  = length(local.cron_fields) == 5
  cron        = local.cron_valid ? local.cron_fields : ["0", "0", "*", "*", "*"]

  cron_dom_any = contains(["*", "?"], local.cron[2])
  cron_dow_any = contains(["*", "?"], local.cron[4])
  # Standard cron runs when EITHER day field matches; EventBridge cannot say that.
  cron_days_expressible = local.cron_dom_any || local.cron_dow_any

  # Each comma-separated part of day-of-week: numbers, ranges and steps are
  # expanded and renumbered; names (MON-FRI), L and # pass through in upper case.
  cron_dow_days = distinct(flatten([
    for part in split(",", replace(local.cron[4], "*/", "0-6/")) :
    can(regex("^[0-7](-[0-7])?(/[0-9]+)?$", part))
    ? [
      for day in range(
        tonumber(regex("^([0-7])", part)[0]),
        tonumber(try(regex("^[0-7]-([0-7])", part)[0], can(regex("/", part)) ? "6" : regex("^([0-7])", part)[0])) + 1,
        tonumber(try(regex("/([0-9]+)$", part)[0], "1"))
      ) : tostring(day % 7 + 1)
    ]
    : [upper(part)]
  ]))

  # "*/n" is written "0/n" (minutes, hours) or "1/n" (days, months) for EventBridge.
  eventbridge_fields = [
    replace(local.cron[0], "*/", "0/"),
    replace(local.cron[1], "*/", "0/"),
    local.cron_dow_any ? replace(local.cron[2], "*/", "1/") : "?",
    replace(upper(local.cron[3]), "*/", "1/"),
    local.cron_dow_any ? "?" : join(",", local.cron_dow_days),
    "*",
  ]
  reporting_schedule_expression = "cron(${join(" ", local.eventbridge_fields)})"
}
