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
  description = "Name of the remediation Lambda (default hammer-remediation-cloudtrails); also the name of its IAM role, which each remediation role trusts."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "A Lambda function name is 1 to 64 letters, digits, '-' or '_'."
  }
}

variable "zip_path" {
  type        = string
  description = "Path of clean_cloudtrails.zip built by build.mjs (handler clean_cloudtrails.lambda_handler)."

  validation {
    condition     = endswith(var.zip_path, "clean_cloudtrails.zip")
    error_message = "The remediation code is the zip clean_cloudtrails.zip of build.mjs: its file name gives the handler."
  }
}

variable "runtime" {
  type        = string
  description = "Lambda runtime of the bundle (build.mjs targets Node.js 20 syntax, so any nodejs20.x or later runtime runs it)."
  default     = "nodejs22.x"

  validation {
    condition     = can(regex("^nodejs(2[0-9]|[3-9][0-9])\\.x$", var.runtime))
    error_message = "runtime must be a Node.js runtime of version 20 or later, e.g. nodejs22.x."
  }
}

variable "architecture" {
  type        = string
  description = "Instruction set of the Lambda; the bundle is plain JavaScript, so arm64 (cheaper) works."
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  type        = number
  description = "Memory of the remediation Lambda in MB."
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "Lambda memory is a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  type        = number
  description = "Timeout of the remediation Lambda in seconds. The run starts no issue in its last two minutes; the issues left wait for the next run."
  default     = 900

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "A Lambda timeout is a whole number of seconds from 1 to 900."
  }
}

variable "log_retention_in_days" {
  type        = number
  description = "Retention of the Lambda's log group in days (Hammer: 7)."
  default     = 7

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "log_level" {
  type        = string
  description = "Application log level of the Lambda (Lambda advanced logging controls, read by the Powertools logger)."
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }
}

variable "schedule_rule_name" {
  type        = string
  description = "Name of the EventBridge rule that starts a remediation run (default hammer-RemediationCloudTrails)."

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.schedule_rule_name))
    error_message = "An EventBridge rule name is 1 to 64 letters, digits, '.', '-' or '_'."
  }
}

variable "schedule_expression" {
  type        = string
  description = "EventBridge schedule of the remediation runs: config.json cronjobs.remediation converted by the remediation-settings module (\"45 10 * * *\" => \"cron(45 10 * * ? *)\")."

  validation {
    condition     = can(regex("^(cron\\([^)]+\\)|rate\\([^)]+\\))$", var.schedule_expression))
    error_message = "schedule_expression must be an EventBridge cron(...) or rate(...) expression."
  }
}

variable "schedule_enabled" {
  type        = bool
  description = "Whether the schedule is enabled (config.json cloudtrails.remediation). The Lambda also checks the flag and does nothing when it is off."
  default     = false
}

variable "issues_table_name" {
  type        = string
  description = "Issues table remediation reads and marks (config.json cloudtrails[\"ddb.table_name\"])."
}

variable "credentials_table_name" {
  type        = string
  description = "Credentials table holding the JIRA and Slack credentials (config.json credentials[\"ddb.table_name\"])."
}

variable "crossaccount_role_name" {
  type        = string
  description = "The remediation role in each remediation account (config.json aws.role_name_reporting, Hammer: hammer-cloudsec-crossact-ec2)."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.crossaccount_role_name))
    error_message = "An IAM role name is 1 to 64 characters of letters, digits and +=,.@_-."
  }
}

variable "remediation_account_ids" {
  type        = list(string)
  description = "config.json cloudtrails.remediation_accounts (minus ignore_accounts): the Lambda may assume the remediation role of each but its own account, and starts its own account's trails itself when listed."

  validation {
    condition     = alltrue([for id in var.remediation_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "remediation_account_ids must be 12-digit AWS account ids."
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
  description = "SQS queue that receives the events of scheduled runs that failed or expired (on-failure destination)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,80}$", var.dead_letter_queue_name))
    error_message = "An SQS queue name is 1 to 80 letters, digits, '-' or '_'."
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
  description = "Customer-managed KMS key (modules/kms-key) for the Lambda's log group; null leaves it under CloudWatch Logs' own encryption."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.kms_key_arn, "x")))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "host_log_group_name" {
  type        = string
  description = "Hammer's host log group, created by the reporting module (/aws/ec2/hammer-reporting-remediation): the remediation command's stream goes in it."
  default     = "/aws/ec2/hammer-reporting-remediation"

  validation {
    condition     = can(regex("^[A-Za-z0-9_./#-]{1,512}$", var.host_log_group_name))
    error_message = "A log group name is 1 to 512 letters, digits and _-./#."
  }
}

variable "host_log_stream_name" {
  type        = string
  description = "Log stream of the remediation command in the host log group (Hammer: remediation.clean_cloudtrails)."
  default     = "remediation.clean_cloudtrails"

  validation {
    condition     = can(regex("^[^:*]{1,512}$", var.host_log_stream_name))
    error_message = "A log stream name is 1 to 512 characters without ':' or '*'."
  }
}

variable "create_host_log_stream" {
  type        = bool
  description = "Whether to create the remediation command's stream in the host log group. False beside Python Hammer, whose host log group and stream exist already (the environment passes the reporting module's create_host_log_group)."
  default     = true
}

variable "host_policy_name" {
  type        = string
  description = "Name of the managed policy that lets an operator's host (its role) run the remediation command; null creates none."
  default     = null

  validation {
    condition     = var.host_policy_name == null || can(regex("^[\\w+=,.@-]{1,128}$", var.host_policy_name))
    error_message = "An IAM policy name is 1 to 128 characters of letters, digits and +=,.@_-."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into every taggable resource."
  default     = {}
}
