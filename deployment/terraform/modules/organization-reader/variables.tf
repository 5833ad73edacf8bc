variable "role_name" {
  type        = string
  description = "Name of the role (config.json aws.organization.role_name), created in the account this module is applied in: the management account or a delegated administrator (aws.organization.account_id)."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "An IAM role name is 1 to 64 characters of letters, digits and +=,.@_-."
  }
}

variable "master_account_id" {
  type        = string
  description = "The master account, where the Lambdas run (config.json aws.main_account_id)."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.master_account_id))
    error_message = "master_account_id must be a 12-digit AWS account id."
  }
}

variable "trusted_role_arns" {
  type        = list(string)
  description = "The Lambdas' roles that read the accounts (initiation, identification, reporting): the only principals the role trusts."

  validation {
    condition     = length(var.trusted_role_arns) > 0 && alltrue([for arn in var.trusted_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", arn))])
    error_message = "trusted_role_arns must list IAM role ARNs."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into the role."
  default     = {}
}
