variable "stack_set_name" {
  type        = string
  description = "Name of the StackSet (e.g. hammer-cloudtrails-organization)."

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,127}$", var.stack_set_name))
    error_message = "A StackSet name is 1 to 128 letters, digits and '-', starting with a letter."
  }
}

variable "call_as" {
  type        = string
  description = "SELF when Terraform runs in the management account, DELEGATED_ADMIN when it runs in a CloudFormation delegated administrator account."
  default     = "SELF"

  validation {
    condition     = contains(["SELF", "DELEGATED_ADMIN"], var.call_as)
    error_message = "call_as must be SELF or DELEGATED_ADMIN."
  }
}

variable "target_organizational_unit_ids" {
  type        = list(string)
  description = "Where the stacks go: OU ids (ou-...), or the root id (r-...) for the whole organisation. Accounts that join these OUs later get the stacks automatically."

  validation {
    condition     = length(var.target_organizational_unit_ids) > 0 && alltrue([for id in var.target_organizational_unit_ids : can(regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$", id))])
    error_message = "target_organizational_unit_ids must list at least one root id (r-...) or OU id (ou-...-...)."
  }
}

variable "regions" {
  type        = list(string)
  description = "The checked regions (config.json aws.regions): one stack instance per account and region, holding the event forwarding rule."

  validation {
    condition     = length(var.regions) > 0 && alltrue([for region in var.regions : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", region))])
    error_message = "regions must list at least one AWS region, such as eu-west-1."
  }
}

variable "role_region" {
  type        = string
  description = "The one region whose stack holds the cross-account role (IAM is global): the main region, config.json aws.region. Must be one of regions."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.role_region))
    error_message = "role_region must be an AWS region, such as eu-west-1."
  }
}

variable "role_name" {
  type        = string
  description = "Name of the cross-account role (config.json aws.role_name_identification, Hammer: hammer-cloudsec-crossact-id)."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "An IAM role name is 1 to 64 characters of letters, digits and +=,.@_-."
  }
}

variable "master_account_id" {
  type        = string
  description = "The master account, where identification runs (config.json aws.main_account_id)."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.master_account_id))
    error_message = "master_account_id must be a 12-digit AWS account id."
  }
}

variable "trusted_role_arn" {
  type        = string
  description = "The identification Lambda's role in the master account, the only principal the cross-account role trusts (the environment's output identification_role_arn)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", var.trusted_role_arn))
    error_message = "trusted_role_arn must be an IAM role ARN."
  }
}

variable "securityhub_enabled" {
  type        = bool
  description = "Whether reporting exports findings to AWS Security Hub (config.json cloudtrails.securityhub): the role then also allows securityhub:BatchImportFindings and trusts securityhub_reporting_role_arn."
  default     = false
}

variable "securityhub_reporting_role_arn" {
  type        = string
  description = "The reporting Lambda's role in the master account, allowed to assume the role when securityhub_enabled (required then)."
  default     = null

  validation {
    condition     = var.securityhub_reporting_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", var.securityhub_reporting_role_arn))
    error_message = "securityhub_reporting_role_arn must be an IAM role ARN."
  }
}

variable "remediation" {
  type = object({
    role_name         = string
    trusted_role_arns = list(string)
    account_ids       = list(string)
  })
  description = "The remediation role (config.json cloudtrails.remediation): its name (aws.role_name_reporting), the roles it trusts (the remediation Lambda's role, and optionally the operator's), and the accounts to create it in (cloudtrails.remediation_accounts; in the stack of role_region only). null (the default): no remediation role."
  default     = null

  validation {
    condition     = var.remediation == null || (length(try(var.remediation.account_ids, [])) >= 1 && length(try(var.remediation.account_ids, [])) <= 100 && alltrue([for id in try(var.remediation.account_ids, []) : can(regex("^[0-9]{12}$", id))]))
    error_message = "remediation.account_ids: 1 to 100 twelve-digit account ids (the template's condition holds at most 100)."
  }

  validation {
    condition     = var.remediation == null || (length(try(var.remediation.trusted_role_arns, [])) >= 1 && alltrue([for arn in try(var.remediation.trusted_role_arns, []) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", arn))]))
    error_message = "remediation.trusted_role_arns: at least one IAM role ARN."
  }
}

variable "max_session_duration" {
  type        = number
  description = "Longest session the cross-account role gives, in seconds (identification asks for 3600)."
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration is from 3600 to 43200 seconds."
  }
}

variable "event_bus_arn" {
  type        = string
  description = "The master account's event bus of the real-time path (output of modules/realtime); null deploys the cross-account role only, without forwarding rules."
  default     = null

  validation {
    condition     = var.event_bus_arn == null || can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[\\w.-]+$", var.event_bus_arn))
    error_message = "event_bus_arn must be an EventBridge event bus ARN."
  }
}

variable "forwarding_name" {
  type        = string
  description = "Name of the forwarding rule in every account and region, and prefix of its role's name (the role is <name>-<region>, IAM being global)."
  default     = "hammer-cloudtrails-forward"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,40}$", var.forwarding_name))
    error_message = "forwarding_name must be 1 to 40 letters, digits or _.- (the role name adds -<region>)."
  }
}

variable "forwarded_event_names" {
  type        = list(string)
  description = "CloudTrail API calls forwarded to the master account (detail.eventName of the rule's pattern); the realtime Lambda watches these."
  default     = ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "CreateTrail", "StartLogging"]

  validation {
    condition     = length(var.forwarded_event_names) > 0 && alltrue([for name in var.forwarded_event_names : can(regex("^[A-Z][A-Za-z]+$", name))])
    error_message = "forwarded_event_names must list CloudTrail API operation names such as StopLogging."
  }
}

variable "max_concurrent_percentage" {
  type        = number
  description = "Accounts deployed at once, in percent of the targets, per region."
  default     = 25

  validation {
    condition     = var.max_concurrent_percentage >= 1 && var.max_concurrent_percentage <= 100
    error_message = "max_concurrent_percentage is from 1 to 100."
  }
}

variable "failure_tolerance_percentage" {
  type        = number
  description = "Accounts that may fail per region, in percent, before CloudFormation stops the operation there."
  default     = 10

  validation {
    condition     = var.failure_tolerance_percentage >= 0 && var.failure_tolerance_percentage <= 100
    error_message = "failure_tolerance_percentage is from 0 to 100."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into the StackSet and every resource of its stacks."
  default     = {}
}
