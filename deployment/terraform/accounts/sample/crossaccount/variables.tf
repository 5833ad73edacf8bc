variable "account_id" {
  type        = string
  description = "The controlled account to create the role in; null takes the workspace name (one workspace per account)."
  default     = null

  validation {
    condition     = var.account_id == null || can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id, or null to use the workspace name."
  }
}

variable "admin_role_name" {
  type        = string
  description = "Role that Terraform assumes in the controlled account to create the cross-account role (AWS Organizations creates OrganizationAccountAccessRole in member accounts); null uses the credentials of the environment as they are (e.g. a profile of that account)."
  default     = "OrganizationAccountAccessRole"

  validation {
    condition     = var.admin_role_name == null || can(regex("^[\\w+=,.@/-]{1,64}$", var.admin_role_name))
    error_message = "admin_role_name must be an IAM role name or null."
  }
}

variable "resources_prefix" {
  type        = string
  description = "The master environment's resources_prefix: it names the identification role this role trusts."
  default     = "hammer-"
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into the role."
  default     = {}
}

variable "hammer_present" {
  type        = bool
  description = "Python Hammer's identification-crossaccount-role stack created aws.role_name_identification in this account (hammer-cloudsec-crossact-id, trusting the master account, allowing the CloudTrail reads): use it instead of creating one (adding inline policies to it only for the opt-in features: the CloudTrail reads with add_cloudtrail_read_policy, the Security Hub import with cloudtrails.securityhub; likewise StartLogging on Hammer's aws.role_name_reporting role with cloudtrails.remediation, when that key keeps Hammer's name). false: create the roles here (a fresh account). Keep it equal to the master environment's hammer_present."
  default     = true
}

variable "add_cloudtrail_read_policy" {
  type        = bool
  description = "Beside Hammer only: attach an inline policy <prefix>cloudtrails-read with the three CloudTrail reads to Hammer's existing role, for a role that was trimmed and lacks them (Hammer's own templates grant them). The role's trust and other policies are left alone."
  default     = false
}

variable "remediation_operator_role_arn" {
  type        = string
  description = "With remediation on: the role of the operator's host that runs `npm run remediate`, trusted by the remediation role created here beside the remediation Lambda's role; null trusts the Lambda's role only. (Hammer's own remediation role, used beside Hammer, trusts the master account's root: a host role there needs no entry.)"
  default     = null

  validation {
    condition     = var.remediation_operator_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$", var.remediation_operator_role_arn))
    error_message = "remediation_operator_role_arn must be an IAM role ARN (not an account root or a user), or null."
  }
}
