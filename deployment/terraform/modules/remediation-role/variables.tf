variable "role_name" {
  type        = string
  description = "Name of the role (config.json aws.role_name_reporting, Hammer: hammer-cloudsec-crossact-ec2)."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "An IAM role name is 1 to 64 characters of letters, digits and +=,.@_-."
  }
}

variable "account_id" {
  type        = string
  description = "The controlled account the role is created in: the only account whose trails it may start."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "master_account_id" {
  type        = string
  description = "The master account, where the remediation Lambda runs (config.json aws.main_account_id)."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.master_account_id))
    error_message = "master_account_id must be a 12-digit AWS account id."
  }
}

variable "trusted_role_arns" {
  type        = list(string)
  description = "The roles allowed to assume this role: the remediation Lambda's role (the master stack's remediation role ARN) and, optionally, the operator role of the host that runs the remediation command."

  validation {
    condition     = length(var.trusted_role_arns) >= 1 && alltrue([for arn in var.trusted_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", arn))])
    error_message = "trusted_role_arns must hold at least one IAM role ARN, and only role ARNs (no account root, user or wildcard)."
  }
}

variable "max_session_duration" {
  type        = number
  description = "Longest session the role gives, in seconds (remediation asks for 3600)."
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration is from 3600 to 43200 seconds."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into the role."
  default     = {}
}
