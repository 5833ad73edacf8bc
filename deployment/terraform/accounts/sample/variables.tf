variable "config_dir" {
  type        = string
  description = "The environment's config folder (Hammer's config.json, whitelist.json, ticket_owners.json), relative to this folder. The zips must be built from the same folder."
  default     = "config"
}

variable "lambda_zip_dir" {
  type        = string
  description = "Folder holding the zips of build.mjs (initiate_to_desc_cloudtrails.zip, describe_cloudtrails.zip, create_cloudtrail_tickets.zip), relative to this folder; the repository's dist/ by default."
  default     = "../../../../dist"
}

variable "resources_prefix" {
  type        = string
  description = "Prefix of the names config.json does not give: Lambdas, roles, rules, queues, alarm topic (Hammer's ResourcesPrefix)."
  default     = "hammer-"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$", var.resources_prefix))
    error_message = "resources_prefix must be 1 to 24 letters, digits, '-' or '_', starting with a letter or digit."
  }
}

variable "identification_schedule" {
  type        = string
  description = "When scans start: the EventBridge cron fields after the minute (fixed at 15): hours day-of-month month day-of-week year, with ? in exactly one of the two day fields. Default: every hour, as in Hammer. Each field is checked in full by modules/identification."
  default     = "* * * ? *"

  validation {
    condition     = length(regexall("\\S+", var.identification_schedule)) == 5
    error_message = "identification_schedule must hold exactly 5 fields: hours day-of-month month day-of-week year, e.g. \"* * * ? *\"."
  }

  validation {
    condition     = try((regexall("\\S+", var.identification_schedule)[1] == "?") != (regexall("\\S+", var.identification_schedule)[3] == "?"), false)
    error_message = "identification_schedule: EventBridge needs ? in exactly one of day-of-month (2nd field) and day-of-week (4th field), e.g. \"* * * ? *\"; \"* * * * *\" would plan cron(15 * * * * *), which EventBridge refuses."
  }
}

variable "log_retention_in_days" {
  type        = number
  description = "Retention of every log group this environment creates, in days (Hammer kept 7)."
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "log_level" {
  type        = string
  description = "Application log level of the Lambdas."
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }
}

variable "lambda_architecture" {
  type        = string
  description = "Instruction set of the Lambdas (arm64 or x86_64)."
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_architecture)
    error_message = "lambda_architecture must be arm64 or x86_64."
  }
}

variable "initiate_memory_size" {
  type        = number
  description = "Memory of the initiation Lambda in MB (Hammer: 128)."
  default     = 128

  validation {
    condition     = var.initiate_memory_size >= 128 && var.initiate_memory_size <= 10240
    error_message = "Lambda memory is from 128 to 10240 MB."
  }
}

variable "initiate_timeout" {
  type        = number
  description = "Timeout of the initiation Lambda in seconds (Hammer: 300)."
  default     = 300

  validation {
    condition     = var.initiate_timeout >= 1 && var.initiate_timeout <= 900
    error_message = "A Lambda timeout is from 1 to 900 seconds."
  }
}

variable "describe_memory_size" {
  type        = number
  description = "Memory of the identification Lambda in MB (Hammer: 256)."
  default     = 256

  validation {
    condition     = var.describe_memory_size >= 128 && var.describe_memory_size <= 10240
    error_message = "Lambda memory is from 128 to 10240 MB."
  }
}

variable "describe_timeout" {
  type        = number
  description = "Timeout of the identification Lambda in seconds (Hammer: 300)."
  default     = 300

  validation {
    condition     = var.describe_timeout >= 1 && var.describe_timeout <= 900
    error_message = "A Lambda timeout is from 1 to 900 seconds."
  }
}

variable "reporting_memory_size" {
  type        = number
  description = "Memory of the reporting Lambda in MB."
  default     = 256

  validation {
    condition     = var.reporting_memory_size >= 128 && var.reporting_memory_size <= 10240
    error_message = "Lambda memory is from 128 to 10240 MB."
  }
}

variable "reporting_timeout" {
  type        = number
  description = "Timeout of the reporting Lambda in seconds."
  default     = 900

  validation {
    condition     = var.reporting_timeout >= 1 && var.reporting_timeout <= 900
    error_message = "A Lambda timeout is from 1 to 900 seconds."
  }
}

variable "hammer_present" {
  type        = bool
  description = "Python Hammer runs in this master account (its other modules stay). true: the environment creates none of Hammer's shared resources and uses them: the credentials and API requests tables, the alarm topic <prefix>identification-errors, the host log group /aws/ec2/<prefix>reporting-remediation, and in controlled accounts Hammer's role (crossaccount/); it adopts Hammer's issues table (import). false: a fresh account, everything is created here. The variables below override single resources."
  default     = true
}

