# The module's DynamoDB tables, with Hammer's names and keys; on-demand
# billing, point-in-time recovery and server-side encryption with KMS.

resource "aws_dynamodb_table" "issues" {
  name                        = var.issues_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "account_id"
  range_key                   = "issue_id"
  deletion_protection_enabled = var.deletion_protection_enabled

  attribute {
    name = "account_id"
    type = "S"
  }

  attribute {
    name = "issue_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}

resource "aws_dynamodb_table" "credentials" {
  count = var.create_credentials_table ? 1 : 0

  name                        = var.credentials_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "service"
  deletion_protection_enabled = var.deletion_protection_enabled

  attribute {
    name = "service"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}

resource "aws_dynamodb_table" "api_requests" {
  count = var.create_api_requests_table ? 1 : 0

  name                        = var.api_requests_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "request_id"
  deletion_protection_enabled = var.deletion_protection_enabled

  attribute {
    name = "request_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}
