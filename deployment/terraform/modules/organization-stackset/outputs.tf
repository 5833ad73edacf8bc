output "stack_set_name" {
  description = "Name of the StackSet."
  value       = aws_cloudformation_stack_set.this.name
}

output "stack_set" {
  description = "The StackSet: permission model, call_as, capabilities, auto-deployment (enabled, retain stacks) and tags."
  value = {
    name                             = aws_cloudformation_stack_set.this.name
    permission_model                 = aws_cloudformation_stack_set.this.permission_model
    call_as                          = aws_cloudformation_stack_set.this.call_as
    capabilities                     = sort(tolist(aws_cloudformation_stack_set.this.capabilities))
    auto_deployment_enabled          = aws_cloudformation_stack_set.this.auto_deployment[0].enabled
    retain_stacks_on_account_removal = aws_cloudformation_stack_set.this.auto_deployment[0].retain_stacks_on_account_removal
    tags                             = aws_cloudformation_stack_set.this.tags
  }
}

output "template_body" {
  description = "The CloudFormation template of every stack (JSON). Also deployable by hand (aws cloudformation deploy) in an account the StackSet cannot reach."
  value       = aws_cloudformation_stack_set.this.template_body
}

output "instances" {
  description = "Stack instances by region: the OUs they target."
  value       = { for region, instance in aws_cloudformation_stack_set_instance.this : region => sort(tolist(instance.deployment_targets[0].organizational_unit_ids)) }
}
