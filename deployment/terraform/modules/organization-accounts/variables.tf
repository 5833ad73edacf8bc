variable "master_account_id" {
  type        = string
  description = "The master account, where the Lambdas run (config.json aws.main_account_id)."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.master_account_id))
    error_message = "master_account_id must be a 12-digit AWS account id."
  }
}

variable "organization_account_id" {
  type        = string
  description = "The account Organizations is asked in (config.json aws.organization.account_id): the management account or a delegated administrator."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.organization_account_id))
    error_message = "organization_account_id must be a 12-digit AWS account id."
  }
}

variable "reader_role_name" {
  type        = string
  description = "The role the Lambdas assume there (config.json aws.organization.role_name; the accounts/<env>/organization root creates it); null when the Lambdas ask with their own credentials (they run in the management account or a delegated administrator), which then get the Organizations reads themselves."
  default     = null

  validation {
    condition     = var.reader_role_name == null || can(regex("^[\\w+=,.@-]{1,64}$", var.reader_role_name))
    error_message = "reader_role_name must be an IAM role name."
  }
}

variable "lambda_role_names" {
  type        = map(string)
  description = "Roles of the Lambdas that read the accounts (initiate, describe, reporting, and the real-time Lambda runs as describe's): role => name."

  validation {
    condition     = length(var.lambda_role_names) > 0 && alltrue([for name in values(var.lambda_role_names) : can(regex("^[\\w+=,.@-]{1,64}$", name))])
    error_message = "lambda_role_names must map roles to IAM role names."
  }
}

variable "identification_role_key" {
  type        = string
  description = "Which of lambda_role_names assumes the cross-account role in the controlled accounts (identification)."
  default     = "describe"
}

variable "securityhub_role_key" {
  type        = string
  description = "Which of lambda_role_names also assumes the cross-account role, to import findings into Security Hub (config.json cloudtrails.securityhub: the reporting role); null: none."
  default     = null
}

variable "crossaccount_role_name" {
  type        = string
  description = "The cross-account role (config.json aws.role_name_identification): identification may assume it in any account of the organisation, which grows without a config change."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.crossaccount_role_name))
    error_message = "crossaccount_role_name must be an IAM role name."
  }
}

variable "organization_id" {
  type        = string
  description = "The organisation (o-...): the cross-account role is assumed only in its accounts (aws:ResourceOrgID). null leaves the account open (any account's role of that name)."
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must be an organisation id such as o-a1b2c3d4e5."
  }
}
