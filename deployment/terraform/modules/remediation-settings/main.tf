# Reads the remediation keys of config.json with the semantics of the
# TypeScript configuration model (config/loadConfig.ts): the flag, the
# accounts, the retention period, the cross-account role and the schedule.
# Kept apart from the settings module so that remediation stays an opt-in
# addition: with none of these keys set, `remediation` is false and the
# environments create nothing.

locals {
  config      = jsondecode(var.config_json)
  aws         = try(local.config.aws, {})
  cloudtrails = try(local.config.cloudtrails, {})

  # Hammer's defaults (config/hammerConfig.ts DEFAULTS).
  default_role_name_reporting = "hammer-cloudsec-crossact-ec2"
  default_retention_period    = 365
  default_remediation_cron    = "45 10 * * *"

  main_account_id = tostring(coalesce(try(local.aws.main_account_id, null), "none"))
  accounts        = { for id, name in try(local.aws.accounts, {}) : tostring(id) => tostring(name) }

  # A boolean or the strings "true"/"false" in any case.
  remediation_flag = lower(tostring(coalesce(try(local.cloudtrails.remediation, null), false)))
  remediation      = local.remediation_flag == "true"

  # cloudtrails.remediation_accounts minus cloudtrails.ignore_accounts; absent
  # or empty means none (not all, as Hammer's other modules read it).
  listed_accounts     = try(length(local.cloudtrails.remediation_accounts) > 0, false) ? [for id in local.cloudtrails.remediation_accounts : tostring(id)] : []
  ignored_accounts    = try(length(local.cloudtrails.ignore_accounts) > 0, false) ? [for id in local.cloudtrails.ignore_accounts : tostring(id)] : []
  remediation_account = sort(distinct([for id in local.listed_accounts : id if !contains(local.ignored_accounts, id)]))

  retention_period    = try(tonumber(local.cloudtrails.remediation_retention_period), local.default_retention_period)
  role_name_reporting = tostring(coalesce(try(local.aws.role_name_reporting, null), local.default_role_name_reporting))
  remediation_cron    = tostring(coalesce(try(local.config.cronjobs.remediation, null), local.default_remediation_cron))

  names = {
    function        = "${var.resources_prefix}remediation-cloudtrails"
    rule            = "${var.resources_prefix}RemediationCloudTrails"
    dead_letter     = "${var.resources_prefix}cloudtrails-remediation-dlq"
    host_log_group  = "/aws/ec2/${var.resources_prefix}reporting-remediation"
    host_log_stream = "remediation.clean_cloudtrails"
    host_policy     = "${var.resources_prefix}remediation-cloudtrails-host"
  }
}

# cronjobs.remediation is a 5-field cron (Hammer's crontab); EventBridge wants
# 6 fields with a year and "?" in one day field, day-of-week numbered 1-7
# from Sunday. The same conversion as the settings module's for
# cronjobs.reporting.
locals {
  cron_fields = regexall("\\S+", local.remediation_cron)
  cron_valid  = length(local.cron_fields) == 5
  cron        = local.cron_valid ? local.cron_fields : ["0", "0", "*", "*", "*"]

  cron_dom_any          = contains(["*", "?"], local.cron[2])
  cron_dow_any          = contains(["*", "?"], local.cron[4])
  cron_days_expressible = local.cron_dom_any || local.cron_dow_any

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

  eventbridge_fields = [
    replace(local.cron[0], "*/", "0/"),
    replace(local.cron[1], "*/", "0/"),
    local.cron_dow_any ? replace(local.cron[2], "*/", "1/") : "?",
    replace(upper(local.cron[3]), "*/", "1/"),
    local.cron_dow_any ? "?" : join(",", local.cron_dow_days),
    "*",
  ]
  schedule_expression = "cron(${join(" ", local.eventbridge_fields)})"
}
