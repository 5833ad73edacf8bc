# The cross-account role of one controlled account, trusting only the master
# environment's identification role. Names come from ../config/config.json,
# as in the master environment.
#
# Beside Python Hammer (hammer_present, the default) the role
# aws.role_name_identification (hammer-cloudsec-crossact-id) exists already:
# Hammer's identification-crossaccount-role stack created it for all its
# modules, and it allows the three CloudTrail reads identification needs
# (cloudtrail:DescribeTrails, GetTrailStatus, GetEventSelectors on "*", in
# every Hammer release), trusting the master account. Nothing is created then
# (creating it would fail; importing it would rewrite its trust and lock the
# other Hammer modules out). For a role that was trimmed and lacks those reads,
# add_cloudtrail_read_policy attaches an inline policy to it instead of
# replacing it.

module "settings" {
  source = "../../../modules/settings"

  config_json      = file("${path.module}/../config/config.json")
  resources_prefix = var.resources_prefix
}

locals {
  account_id = coalesce(var.account_id, terraform.workspace)
  partition  = startswith(module.settings.region, "us-gov-") ? "aws-us-gov" : startswith(module.settings.region, "cn-") ? "aws-cn" : "aws"
  # The reporting Lambda's role in the master account (its role is named as the function).
  reporting_role_arn = "arn:${local.partition}:iam::${module.settings.main_account_id}:role/${module.settings.names.reporting_function}"
  # Remediation is on and this account is one of cloudtrails.remediation_accounts.
  remediation_account = module.remediation_settings.remediation && contains(module.remediation_settings.crossaccount_account_ids, local.account_id)
  # Beside Hammer, with aws.role_name_reporting left at Hammer's name, the
  # remediation role is Hammer's own; another name gets a role of its own here.
  hammer_remediation_role = var.hammer_present && module.remediation_settings.role_name_reporting == "${var.resources_prefix}cloudsec-crossact-ec2"
}

module "crossaccount_role" {
  source = "../../../modules/crossaccount-role"
  count  = var.hammer_present ? 0 : 1

  role_name         = module.settings.role_name_identification
  master_account_id = module.settings.main_account_id
  trusted_role_arn  = "arn:${local.partition}:iam::${module.settings.main_account_id}:role/${module.settings.names.describe_function}"
  tags              = merge({ Application = "hammer", HammerModule = "cloudtrails" }, var.tags)

  # The Security Hub export (config.json cloudtrails.securityhub): the
  # reporting role may assume this role too, to import the account's findings.
  securityhub_enabled            = module.settings.securityhub
  securityhub_reporting_role_arn = local.reporting_role_arn
}

# Beside Hammer, its existing role gets the statements the role created here
# would have, as inline policies (its trust and its other policies stay as
# they are): the same documents as modules/crossaccount-role's.
module "role_documents" {
  source = "../../../modules/crossaccount-policies"

  partition                      = local.partition
  master_account_id              = module.settings.main_account_id
  trusted_role_arn               = "arn:${local.partition}:iam::${module.settings.main_account_id}:role/${module.settings.names.describe_function}"
  securityhub_enabled            = module.settings.securityhub
  securityhub_reporting_role_arn = local.reporting_role_arn
}

locals {
  hammer_role_statements = {
    read        = [for statement in module.role_documents.policy.Statement : statement if statement.Sid != "ImportSecurityHubFindings"]
    securityhub = [for statement in module.role_documents.policy.Statement : statement if statement.Sid == "ImportSecurityHubFindings"]
  }
}

# Only when asked: the three CloudTrail reads (for a trimmed Hammer role).
resource "aws_iam_role_policy" "cloudtrail_read_on_hammer_role" {
  count = var.hammer_present && var.add_cloudtrail_read_policy ? 1 : 0

  name   = "${var.resources_prefix}cloudtrails-read"
  role   = module.settings.role_name_identification
  policy = jsonencode({ Version = "2012-10-17", Statement = local.hammer_role_statements.read })
}

# Only with the Security Hub export: the import (Hammer's role trusts the
# master account already; the reporting role's own policy names it).
resource "aws_iam_role_policy" "securityhub_import_on_hammer_role" {
  count = var.hammer_present && module.settings.securityhub ? 1 : 0

  name   = "${var.resources_prefix}cloudtrails-securityhub-import"
  role   = module.settings.role_name_identification
  policy = jsonencode({ Version = "2012-10-17", Statement = local.hammer_role_statements.securityhub })
}

# Remediation (opt-in): the role remediation assumes here
# (aws.role_name_reporting), created only when config.json's
# cloudtrails.remediation is true and this account is one of
# cloudtrails.remediation_accounts. It trusts the master's remediation Lambda
# role and, when remediation_operator_role_arn is set, the operator's role.
module "remediation_settings" {
  source = "../../../modules/remediation-settings"

  config_json      = file("${path.module}/../config/config.json")
  resources_prefix = var.resources_prefix
}

module "remediation_role" {
  source = "../../../modules/remediation-role"
  count  = local.remediation_account && !local.hammer_remediation_role ? 1 : 0

  role_name         = module.remediation_settings.role_name_reporting
  account_id        = local.account_id
  master_account_id = module.settings.main_account_id
  trusted_role_arns = concat(
    ["arn:${local.partition}:iam::${module.settings.main_account_id}:role/${module.remediation_settings.names.function}"],
    var.remediation_operator_role_arn == null ? [] : [var.remediation_operator_role_arn],
  )
  tags = merge({ Application = "hammer", HammerModule = "cloudtrails" }, var.tags)
}

# Beside Hammer, aws.role_name_reporting at Hammer's name
# (<prefix>cloudsec-crossact-ec2) is Hammer's role: its reporting-remediation
# cross-account stack created it in every account, trusting the master
# account's root (so the remediation Lambda's role, allowed by its own
# policy, may assume it). Creating it would fail, and its trust is Hammer's;
# so remediation's permissions (StartLogging, which Hammer's role lacks, and
# the reads) are added to it as an inline policy, exactly the remediation
# role's policy. Under another name the role above is created instead.
# docs/remediation.md, "Deploy".
module "remediation_documents" {
  source = "../../../modules/remediation-role-policies"

  partition         = local.partition
  account_id        = local.account_id
  trusted_role_arns = []
}

resource "aws_iam_role_policy" "remediation_on_hammer_role" {
  count = local.remediation_account && local.hammer_remediation_role ? 1 : 0

  name   = "${var.resources_prefix}cloudtrails-remediation"
  role   = module.remediation_settings.role_name_reporting
  policy = jsonencode(module.remediation_documents.policy)
}
