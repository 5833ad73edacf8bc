output "key_arn" {
  description = "ARN of the key (give it to the tables, topics and log groups)."
  value       = aws_kms_key.this.arn
}

output "alias_name" {
  description = "Alias of the key."
  value       = aws_kms_alias.this.name
}

output "policy" {
  description = "Key policy (JSON)."
  value       = aws_kms_key.this.policy
}
