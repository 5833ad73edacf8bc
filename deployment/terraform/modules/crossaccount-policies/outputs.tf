output "trust_policy" {
  description = "The role's trust policy, as an object (jsonencode it for IAM, embed it in a CloudFormation template)."
  value       = local.trust_policy
}

output "policy" {
  description = "The role's permissions policy, as an object."
  value       = local.policy
}
