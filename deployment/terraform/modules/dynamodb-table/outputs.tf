locals {
  created_tables = merge(
    { issues = aws_dynamodb_table.issues },
    { for table in aws_dynamodb_table.credentials : "credentials" => table },
    { for table in aws_dynamodb_table.api_requests : "api_requests" => table },
  )
}

output "issues_table_name" {
  description = "Name of the issues table."
  value       = aws_dynamodb_table.issues.name
}

output "credentials_table_name" {
  description = "Name of the credentials table (created here or not)."
  value       = var.credentials_table_name
}

output "api_requests_table_name" {
  description = "Name of the API requests table (created here or not)."
  value       = var.api_requests_table_name
}

output "tables" {
  description = "Every table this module created, by role (issues, credentials, api_requests): name, ARN, keys, billing mode, point-in-time recovery, encryption and deletion protection."
  value = {
    for role, table in local.created_tables : role => {
      name                        = table.name
      arn                         = table.arn
      hash_key                    = table.hash_key
      range_key                   = table.range_key
      attributes                  = { for attribute in table.attribute : attribute.name => attribute.type }
      billing_mode                = table.billing_mode
      point_in_time_recovery      = table.point_in_time_recovery[0].enabled
      server_side_encryption      = table.server_side_encryption[0].enabled
      deletion_protection_enabled = table.deletion_protection_enabled
    }
  }
}
