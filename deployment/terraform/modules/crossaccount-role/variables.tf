variable "role_name" {
  type        = string
  description = "Name of the role (config.json aws.role_name_identification, Hammer: hammer-cloudsec-crossact-id)."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "An IAM role name is 1 to 64 characters of letters, digits and +=,.@_-."
  }
}

variable "master_account_id" {
  type        = string
  description = "The master account, where the identification Lambda runs (config.json aws.main_account_id)."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.master_account_id))
    error_message = "master_account_id must be a 12-digit AWS account id."
  }
}

variable "trusted_role_arn" {
  type        = string
  description = "The identification Lambda's role in the master account, the only principal allowed to assume this role (output identification_role_arn of the environment)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", var.trusted_role_arn))
    error_message = "trusted_role_arn must be an IAM role ARN."
  }
}

variable "max_session_duration" {
  type        = number
  description = "Longest session the role gives, in seconds (identification asks for 3600)."
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration is from 3600 to 43200 seconds."
  }
}

variable "securityhub_enabled" {
  type        = bool
  description = "Whether reporting exports findings to AWS Security Hub (config.json cloudtrails.securityhub): the role then also allows securityhub:BatchImportFindings and trusts securityhub_reporting_role_arn."
  default     = false
}

variable "securityhub_reporting_role_arn" {
  type        = string
  description = "The reporting Lambda's role in the master account (output reporting_role_arn of the environment), allowed to assume this role when securityhub_enabled."
  default     = null

  validation {
    condition     = var.securityhub_reporting_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", var.securityhub_reporting_role_arn))
    error_message = "securityhub_reporting_role_arn must be an IAM role ARN."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into the role."
  default     = {}
}
