variable "account_id" {
  type        = string
  description = "The master account the stack is deployed in (config.json aws.main_account_id); used to build exact ARNs for IAM policies."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "function_name" {
  type        = string
  description = "Name of the reporting Lambda (default hammer-reporting-cloudtrails); also the name of its IAM role."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "A Lambda function name is 1 to 64 letters, digits, '-' or '_'."
  }
}

variable "zip_path" {
  type        = string
  description = "Path of create_cloudtrail_tickets.zip built by build.mjs (handler create_cloudtrail_tickets.lambda_handler)."

  validation {
    condition     = endswith(var.zip_path, "create_cloudtrail_tickets.zip")
    error_message = "The reporting code is the zip create_cloudtrail_tickets.zip of build.mjs: its file name gives the handler."
  }
}

variable "runtime" {
  type        = string
  description = "Lambda runtime of the bundles (build.mjs targets Node.js 20 syntax, so any nodejs20.x or later runtime runs them)."
  default     = "nodejs22.x"

  validation {
    condition     = can(regex("^nodejs(2[0-9]|[3-9][0-9])\\.x$", var.runtime))
    error_message = "runtime must be a Node.js runtime of version 20 or later, e.g. nodejs22.x."
  }
}

variable "architecture" {
  type        = string
  description = "Instruction set of the Lambdas; the bundles are plain JavaScript, so arm64 (cheaper) works."
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  type        = number
  description = "Memory of the reporting Lambda in MB."
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "Lambda memory is a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  type        = number
  description = "Timeout of the reporting Lambda in seconds. A run cut short is finished by the next one (each issue is advanced fully or not at all)."
  default     = 900

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "A Lambda timeout is a whole number of seconds from 1 to 900."
  }
}

variable "log_retention_in_days" {
  type        = number
  description = "Retention of the log groups in days (Hammer kept 7)."
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "log_level" {
  type        = string
  description = "Application log level of the Lambdas (Lambda advanced logging controls, read by the Powertools logger). Platform START/END lines are dropped (system level WARN), as Hammer's log filters drop them."
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }
}

variable "schedule_rule_name" {
  type        = string
  description = "Name of the EventBridge rule that starts a reporting run (default hammer-ReportingCloudTrails)."

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.schedule_rule_name))
    error_message = "An EventBridge rule name is 1 to 64 letters, digits, '.', '-' or '_'."
  }
}

variable "schedule_expression" {
  type        = string
  description = "EventBridge schedule of the reporting runs: config.json cronjobs.reporting converted by the settings module (\"55 * * * *\" => \"cron(55 * * * ? *)\")."

  validation {
    condition     = can(regex("^(cron\\([^)]+\\)|rate\\([^)]+\\))$", var.schedule_expression))
    error_message = "schedule_expression must be an EventBridge cron(...) or rate(...) expression."
  }
}

variable "schedule_enabled" {
  type        = bool
  description = "Whether the schedule is enabled (config.json cloudtrails.reporting). The reporting Lambda also checks the flag and exits when it is off."
  default     = false
}

variable "reserved_concurrent_executions" {
  type        = number
  description = "Reserved concurrency of the reporting Lambda. 1: Lambda itself allows one run at a time (it needs one unit of the account's concurrency to reserve; AWS keeps 10 unreserved, so small quotas refuse it). null (default): nothing reserved; the Lambda (environment RUN_LEASE) then takes a lease in the issues table at the start of each run (a conditional write on an item no Hammer reader sees), and a run that finds the lease held by a live run logs it and does nothing."
  default     = null

  validation {
    condition     = var.reserved_concurrent_executions == null || var.reserved_concurrent_executions == 1
    error_message = "reserved_concurrent_executions is 1 (Lambda allows one run at a time) or null (the run lease does); more would allow two runs at once."
  }
}

variable "issues_table_name" {
  type        = string
  description = "Issues table reporting reads and advances (config.json cloudtrails[\"ddb.table_name\"])."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.issues_table_name))
    error_message = "A DynamoDB table name is 3 to 255 letters, digits, '_', '-' or '.'."
  }
}