variable "create_credentials_table" {
  type        = bool
  description = "Create the credentials table (config.json credentials[\"ddb.table_name\"]); null follows hammer_present (created only without Hammer). Turning it off once created is refused: hand the table over with a removed block (deployment/terraform/README.md)."
  default     = null
}

variable "create_api_requests_table" {
  type        = bool
  description = "Create the API requests table (config.json api[\"ddb.table_name\"]); null follows hammer_present (created only without Hammer)."
  default     = null
}

variable "create_reporting_host_log_group" {
  type        = bool
  description = "Create the host log group /aws/ec2/<prefix>reporting-remediation (and the reporting command's stream); null follows hammer_present (Hammer's reporting-remediation stack owns it)."
  default     = null
}

variable "adopt_issues_table" {
  type        = bool
  description = "Adopt an existing issues table (an import block; Hammer's ddb stack created it) instead of creating it; null follows hammer_present. An import needs AWS: for an offline preview plan set it to false (the table then shows as created)."
  default     = null
}

variable "alarm_topic_arn" {
  type        = string
  description = "SNS topic for the alarms. null: Hammer's <prefix>identification-errors in the master account when hammer_present, else a topic of that name created here."
  default     = null

  validation {
    condition     = var.alarm_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", coalesce(var.alarm_topic_arn, "x")))
    error_message = "alarm_topic_arn must be an SNS topic ARN or null."
  }
}

variable "deletion_protection_enabled" {
  type        = bool
  description = "DynamoDB deletion protection on the tables this environment manages (besides Terraform's prevent_destroy, it stops deletes from outside Terraform)."
  default     = true
}

variable "reporting_reserved_concurrency" {
  type        = number
  description = "Reserved concurrency of the reporting Lambda: 1 (Lambda runs one at a time; accounts whose concurrency quota leaves nothing to reserve refuse it) or null (default: nothing reserved; a lease in the issues table keeps one run at a time, see modules/reporting)."
  default     = null

  validation {
    condition     = var.reporting_reserved_concurrency == null || var.reporting_reserved_concurrency == 1
    error_message = "reporting_reserved_concurrency is 1 or null (the run lease); more would allow two reporting runs at once."
  }
}

variable "create_kms_key" {
  type        = bool
  description = "Create a customer-managed KMS key (alias/<prefix>cloudtrails) for the credentials table created here, the topics and the log groups, whose key policy admits only kms_key_administrator_arns, the principals that read or write credentials (the reporting role and credentials_principal_arns), the topic publishers, CloudWatch alarms and CloudWatch Logs for these log groups. false: AWS managed keys (the work topic under alias/aws/sns)."
  default     = false
}

variable "kms_key_administrator_arns" {
  type        = list(string)
  description = "The account's key administrators (IAM roles or users; include the one that runs terraform apply), required with create_kms_key."
  default     = []

  validation {
    condition     = alltrue([for arn in var.kms_key_administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[\\w+=,.@/-]+$", arn))])
    error_message = "kms_key_administrator_arns must be IAM role or user ARNs."
  }
}

variable "credentials_principal_arns" {
  type        = list(string)
  description = "Principals besides the reporting Lambda that read or write the credentials table when create_kms_key encrypts it: the role that runs the credentials command, the host that runs the reporting command."
  default     = []

  validation {
    condition     = alltrue([for arn in var.credentials_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[\\w+=,.@/-]+$", arn))])
    error_message = "credentials_principal_arns must be IAM role or user ARNs."
  }
}

variable "tables_kms_key_arn" {
  type        = string
  description = "An existing customer-managed KMS key (its policy is yours; it must allow the account's IAM policies) for the issues table and the API requests table created here, and the credentials table unless create_kms_key. The roles get kms:Decrypt and kms:GenerateDataKey on it through DynamoDB. Beside Hammer, Hammer's readers of the issues table (its CSV report, its Slack bot) need it too. null: the AWS managed key aws/dynamodb."
  default     = null

  validation {
    condition     = var.tables_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.tables_kms_key_arn, "x")))
    error_message = "tables_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "alarm_email_addresses" {
  type        = list(string)
  description = "E-mail addresses subscribed to the alarm topic when this environment creates it."
  default     = []
}

variable "create_reporting_host_policy" {
  type        = bool
  description = "Create the managed policy <prefix>reporting-cloudtrails-host for an operator's host that runs the reporting command."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into every taggable resource."
  default     = {}
}
