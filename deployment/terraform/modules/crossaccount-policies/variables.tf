variable "partition" {
  type        = string
  description = "The AWS partition of the ARNs (aws, aws-us-gov, aws-cn)."
}

variable "master_account_id" {
  type        = string
  description = "The master account, where the identification Lambda runs (config.json aws.main_account_id)."
}

variable "trusted_role_arn" {
  type        = string
  description = "The identification Lambda's role in the master account, the only principal allowed to assume the role."
}

variable "securityhub_enabled" {
  type        = bool
  description = "Whether reporting exports findings to AWS Security Hub (config.json cloudtrails.securityhub): the role then also allows securityhub:BatchImportFindings and trusts securityhub_reporting_role_arn."
  default     = false
}

variable "securityhub_reporting_role_arn" {
  type        = string
  description = "The reporting Lambda's role in the master account, allowed to assume the role when securityhub_enabled."
  default     = null
}
