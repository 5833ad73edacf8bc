# Credentials of the operator in the management account (or the delegated
# administrator of CloudFormation StackSets), then admin_role_arn when set.
# allowed_account_ids refuses to touch any other account.
provider "aws" {
  region              = module.settings.region
  allowed_account_ids = [local.account_id]

  dynamic "assume_role" {
    for_each = var.admin_role_arn == null ? [] : [var.admin_role_arn]

    content {
      role_arn     = assume_role.value
      session_name = "hammer-cloudtrails-organization"
    }
  }
}
