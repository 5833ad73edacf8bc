variable "account_id" {
  type        = string
  description = "The account of the key and of the log groups it encrypts (config.json aws.main_account_id)."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "alias_name" {
  type        = string
  description = "Alias of the key, e.g. alias/hammer-cloudtrails."

  validation {
    condition     = can(regex("^alias/[A-Za-z0-9/_-]{1,250}$", var.alias_name)) && !startswith(var.alias_name, "alias/aws/")
    error_message = "A KMS alias is alias/ followed by 1 to 250 letters, digits, '/', '_' or '-', and may not start with alias/aws/ (reserved for AWS managed keys)."
  }
}

variable "description" {
  type        = string
  description = "Description of the key."
  default     = "Hammer CloudTrail logging issues: credentials table, topics and log groups"

  validation {
    condition     = length(var.description) <= 8192
    error_message = "A KMS key description is at most 8192 characters."
  }
}

variable "administrator_arns" {
  type        = list(string)
  description = "The account's key administrators (IAM roles or users): they manage the key (policy, rotation, deletion) and attach it to the tables, so include the principal that runs terraform apply. They cannot decrypt outside DynamoDB."

  validation {
    condition     = length(var.administrator_arns) > 0 && alltrue([for arn in var.administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[\\w+=,.@/-]+$", arn))])
    error_message = "administrator_arns must list at least one IAM role or user ARN (arn:aws:iam::<account>:role/<name>); a key nobody may administer cannot be changed or deleted."
  }
}

variable "credentials_user_arns" {
  type        = list(string)
  description = "Principals that read or write the credentials table encrypted with this key (the reporting role, the host that runs the reporting or credentials command): kms:Decrypt and kms:GenerateDataKey through DynamoDB only."
  default     = []

  validation {
    condition     = alltrue([for arn in var.credentials_user_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[\\w+=,.@/-]+$", arn))])
    error_message = "credentials_user_arns must be IAM role or user ARNs."
  }
}

variable "topic_publisher_arns" {
  type        = list(string)
  description = "Principals that publish to the topics encrypted with this key (the initiation and identification roles): kms:Decrypt and kms:GenerateDataKey through SNS only."
  default     = []

  validation {
    condition     = alltrue([for arn in var.topic_publisher_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[\\w+=,.@/-]+$", arn))])
    error_message = "topic_publisher_arns must be IAM role or user ARNs."
  }
}

variable "allow_cloudwatch_alarms" {
  type        = bool
  description = "Let CloudWatch alarms publish to a topic encrypted with this key (true when the environment creates the alarm topic)."
  default     = false
}

variable "log_group_names" {
  type        = list(string)
  description = "Log groups encrypted with this key: CloudWatch Logs may use it for these groups only."
  default     = []

  validation {
    condition     = alltrue([for name in var.log_group_names : can(regex("^[A-Za-z0-9_./#-]{1,512}$", name))])
    error_message = "A log group name is 1 to 512 letters, digits and _-./#."
  }
}

variable "deletion_window_in_days" {
  type        = number
  description = "Days between a scheduled deletion and the key's end (KMS: 7 to 30); the key has prevent_destroy, so only a deliberate removal from this configuration schedules one."
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days is a whole number from 7 to 30."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags of the key."
  default     = {}
}
