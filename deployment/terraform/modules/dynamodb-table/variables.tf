variable "issues_table_name" {
  type        = string
  description = "Issues table, config.json cloudtrails[\"ddb.table_name\"] (Hammer: hammer-cloudtrails). Keys account_id (HASH) and issue_id (RANGE, the region)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.issues_table_name))
    error_message = "A DynamoDB table name is 3 to 255 letters, digits, '_', '-' or '.'."
  }
}

variable "credentials_table_name" {
  type        = string
  description = "Credentials table, config.json credentials[\"ddb.table_name\"] (Hammer: hammer-credentials). Key service (HASH)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.credentials_table_name))
    error_message = "A DynamoDB table name is 3 to 255 letters, digits, '_', '-' or '.'."
  }
}

variable "api_requests_table_name" {
  type        = string
  description = "API requests table, config.json api[\"ddb.table_name\"] (Hammer: hammer-api-requests). Key request_id (HASH)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.api_requests_table_name))
    error_message = "A DynamoDB table name is 3 to 255 letters, digits, '_', '-' or '.'."
  }
}

variable "create_credentials_table" {
  type        = bool
  description = "Create the credentials table. Set false when it already exists (it is shared by every Hammer module, e.g. created by Python Hammer's stack)."
  default     = true
}

variable "create_api_requests_table" {
  type        = bool
  description = "Create the API requests table. Set false when it already exists (shared by every Hammer module)."
  default     = true
}

variable "deletion_protection_enabled" {
  type        = bool
  description = "Turn on DynamoDB deletion protection for the tables this module creates (they hold the findings' lifecycle and the JIRA/Slack credentials)."
  default     = true
}

variable "kms_key_arn" {
  type        = string
  description = "Customer-managed KMS key for server-side encryption of the tables; null uses the AWS managed key aws/dynamodb."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or null."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags merged into every table."
  default     = {}
}
