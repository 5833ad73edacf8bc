output "role_name" {
  description = "Name of the remediation role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the remediation role."
  value       = aws_iam_role.this.arn
}

output "assume_role_policy" {
  description = "Trust policy of the role (JSON)."
  value       = aws_iam_role.this.assume_role_policy
}

output "policy" {
  description = "Inline permission policy of the role (JSON)."
  value       = aws_iam_role_policy.this.policy
}
