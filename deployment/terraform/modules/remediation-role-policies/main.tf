# The trust and the policy of the remediation role, as documents (no
# resource): one copy for the two ways an account gets the role, the
# per-account modules/remediation-role and the organisation's
# modules/organization-stackset.
#
# The role may read the account's trails, as the identification role does,
# and start only the account's own trails (account_id; the StackSet passes
# CloudFormation's ${AWS::AccountId} and substitutes it). It trusts only the
# given roles: each trusted role's account as principal, narrowed to the exact
# roles by aws:PrincipalArn (unlike role ARN principals, this can be created
# before those roles exist and keeps working when they are recreated).

# The rescans read every trail the account sees, organization trails included.
module "read" {
  source = "../cloudtrail-read-statements"

  partition = var.partition
}

locals {
  trusted_accounts = distinct([for arn in var.trusted_role_arns : "arn:${var.partition}:iam::${split(":", arn)[4]}:root"])

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
    Statement = concat(module.read.statements, [
      {
        # Only this account's own trails: never an organization trail of the
        # management account, whatever the code asks.
        Sid      = "StartOwnTrails"
        Effect   = "Allow"
        Action   = ["cloudtrail:StartLogging"]
        Resource = ["arn:${var.partition}:cloudtrail:*:${var.account_id}:trail/*"]
      },
    ])
  }
}

