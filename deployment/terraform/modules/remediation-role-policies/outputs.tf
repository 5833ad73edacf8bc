output "trust_policy" {
  description = "The role's trust policy, as an object."
  value       = local.trust_policy
}

output "policy" {
  description = "The role's permissions policy, as an object."
  value       = local.policy
}
