variable "config_dir" {
  type        = string
  description = "The environment's config folder, relative to this folder (the master environment's, so both sides read the same names)."
  default     = "../config"
}

variable "account_id" {
  type        = string
  description = "The management account, or the delegated administrator of CloudFormation StackSets (and of Organizations, for the reader role); null takes config.json aws.organization.account_id."
  default     = null

  validation {
    condition     = var.account_id == null || can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id, or null for aws.organization.account_id."
  }
}

variable "admin_role_arn" {
  type        = string
  description = "Role Terraform assumes in that account; null uses the credentials as they are (a profile of that account)."
  default     = null

  validation {
    condition     = var.admin_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", var.admin_role_arn))
    error_message = "admin_role_arn must be an IAM role ARN or null."
  }
}

variable "call_as" {
  type        = string
  description = "SELF in the management account, DELEGATED_ADMIN in a CloudFormation delegated administrator."
  default     = "SELF"

  validation {
    condition     = contains(["SELF", "DELEGATED_ADMIN"], var.call_as)
    error_message = "call_as must be SELF or DELEGATED_ADMIN."
  }
}

variable "stack_set_targets" {
  type        = list(string)
  description = "Where the StackSet deploys the cross-account role (and the forwarding rules): OU ids (ou-...), or the root id (r-...) for the whole organisation. Empty: no StackSet."
  default     = []

  validation {
    condition     = alltrue([for id in var.stack_set_targets : can(regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$", id))])
    error_message = "stack_set_targets must be root ids (r-...) or OU ids (ou-...-...)."
  }
}

variable "regions" {
  type        = list(string)
  description = "The StackSet's regions (the checked regions); null takes config.json aws.regions, which must then be set."
  default     = null
}

variable "realtime" {
  type        = bool
  description = "The master environment deploys the real-time path (its var.realtime.enabled): the StackSet adds the forwarding rules to its bus."
  default     = false
}

variable "create_reader_role" {
  type        = bool
  description = "Create the role of config.json aws.organization.role_name in this account (it must be the account aws.organization.account_id names)."
  default     = true
}

variable "resources_prefix" {
  type        = string
  description = "The master environment's resources_prefix: it names the roles trusted and the event bus."
  default     = "hammer-"
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into every taggable resource."
  default     = {}
}

variable "remediation_operator_role_arn" {
  type        = string
  description = "With remediation on: the role of the operator's host that runs `npm run remediate`, trusted by the StackSet's remediation role beside the remediation Lambda's role; null trusts the Lambda's role only."
  default     = null

  validation {
    condition     = var.remediation_operator_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", var.remediation_operator_role_arn))
    error_message = "remediation_operator_role_arn must be an IAM role ARN (not an account root or a user), or null."
  }
}
