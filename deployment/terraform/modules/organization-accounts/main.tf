# What aws.organization needs in the master account: the Lambdas' right to
# read the organisation's accounts (assume the reader role of
# the accounts/<env>/organization root, or ask Organizations directly), and
# identification's right to assume the cross-account role in every account of
# the organisation (the list grows without a config change, so the
# per-account list of modules/identification cannot cover it).

data "aws_partition" "current" {}

locals {
  partition       = data.aws_partition.current.partition
  reader_role_arn = var.reader_role_name == null ? null : "arn:${local.partition}:iam::${var.organization_account_id}:role/${var.reader_role_name}"

  list_accounts_statement = {
    Sid      = "ListOrganizationAccounts"
    Effect   = "Allow"
    Action   = ["organizations:ListAccounts", "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"]
    Resource = ["*"]
  }

  read_accounts_statement = local.reader_role_arn == null ? local.list_accounts_statement : {
    Sid      = "AssumeOrganizationReader"
    Effect   = "Allow"
    Action   = ["sts:AssumeRole"]
    Resource = [local.reader_role_arn]
  }

  crossaccount_statement = merge(
    {
      Sid      = "AssumeCrossAccountRoleInOrganization"
      Effect   = "Allow"
      Action   = ["sts:AssumeRole"]
      Resource = ["arn:${local.partition}:iam::*:role/${var.crossaccount_role_name}"]
    },
    var.organization_id == null ? {} : { Condition = { StringEquals = { "aws:ResourceOrgID" = var.organization_id } } },
  )

  lambda_policies = {
    for key, name in var.lambda_role_names : key => {
      Version   = "2012-10-17"
      Statement = concat([local.read_accounts_statement], contains(compact([var.identification_role_key, var.securityhub_role_key]), key) ? [local.crossaccount_statement] : [])
    }
  }
}

resource "aws_iam_role_policy" "lambda" {
  for_each = var.lambda_role_names

  name   = "${each.value}-organization"
  role   = each.value
  policy = jsonencode(local.lambda_policies[each.key])
}
