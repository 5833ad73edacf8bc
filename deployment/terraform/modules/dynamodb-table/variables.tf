variable "role" {
  type        = string
  description = "What the table holds, as the environment names its file table_<role>.tf: issues, credentials or api_requests. Used in names of outputs and in error messages."

  validation {
    condition     = contains(["issues", "credentials", "api_requests"], var.role)
    error_message = "role must be issues, credentials or api_requests."
  }
}

variable "name" {
  type        = string
  description = "Table name from config.json: cloudtrails[\"ddb.table_name\"] (Hammer: hammer-cloudtrails), credentials[\"ddb.table_name\"] (hammer-credentials) or api[\"ddb.table_name\"] (hammer-api-requests)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "A DynamoDB table name is 3 to 255 letters, digits, '_', '-' or '.'."
  }
}

variable "hash_key" {
  type        = string
  description = "Partition key, a string attribute (Hammer: account_id for the issues table, service for the credentials table, request_id for the API requests table)."

  validation {
    condition     = length(var.hash_key) >= 1 && length(var.hash_key) <= 255
    error_message = "A DynamoDB key attribute name is 1 to 255 characters."
  }
}

variable "range_key" {
  type        = string
  description = "Sort key, a string attribute (Hammer: issue_id, the region, for the issues table); null for none."
  default     = null

  validation {
    condition     = var.range_key == null || (length(coalesce(var.range_key, "x")) >= 1 && length(coalesce(var.range_key, "x")) <= 255)
    error_message = "A DynamoDB key attribute name is 1 to 255 characters."
  }
}

variable "deletion_protection_enabled" {
  type        = bool
  description = "DynamoDB deletion protection (a second guard besides Terraform's prevent_destroy: it stops a delete from outside Terraform too)."
  default     = true
}

variable "kms_key_arn" {
  type        = string
  description = "Customer-managed KMS key for server-side encryption; null uses the AWS managed key aws/dynamodb. The roles that use the table need kms:Decrypt and kms:GenerateDataKey on it (the identification and reporting modules grant them when given the same ARN)."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.kms_key_arn, "x")))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or null."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags of the table."
  default     = {}
}
