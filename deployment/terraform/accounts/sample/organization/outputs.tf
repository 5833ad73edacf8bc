output "account_id" {
  description = "The account this state manages (management account or delegated administrator)."
  value       = local.account_id

  precondition {
    condition     = can(regex("^[0-9]{12}$", local.account_id))
    error_message = "Give account_id, or config.json aws.organization.account_id: the management account or the delegated administrator."
  }

  precondition {
    condition     = length(var.stack_set_targets) == 0 || var.regions != null || module.settings.regions != null
    error_message = "The StackSet needs the checked regions: set config.json aws.regions or the variable regions."
  }
}

output "reader_role" {
  description = "The role aws.organization's Lambdas assume (null when not created here): name, ARN, trust policy and permission policy (JSON)."
  value = length(aws_iam_role.reader) == 0 ? null : {
    name               = aws_iam_role.reader[0].name
    arn                = aws_iam_role.reader[0].arn
    assume_role_policy = aws_iam_role.reader[0].assume_role_policy
    policy             = aws_iam_role_policy.reader[0].policy
  }
}

output "trusted_role_arns" {
  description = "The master account's Lambda roles the reader role trusts, and (describe_function) the one the cross-account role trusts."
  value       = local.role_arn
}

output "stack_set" {
  description = "The StackSet (null without stack_set_targets): settings, instances by region, and the template (JSON)."
  value = length(var.stack_set_targets) == 0 ? null : {
    settings      = module.organization_stackset[0].stack_set
    instances     = module.organization_stackset[0].instances
    template_body = module.organization_stackset[0].template_body
  }
}
