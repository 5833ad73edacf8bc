# The role identification assumes in a controlled account: it trusts only the
# master account's identification role and only reads CloudTrail. With
# securityhub_enabled, it also trusts the reporting role and may import the
# account's findings into Security Hub (securityhub:BatchImportFindings only).

data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition

  # The master account as principal, narrowed to one role by aws:PrincipalArn:
  # unlike a role ARN principal, this can be created before that role exists
  # and keeps working when it is recreated (a role ARN principal is pinned to
  # the role's unique id and silently breaks).
  trust_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "IdentificationLambdaOnly"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = "arn:${local.partition}:iam::${var.master_account_id}:root" }
        Condition = {
          ArnEquals = { "aws:PrincipalArn" = var.trusted_role_arn }
        }
      }],
      # The Security Hub export imports each account's findings from inside
      # the account (the default product ARN accepts no other caller).
      var.securityhub_enabled ? [{
        Sid       = "ReportingLambdaForSecurityHub"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = "arn:${local.partition}:iam::${var.master_account_id}:root" }
        Condition = {
          ArnEquals = { "aws:PrincipalArn" = coalesce(var.securityhub_reporting_role_arn, var.trusted_role_arn) }
        }
      }] : [],
    )
  }

  policy = {
    Version = "2012-10-17"
    Statement = concat([
      {
        # DescribeTrails has no resource type: "*" is the only resource AWS accepts.
        Sid      = "DescribeTrails"
        Effect   = "Allow"
        Action   = ["cloudtrail:DescribeTrails"]
        Resource = ["*"]
      },
      {
        # Trails of any account: an organization trail's ARN carries the
        # management account's id.
        Sid      = "ReadTrailStatusAndSelectors"
        Effect   = "Allow"
        Action   = ["cloudtrail:GetEventSelectors", "cloudtrail:GetTrailStatus"]
        Resource = ["arn:${local.partition}:cloudtrail:*:*:trail/*"]
      },
      ],
      var.securityhub_enabled ? [{
        # The account's default product in any region; Security Hub takes
        # from it only findings whose AwsAccountId is the caller's.
        Sid      = "ImportSecurityHubFindings"
        Effect   = "Allow"
        Action   = ["securityhub:BatchImportFindings"]
        Resource = ["arn:${local.partition}:securityhub:*:*:product/*/default"]
      }] : [],
    )
  }
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "Hammer: read-only CloudTrail checks by the identification Lambda of account ${var.master_account_id}"
  assume_role_policy   = jsonencode(local.trust_policy)
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
  policy = jsonencode(local.policy)
}
