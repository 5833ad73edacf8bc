# The role remediation assumes in a controlled account
# (aws.role_name_reporting): it may read the account's trails, as the
# identification role does, and start only the account's own trails. It
# trusts only the remediation Lambda's role in the master account and,
# when given, one operator role (the host that runs `npm run remediate`).

data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
}

# The trust and the policy, shared with modules/organization-stackset.
module "documents" {
  source = "../remediation-role-policies"

  partition         = local.partition
  account_id        = var.account_id
  trusted_role_arns = var.trusted_role_arns
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "Hammer: restarts stopped CloudTrail trails of this account (remediation from account ${var.master_account_id})"
  assume_role_policy   = jsonencode(module.documents.trust_policy)
  max_session_duration = var.max_session_duration
  tags                 = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.role_name}-cloudtrail-remediation"
  role   = aws_iam_role.this.id
  policy = jsonencode(module.documents.policy)
}
