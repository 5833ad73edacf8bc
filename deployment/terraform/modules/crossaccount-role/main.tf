# The role identification assumes in a controlled account: it trusts only the
# master account's identification role and only reads CloudTrail. With
# securityhub_enabled, it also trusts the reporting role and may import the
# account's findings into Security Hub (securityhub:BatchImportFindings only).

data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
}

# The trust and the policy, shared with modules/organization-stackset.
module "documents" {
  source = "../crossaccount-policies"

  partition                      = local.partition
  master_account_id              = var.master_account_id
  trusted_role_arn               = var.trusted_role_arn
  securityhub_enabled            = var.securityhub_enabled
  securityhub_reporting_role_arn = var.securityhub_reporting_role_arn
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "Hammer: read-only CloudTrail checks by the identification Lambda of account ${var.master_account_id}"
  assume_role_policy   = jsonencode(module.documents.trust_policy)
  max_session_duration = var.max_session_duration
  tags                 = var.tags

  lifecycle {
    precondition {
      condition     = !var.securityhub_enabled || var.securityhub_reporting_role_arn != null
      error_message = "securityhub_enabled needs securityhub_reporting_role_arn, the reporting Lambda's role that imports the findings."
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.role_name}-cloudtrail-read"
  role   = aws_iam_role.this.id
  policy = jsonencode(module.documents.policy)
}
