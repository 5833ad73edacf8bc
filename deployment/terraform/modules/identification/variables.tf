variable "account_id" {
  type        = string
  description = "The master account the stack is deployed in (config.json aws.main_account_id); used to build exact ARNs for IAM policies."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "initiate_function_name" {
  type        = string
  description = "Name of the initiation Lambda (Hammer: hammer-initiate-cloudtrails); also the name of its IAM role."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.initiate_function_name))
    error_message = "A Lambda function name is 1 to 64 letters, digits, '-' or '_'."
  }
}

variable "describe_function_name" {
  type        = string
  description = "Name of the identification Lambda (Hammer: hammer-describe-cloudtrails); also the name of its IAM role, which the cross-account roles trust."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.describe_function_name))
    error_message = "A Lambda function name is 1 to 64 letters, digits, '-' or '_'."
  }
}

variable "initiate_zip_path" {
  type        = string
  description = "Path of initiate_to_desc_cloudtrails.zip built by build.mjs (handler initiate_to_desc_cloudtrails.lambda_handler)."

  validation {
    condition     = endswith(var.initiate_zip_path, "initiate_to_desc_cloudtrails.zip")
    error_message = "The initiation code is the zip initiate_to_desc_cloudtrails.zip of build.mjs: its file name gives the handler."
  }
}

variable "describe_zip_path" {
  type        = string
  description = "Path of describe_cloudtrails.zip built by build.mjs (handler describe_cloudtrails.lambda_handler)."

  validation {
    condition     = endswith(var.describe_zip_path, "describe_cloudtrails.zip")
    error_message = "The identification code is the zip describe_cloudtrails.zip of build.mjs: its file name gives the handler."
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

variable "initiate_memory_size" {
  type        = number
  description = "Memory of the initiation Lambda in MB (Hammer: 128)."
  default     = 128

  validation {
    condition     = var.initiate_memory_size >= 128 && var.initiate_memory_size <= 10240 && floor(var.initiate_memory_size) == var.initiate_memory_size
    error_message = "Lambda memory is a whole number of MB from 128 to 10240."
  }
}

variable "initiate_timeout" {
  type        = number
  description = "Timeout of the initiation Lambda in seconds (Hammer: 300)."
  default     = 300

  validation {
    condition     = var.initiate_timeout >= 1 && var.initiate_timeout <= 900 && floor(var.initiate_timeout) == var.initiate_timeout
    error_message = "A Lambda timeout is a whole number of seconds from 1 to 900."
  }
}

variable "describe_memory_size" {
  type        = number
  description = "Memory of the identification Lambda in MB (Hammer: 256)."
  default     = 256

  validation {
    condition     = var.describe_memory_size >= 128 && var.describe_memory_size <= 10240 && floor(var.describe_memory_size) == var.describe_memory_size
    error_message = "Lambda memory is a whole number of MB from 128 to 10240."
  }
}

variable "describe_timeout" {
  type        = number
  description = "Timeout of the identification Lambda in seconds (Hammer: 300). Regions it cannot finish in time are republished to the topic."
  default     = 300

  validation {
    condition     = var.describe_timeout >= 1 && var.describe_timeout <= 900 && floor(var.describe_timeout) == var.describe_timeout
    error_message = "A Lambda timeout is a whole number of seconds from 1 to 900."
  }
}

variable "describe_reserved_concurrent_executions" {
  type        = number
  description = "Reserved concurrency of the identification Lambda, to cap how much of the account's Lambda concurrency a scan takes; -1 leaves it unreserved."
  default     = -1

  validation {
    condition     = var.describe_reserved_concurrent_executions >= -1 && floor(var.describe_reserved_concurrent_executions) == var.describe_reserved_concurrent_executions
    error_message = "describe_reserved_concurrent_executions is -1 (unreserved) or a whole number >= 0."
  }
}

variable "log_retention_in_days" {
  type        = number
  description = "Retention of the Lambdas' log groups in days (Hammer kept 7)."
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
  description = "Name of the EventBridge rule that starts a scan (Hammer: hammer-InitiateEvaluationCloudTrails)."

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.schedule_rule_name))
    error_message = "An EventBridge rule name is 1 to 64 letters, digits, '.', '-' or '_'."
  }
}

