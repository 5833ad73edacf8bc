variable "account_id" {
  type        = string
  description = "The master account (config.json aws.main_account_id): exact ARNs for the policies."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "function_name" {
  type        = string
  description = "Name of the real-time Lambda (e.g. hammer-realtime-cloudtrails)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "A Lambda function name is 1 to 64 letters, digits, '-' or '_'."
  }
}

variable "zip_path" {
  type        = string
  description = "Path of realtime_to_desc_cloudtrails.zip built by build.mjs (handler realtime_to_desc_cloudtrails.lambda_handler)."

  validation {
    condition     = endswith(var.zip_path, "realtime_to_desc_cloudtrails.zip")
    error_message = "The real-time code is the zip realtime_to_desc_cloudtrails.zip of build.mjs: its file name gives the handler."
  }
}

variable "identification_role_name" {
  type        = string
  description = "The identification Lambda's role (modules/identification, named after describe_function_name). The real-time Lambda runs as it: the controlled accounts' cross-account role trusts that one principal, and the real-time path reads a trail's scope (DescribeTrails) through it. This module adds the real-time path's own permissions to it."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.identification_role_name))
    error_message = "An IAM role name is 1 to 64 characters of letters, digits and +=,.@_-."
  }
}

variable "identification_role_arn" {
  type        = string
  description = "ARN of that role."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", var.identification_role_arn))
    error_message = "identification_role_arn must be an IAM role ARN."
  }
}

variable "topic_arn" {
  type        = string
  description = "The identification topic (config.json cloudtrails.topic_name): rescans are published there as Hammer's scan message."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[\\w-]+$", var.topic_arn))
    error_message = "topic_arn must be an SNS topic ARN."
  }
}

variable "event_bus_name" {
  type        = string
  description = "Name of the event bus the controlled accounts forward to."

  validation {
    condition     = can(regex("^[\\w.-]{1,256}$", var.event_bus_name)) && var.event_bus_name != "default"
    error_message = "event_bus_name must be a custom bus name (letters, digits, _.-), not default."
  }
}

variable "rule_name" {
  type        = string
  description = "Name of the rules on that bus and on the master account's default bus."

  validation {
    condition     = can(regex("^[\\w.-]{1,64}$", var.rule_name))
    error_message = "An EventBridge rule name is 1 to 64 letters, digits or _.-."
  }
}

variable "queue_name" {
  type        = string
  description = "Name of the SQS queue between the rules and the Lambda; its dead-letter queue is <queue_name>-dlq."

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,76}$", var.queue_name))
    error_message = "queue_name must be 1 to 76 letters, digits, '-' or '_' (the dead-letter queue adds -dlq)."
  }
}

variable "table_name" {
  type        = string
  description = "Name of the debounce table (hash key id, TTL expires_at)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "A DynamoDB table name is 3 to 255 letters, digits or _.-."
  }
}

variable "debounce_seconds" {
  type        = number
  description = "The debounce window: the queue's delivery delay. Calls of one account and region made within it lead to one rescan. With the scan itself, the finding is in the table about this long plus a few seconds after the call; keep it at most 40 for the 60-second goal."
  default     = 15

  validation {
    condition     = var.debounce_seconds >= 0 && var.debounce_seconds <= 300 && floor(var.debounce_seconds) == var.debounce_seconds
    error_message = "debounce_seconds is a whole number from 0 to 300."
  }
}

variable "organization_id" {
  type        = string
  description = "The organisation (o-...) whose accounts may put events on the bus (aws:PrincipalOrgID); null admits source_account_ids instead."
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must be an organisation id such as o-a1b2c3d4e5."
  }
}

variable "source_account_ids" {
  type        = list(string)
  description = "Without organization_id: the accounts whose events the bus admits (the checked accounts)."
  default     = []

  validation {
    condition     = alltrue([for id in var.source_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "source_account_ids must be 12-digit AWS account ids."
  }
}

variable "forward_own_account" {
  type        = bool
  description = "Also watch the master account's own calls in its main region (a rule on its default bus sending to the queue). Its other regions, and other accounts, forward through the StackSet or the forwarding template."
  default     = true
}

variable "forwarded_event_names" {
  type        = list(string)
  description = "CloudTrail API calls the rules match (detail.eventName)."
  default     = ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "CreateTrail", "StartLogging"]

  validation {
    condition     = length(var.forwarded_event_names) > 0 && alltrue([for name in var.forwarded_event_names : can(regex("^[A-Z][A-Za-z]+$", name))])
    error_message = "forwarded_event_names must list CloudTrail API operation names such as StopLogging."
  }
}

variable "credentials_table_name" {
  type        = string
  description = "The credentials table, read for the Slack token of the opt-in alert (cloudtrails.realtime.slack_alert); null grants no read."
  default     = null
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

variable "credentials_table_kms_key_arn" {
  type        = string
  description = "The customer-managed KMS key of the credentials table, if any: the Slack token's read needs kms:Decrypt on it (and the key's policy must admit the identification role)."
  default     = null

  validation {
    condition     = var.credentials_table_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[\\w-]+$", var.credentials_table_kms_key_arn))
    error_message = "credentials_table_kms_key_arn must be a KMS key ARN."
  }
}

variable "discover_regions" {
  type        = bool
  description = "config.json has no aws.regions: the Lambda asks EC2 DescribeRegions for them."
  default     = false
}

variable "runtime" {
  type        = string
  description = "Lambda runtime (the bundles run on Node.js 20 and 22)."
  default     = "nodejs22.x"

  validation {
    condition     = contains(["nodejs20.x", "nodejs22.x"], var.runtime)
    error_message = "runtime must be nodejs20.x or nodejs22.x."
  }
}

variable "architecture" {
  type        = string
  description = "Instruction set of the Lambda (arm64 or x86_64)."
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  type        = number
  description = "Memory of the Lambda in MB."
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "Lambda memory is from 128 to 10240 MB."
  }
}

variable "timeout" {
  type        = number
  description = "Timeout of the Lambda in seconds (a batch is a few calls; the queue's visibility timeout is six times this)."
  default     = 60

  validation {
    condition     = var.timeout >= 10 && var.timeout <= 900
    error_message = "timeout is from 10 to 900 seconds."
  }
}

variable "log_retention_in_days" {
  type        = number
  description = "Retention of the Lambda's log group in days."
  default     = 7

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs accepts."
  }
}

variable "log_level" {
  type        = string
  description = "Application log level of the Lambda."
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }
}

variable "alarm_topic_arn" {
  type        = string
  description = "SNS topic of the alarms (the environment's alarm topic)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[\\w-]+$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be an SNS topic ARN."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into every taggable resource."
  default     = {}
}
