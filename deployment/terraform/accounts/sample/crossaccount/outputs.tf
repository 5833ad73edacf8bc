output "account_id" {
  description = "The controlled account this state manages."
  value       = local.account_id

  precondition {
    condition     = contains(module.settings.crossaccount_account_ids, local.account_id)
    error_message = "Account ${local.account_id} is not a controlled account that identification checks (config.json aws.accounts / cloudtrails.accounts, minus ignore_accounts and the master account ${module.settings.main_account_id}). Select the workspace named after the account: terraform workspace select -or-create <account id>."
  }
}

output "role_arn" {
  description = "ARN of the cross-account role."
  value       = module.crossaccount_role.role_arn
}

output "trusted_role_arn" {
  description = "The master account's identification role, the only principal the role trusts (the master environment's output identification_role_arn)."
  value       = "arn:${local.partition}:iam::${module.settings.main_account_id}:role/${module.settings.names.describe_function}"
}

output "assume_role_policy" {
  description = "Trust policy of the role (JSON)."
  value       = module.crossaccount_role.assume_role_policy
}

output "policy" {
  description = "Permission policy of the role (JSON)."
  value       = module.crossaccount_role.policy
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
