# Credentials of the operator (profile, SSO, role in the master or management
# account), then the admin role of the controlled account when admin_role_name
# is set. allowed_account_ids refuses to touch any other account.
provider "aws" {
  region              = module.settings.region
  allowed_account_ids = [local.account_id]

  dynamic "assume_role" {
    for_each = var.admin_role_name == null ? [] : [var.admin_role_name]

    content {
      role_arn     = "arn:${local.partition}:iam::${local.account_id}:role/${assume_role.value}"
      session_name = "hammer-crossaccount-role"
    }
  }
}
