# The trust and the policy of the cross-account role, as documents (no
# resource): one copy for the two ways an account gets the role, the
# per-account modules/crossaccount-role and the organisation's
# modules/organization-stackset, so both always give the same role.
#
# The master account as principal, narrowed to one role by aws:PrincipalArn:
# unlike a role ARN principal, this can be created before that role exists and
# keeps working when it is recreated (a role ARN principal is pinned to the
# role's unique id and silently breaks).

module "read" {
  source = "../cloudtrail-read-statements"

  partition = var.partition
}

locals {
  trust_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "IdentificationLambdaOnly"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = "arn:${var.partition}:iam::${var.master_account_id}:root" }
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
        Principal = { AWS = "arn:${var.partition}:iam::${var.master_account_id}:root" }
        Condition = {
          ArnEquals = { "aws:PrincipalArn" = coalesce(var.securityhub_reporting_role_arn, var.trusted_role_arn) }
        }
      }] : [],
    )
  }

  policy = {
    Version = "2012-10-17"
    Statement = concat(
      module.read.statements,
      var.securityhub_enabled ? [{
        # The account's default product in any region; Security Hub takes
        # from it only findings whose AwsAccountId is the caller's.
        Sid      = "ImportSecurityHubFindings"
        Effect   = "Allow"
        Action   = ["securityhub:BatchImportFindings"]
        Resource = ["arn:${var.partition}:securityhub:*:*:product/*/default"]
      }] : [],
    )
  }
}
