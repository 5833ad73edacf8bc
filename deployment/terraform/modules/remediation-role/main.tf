# The role remediation assumes in a controlled account
# (aws.role_name_reporting): it may read the account's trails, as the
# identification role does, and start only the account's own trails. It
# trusts only the remediation Lambda's role in the master account and,
# when given, one operator role (the host that runs `npm run remediate`).

data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition

  # Each trusted role's account as principal, narrowed to the exact roles by
  # aws:PrincipalArn: unlike role ARN principals, this can be created before
  # those roles exist and keeps working when they are recreated.
  trusted_accounts = distinct([for arn in var.trusted_role_arns : "arn:${local.partition}:iam::${split(":", arn)[4]}:root"])

  trust_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "RemediationOnly"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = local.trusted_accounts }
      Condition = {
        ArnEquals = { "aws:PrincipalArn" = var.trusted_role_arns }
      }
    }]
  }

  policy = {
    Version = "2012-10-17"
    Statement = [
      {
        # DescribeTrails has no resource type: "*" is the only resource AWS accepts.
        Sid      = "DescribeTrails"
        Effect   = "Allow"
        Action   = ["cloudtrail:DescribeTrails"]
        Resource = ["*"]
      },
      {
        # The rescans read every trail the account sees, organization trails
        # (whose ARN carries the management account's id) included.
        Sid      = "ReadTrailStatusAndSelectors"
        Effect   = "Allow"
        Action   = ["cloudtrail:GetEventSelectors", "cloudtrail:GetTrailStatus"]
        Resource = ["arn:${local.partition}:cloudtrail:*:*:trail/*"]
      },
      {
        # Only this account's own trails: never an organization trail of the
        # management account, whatever the code asks.
        Sid      = "StartOwnTrails"
        Effect   = "Allow"
        Action   = ["cloudtrail:StartLogging"]
        Resource = ["arn:${local.partition}:cloudtrail:*:${var.account_id}:trail/*"]
      },
    ]
  }
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "Hammer: restarts stopped CloudTrail trails of this account (remediation from account ${var.master_account_id})"
  assume_role_policy   = jsonencode(local.trust_policy)
  max_session_duration = var.max_session_duration
  tags                 = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.role_name}-cloudtrail-remediation"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.policy)
}
