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
  description = "When scans start: the EventBridge cron fields after the minute (fixed at 15): hours day-of-month month day-of-week year. Default: every hour, as in Hammer."
  default     = "* * * ? *"

  validation {
    condition     = length(regexall("\\S+", var.identification_schedule)) == 5
    error_message = "identification_schedule must hold exactly 5 fields: hours day-of-month month day-of-week year, e.g. \"* * * ? *\"."
  }
}

variable "log_retention_in_days" {
  type        = number
  description = "Retention of every log group in days (Hammer: 7)."
  default     = 7

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

variable "deletion_protection_enabled" {
  type        = bool
  description = "DynamoDB deletion protection on the tables (turn off only to destroy the environment)."
  default     = true
}

variable "create_credentials_table" {
  type        = bool
  description = "Create the credentials table; false when it exists already (e.g. made by Python Hammer for its other modules)."
  default     = true
}

variable "create_api_requests_table" {
  type        = bool
  description = "Create the API requests table; false when it exists already."
  default     = true
}

variable "alarm_topic_arn" {
  type        = string
  description = "An existing SNS topic for the alarms (e.g. Python Hammer's hammer-identification-errors); null creates <prefix>identification-errors."
  default     = null
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
