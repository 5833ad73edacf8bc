# The role aws.organization's Lambdas assume in the management account (or a
# delegated administrator) to list the organisation's accounts: it trusts
# only those Lambdas' roles and only lists accounts and OUs.

data "aws_partition" "current" {}

locals {
  trust_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "HammerLambdasOnly"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${var.master_account_id}:root" }
      Condition = { ArnEquals = { "aws:PrincipalArn" = sort(distinct(var.trusted_role_arns)) } }
    }]
  }

  # ListAccounts has no resource type: "*" is the only resource AWS accepts.
  policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ListOrganizationAccounts"
      Effect   = "Allow"
      Action   = ["organizations:ListAccounts", "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"]
      Resource = ["*"]
    }]
  }
}

resource "aws_iam_role" "this" {
  name               = var.role_name
  description        = "Hammer: lists the organisation's accounts for the CloudTrail checks of account ${var.master_account_id}"
  assume_role_policy = jsonencode(local.trust_policy)
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.role_name}-list-accounts"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.policy)
}
