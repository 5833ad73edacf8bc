variable "partition" {
  type        = string
  description = "The AWS partition of the ARNs (aws, aws-us-gov, aws-cn)."
}

variable "account_id" {
  type        = string
  description = "The account the role is in: the only account whose trails it may start (a 12-digit id, or CloudFormation's $${AWS::AccountId} inside a template that substitutes it)."
}

variable "trusted_role_arns" {
  type        = list(string)
  description = "The roles allowed to assume the role: the remediation Lambda's role and, optionally, the operator role of the host that runs the remediation command."
}
