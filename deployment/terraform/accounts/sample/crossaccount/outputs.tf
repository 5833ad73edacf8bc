output "account_id" {
  description = "The controlled account this state manages."
  value       = local.account_id

  precondition {
    condition     = contains(module.settings.crossaccount_account_ids, local.account_id)
    error_message = "Account ${local.account_id} is not a controlled account that identification checks (config.json aws.accounts / cloudtrails.accounts, minus ignore_accounts and the master account ${module.settings.main_account_id}). Select the workspace named after the account: terraform workspace select -or-create <account id>."
  }
}

output "role_arn" {
  description = "ARN of the cross-account role identification assumes (created here, or Hammer's)."
  value       = "arn:${local.partition}:iam::${local.account_id}:role/${module.settings.role_name_identification}"
}

output "created_role" {
  description = "Whether this state created the role (false beside Hammer: the role is Hammer's)."
  value       = length(module.crossaccount_role) > 0
}

output "hammer_role_inline_policy" {
  description = "The inline policy added to Hammer's role (JSON; null unless add_cloudtrail_read_policy beside Hammer)."
  value       = one(aws_iam_role_policy.cloudtrail_read_on_hammer_role[*].policy)
}

output "hammer_role_securityhub_policy" {
  description = "The Security Hub import added to Hammer's role (JSON; null unless cloudtrails.securityhub beside Hammer)."
  value       = one(aws_iam_role_policy.securityhub_import_on_hammer_role[*].policy)
}

output "trusted_role_arn" {
  description = "The master account's identification role, which the role trusts (the master environment's output identification_role_arn); with cloudtrails.securityhub the reporting role too."
  value       = "arn:${local.partition}:iam::${module.settings.main_account_id}:role/${module.settings.names.describe_function}"
}

output "assume_role_policy" {
  description = "Trust policy of the role created here (JSON; null beside Hammer)."
  value       = one(module.crossaccount_role[*].assume_role_policy)
}

output "policy" {
  description = "Permission policy of the role created here (JSON; null beside Hammer)."
  value       = one(module.crossaccount_role[*].policy)
}

output "remediation_role" {
  description = "The remediation role of this account (null unless cloudtrails.remediation is true and the account is a remediation account): name, ARN, trust policy and permission policy (JSON)."
  value = length(module.remediation_role) == 0 ? null : {
    name               = module.remediation_role[0].role_name
    arn                = module.remediation_role[0].role_arn
    assume_role_policy = module.remediation_role[0].assume_role_policy
    policy             = module.remediation_role[0].policy
  }
}

output "remediation_policy_on_hammer_role" {
  description = "Beside Hammer, in a remediation account: the inline policy added to Hammer's aws.role_name_reporting role (name, role, policy JSON); null otherwise."
  value = length(aws_iam_role_policy.remediation_on_hammer_role) == 0 ? null : {
    name   = aws_iam_role_policy.remediation_on_hammer_role[0].name
    role   = aws_iam_role_policy.remediation_on_hammer_role[0].role
    policy = aws_iam_role_policy.remediation_on_hammer_role[0].policy
  }
}