variable "identification_schedule" {
  type        = string
  description = "When scans start: the hours, day-of-month, month, day-of-week and year fields of an EventBridge cron; the minute is fixed at 15 (default \"* * * ? *\", as in Hammer: minute 15 of every hour). Validated as EventBridge validates cron expressions: exactly one of day-of-month and day-of-week is ?."
  default     = "* * * ? *"

  validation {
    condition     = length(regexall("\\S+", var.identification_schedule)) == 5
    error_message = "identification_schedule must hold exactly the 5 EventBridge cron fields after the minute: hours day-of-month month day-of-week year, e.g. \"* * * ? *\"."
  }

  validation {
    condition     = try((regexall("\\S+", var.identification_schedule)[1] == "?") != (regexall("\\S+", var.identification_schedule)[3] == "?"), false)
    error_message = "identification_schedule: EventBridge needs ? in exactly one of day-of-month (2nd field) and day-of-week (4th field), e.g. \"* * * ? *\" (every day) or \"8 ? * MON-FRI *\" (weekdays); \"* * * * *\" is refused by EventBridge."
  }

  validation {
    condition     = try(can(regex("(?i)^(\\*|([01]?[0-9]|2[0-3])(-([01]?[0-9]|2[0-3]))?)(/[0-9]+)?(,(\\*|([01]?[0-9]|2[0-3])(-([01]?[0-9]|2[0-3]))?)(/[0-9]+)?)*$", regexall("\\S+", var.identification_schedule)[0])), false)
    error_message = "identification_schedule: hours (1st field) must be *, 0-23, a range a-b, a list a,b or a step x/n."
  }

  validation {
    condition     = try(can(regex("(?i)^(\\?|((\\*|([1-9]|[12][0-9]|3[01])(-([1-9]|[12][0-9]|3[01]))?)(/[0-9]+)?|([1-9]|[12][0-9]|3[01])W|L|LW)(,((\\*|([1-9]|[12][0-9]|3[01])(-([1-9]|[12][0-9]|3[01]))?)(/[0-9]+)?|([1-9]|[12][0-9]|3[01])W|L|LW))*)$", regexall("\\S+", var.identification_schedule)[1])), false)
    error_message = "identification_schedule: day-of-month (2nd field) must be ?, *, 1-31, a range, a list, a step, nW, L or LW."
  }

  validation {
    condition     = try(can(regex("(?i)^(\\*|([1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(-([1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))?)(/[0-9]+)?(,(\\*|([1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(-([1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))?)(/[0-9]+)?)*$", regexall("\\S+", var.identification_schedule)[2])), false)
    error_message = "identification_schedule: month (3rd field) must be *, 1-12 or JAN-DEC, a range, a list or a step."
  }

  validation {
    condition     = try(can(regex("(?i)^(\\?|((\\*|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(-([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT))?)(/[0-9]+)?|[1-7]L|L|[1-7]#[1-5])(,((\\*|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(-([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT))?)(/[0-9]+)?|[1-7]L|L|[1-7]#[1-5]))*)$", regexall("\\S+", var.identification_schedule)[3])), false)
    error_message = "identification_schedule: day-of-week (4th field) must be ?, *, 1-7 or SUN-SAT, a range, a list, a step, nL, L or n#k."
  }

  validation {
    condition     = try(can(regex("(?i)^(\\*|(19[7-9][0-9]|2[01][0-9][0-9])(-(19[7-9][0-9]|2[01][0-9][0-9]))?)(/[0-9]+)?(,(\\*|(19[7-9][0-9]|2[01][0-9][0-9])(-(19[7-9][0-9]|2[01][0-9][0-9]))?)(/[0-9]+)?)*$", regexall("\\S+", var.identification_schedule)[4])), false)
    error_message = "identification_schedule: year (5th field) must be *, 1970-2199, a range, a list or a step."
  }
}

variable "schedule_enabled" {
  type        = bool
  description = "Whether the schedule is enabled (config.json cloudtrails.enabled). The initiation Lambda also checks the flag and does nothing when it is off."
  default     = true
}

variable "topic_name" {
  type        = string
  description = "SNS topic between initiation and identification (config.json cloudtrails.topic_name, Hammer: hammer-describe-cloudtrails-lambda)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.topic_name))
    error_message = "An SNS topic name is 1 to 256 letters, digits, '-' or '_'."
  }
}