variable "credentials_table_name" {
  type        = string
  description = "Credentials table holding the JIRA and Slack credentials (config.json credentials[\"ddb.table_name\"])."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.credentials_table_name))
    error_message = "A DynamoDB table name is 3 to 255 letters, digits, '_', '-' or '.'."
  }
}

variable "issues_table_kms_key_arn" {
  type        = string
  description = "Customer-managed KMS key of the issues table, if any: the role (and the host policy) get kms:Decrypt and kms:GenerateDataKey on it through DynamoDB. null for AWS managed or owned keys."
  default     = null

  validation {
    condition     = var.issues_table_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.issues_table_kms_key_arn, "x")))
    error_message = "issues_table_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "credentials_table_kms_key_arn" {
  type        = string
  description = "Customer-managed KMS key of the credentials table, if any (as issues_table_kms_key_arn). A key from modules/kms-key must also name the role in its policy (credentials_user_arns)."
  default     = null

  validation {
    condition     = var.credentials_table_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.credentials_table_kms_key_arn, "x")))
    error_message = "credentials_table_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "Customer-managed KMS key (modules/kms-key) for the log groups created here; null leaves them under CloudWatch Logs' own encryption."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.kms_key_arn, "x")))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "alarm_topic_arn" {
  type        = string
  description = "SNS topic that receives the alarms (the identification module's alarm topic)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be an SNS topic ARN."
  }
}

variable "dead_letter_queue_name" {
  type        = string
  description = "SQS queue that receives the events of asynchronous invocations that failed after Lambda's retries (on-failure destination)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,80}$", var.dead_letter_queue_name))
    error_message = "An SQS queue name is 1 to 80 letters, digits, '-' or '_'."
  }
}

variable "host_log_group_name" {
  type        = string
  description = "Log group of reporting when it runs as a command on an operator's host, as in Hammer (/aws/ec2/hammer-reporting-remediation)."
  default     = "/aws/ec2/hammer-reporting-remediation"

  validation {
    condition     = can(regex("^[A-Za-z0-9_./#-]{1,512}$", var.host_log_group_name))
    error_message = "A log group name is 1 to 512 letters, digits and _-./#."
  }
}

variable "create_host_log_group" {
  type        = bool
  description = "Create the host log group and its stream. false beside Python Hammer, whose reporting-remediation stack owns /aws/ec2/<prefix>reporting-remediation for all its modules (creating it would fail; importing it would let a destroy delete Hammer's group)."
  default     = true
}

variable "host_log_stream_name" {
  type        = string
  description = "Log stream of this module in the host log group (Hammer: reporting.create_cloudtrails_tickets)."
  default     = "reporting.create_cloudtrails_tickets"

  validation {
    condition     = can(regex("^[^:*]{1,512}$", var.host_log_stream_name))
    error_message = "A log stream name is 1 to 512 characters without ':' or '*'."
  }
}

variable "host_policy_name" {
  type        = string
  description = "Name of the managed policy that lets an operator's host (its instance role or user) run the reporting command; null creates none."
  default     = null

  validation {
    condition     = var.host_policy_name == null || can(regex("^[\\w+=,.@-]{1,128}$", var.host_policy_name))
    error_message = "An IAM policy name is 1 to 128 characters of letters, digits and +=,.@_-."
  }
}

variable "securityhub_enabled" {
  type        = bool
  description = "Whether reporting exports findings to AWS Security Hub (config.json cloudtrails.securityhub): the role may then assume the cross-account role of securityhub_account_ids and import the master account's own findings."
  default     = false
}

variable "securityhub_crossaccount_role_name" {
  type        = string
  description = "The cross-account role the Security Hub export assumes in each controlled account (config.json aws.role_name_identification)."
  default     = "hammer-cloudsec-crossact-id"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.securityhub_crossaccount_role_name))
    error_message = "An IAM role name is 1 to 64 characters of letters, digits and +=,.@_-."
  }
}

variable "securityhub_account_ids" {
  type        = list(string)
  description = "Controlled accounts whose findings the Security Hub export imports through their cross-account role (the checked accounts but the master account)."
  default     = []

  validation {
    condition     = alltrue([for id in var.securityhub_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "Every account id must have 12 digits."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into every taggable resource."
  default     = {}
}
