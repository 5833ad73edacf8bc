output "name" {
  description = "Name of the table."
  value       = aws_dynamodb_table.this.name
}

output "arn" {
  description = "ARN of the table."
  value       = aws_dynamodb_table.this.arn
}

output "table" {
  description = "The table: name, ARN, keys, attributes, billing mode, point-in-time recovery, encryption (and its KMS key when customer-managed) and deletion protection."
  value = {
    name                        = aws_dynamodb_table.this.name
    arn                         = aws_dynamodb_table.this.arn
    hash_key                    = aws_dynamodb_table.this.hash_key
    range_key                   = aws_dynamodb_table.this.range_key
    attributes                  = { for attribute in aws_dynamodb_table.this.attribute : attribute.name => attribute.type }
    billing_mode                = aws_dynamodb_table.this.billing_mode
    point_in_time_recovery      = aws_dynamodb_table.this.point_in_time_recovery[0].enabled
    server_side_encryption      = aws_dynamodb_table.this.server_side_encryption[0].enabled
    kms_key_arn                 = var.kms_key_arn
    deletion_protection_enabled = aws_dynamodb_table.this.deletion_protection_enabled
  }
}