variable "topic_display_name" {
  type        = string
  description = "Display name of that topic (Hammer: hammer-describe-cloudtrails-sns)."
  default     = "hammer-describe-cloudtrails-sns"

  validation {
    condition     = length(var.topic_display_name) <= 100
    error_message = "An SNS display name is at most 100 characters."
  }
}

variable "issues_table_name" {
  type        = string
  description = "Issues table the identification Lambda reads and writes (config.json cloudtrails[\"ddb.table_name\"])."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.issues_table_name))
    error_message = "A DynamoDB table name is 3 to 255 letters, digits, '_', '-' or '.'."
  }
}

variable "api_requests_table_name" {
  type        = string
  description = "API requests table whose progress counter the identification Lambda increments for API-triggered scans (config.json api[\"ddb.table_name\"])."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.api_requests_table_name))
    error_message = "A DynamoDB table name is 3 to 255 letters, digits, '_', '-' or '.'."
  }
}

variable "issues_table_kms_key_arn" {
  type        = string
  description = "Customer-managed KMS key of the issues table, if any: the identification role gets kms:Decrypt and kms:GenerateDataKey on it through DynamoDB. null when the table uses an AWS managed or owned key."
  default     = null

  validation {
    condition     = var.issues_table_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.issues_table_kms_key_arn, "x")))
    error_message = "issues_table_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "api_requests_table_kms_key_arn" {
  type        = string
  description = "Customer-managed KMS key of the API requests table, if any (as issues_table_kms_key_arn)."
  default     = null

  validation {
    condition     = var.api_requests_table_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.api_requests_table_kms_key_arn, "x")))
    error_message = "api_requests_table_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "Customer-managed KMS key (modules/kms-key) for the log groups, the work topic and the alarm topic created here; the Lambdas' roles get kms:Decrypt and kms:GenerateDataKey on it through SNS. null: log groups under CloudWatch Logs' own encryption, the work topic under alias/aws/sns, the alarm topic unencrypted (CloudWatch cannot publish to a topic under alias/aws/sns)."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.kms_key_arn, "x")))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "crossaccount_role_name" {
  type        = string
  description = "Role the identification Lambda assumes in each controlled account (config.json aws.role_name_identification)."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.crossaccount_role_name))
    error_message = "An IAM role name is 1 to 64 characters of letters, digits and +=,.@_-."
  }
}

variable "crossaccount_account_ids" {
  type        = list(string)
  description = "Controlled accounts whose cross-account role the identification Lambda may assume (the checked accounts but the master account)."

  validation {
    condition     = alltrue([for id in var.crossaccount_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "Every account id must have 12 digits."
  }
}

variable "discover_regions" {
  type        = bool
  description = "Grant ec2:DescribeRegions, which the Lambdas call when config.json has no aws.regions."
  default     = true
}

variable "dead_letter_queue_name" {
  type        = string
  description = "SQS queue that receives the events of asynchronous invocations that failed after Lambda's retries (on-failure destination)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,80}$", var.dead_letter_queue_name))
    error_message = "An SQS queue name is 1 to 80 letters, digits, '-' or '_'."
  }
}

variable "alarm_topic_name" {
  type        = string
  description = "Name of the SNS topic created for alarms (Hammer: hammer-identification-errors) when alarm_topic_arn is null."
  default     = "hammer-identification-errors"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.alarm_topic_name))
    error_message = "An SNS topic name is 1 to 256 letters, digits, '-' or '_'."
  }
}

variable "alarm_topic_arn" {
  type        = string
  description = "An existing SNS topic for the alarms (e.g. Python Hammer's hammer-identification-errors); null creates alarm_topic_name."
  default     = null

  validation {
    condition     = var.alarm_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be an SNS topic ARN or null."
  }
}

variable "alarm_email_addresses" {
  type        = list(string)
  description = "E-mail addresses subscribed to the alarm topic this module creates (each must confirm the subscription)."
  default     = []

  validation {
    condition     = alltrue([for address in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+$", address))])
    error_message = "Every alarm e-mail address must look like name@example.com."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into every taggable resource."
  default     = {}
}
