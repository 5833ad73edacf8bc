# The cross-account role of one controlled account; the account is the
# workspace's name (terraform workspace select -or-create <account id>).

# Must be the master environment's resources_prefix (../terraform.tfvars): it
# names the identification role this role trusts.
resources_prefix = "hammer-"

# Python Hammer's stack created the role here already (keep equal to the
# master environment's hammer_present): nothing to create. false for a fresh
# account.
hammer_present = true

# Role Terraform assumes in the controlled account to create the role; null
# uses your credentials as they are (e.g. AWS_PROFILE of that account).
admin_role_name = "OrganizationAccountAccessRole"

tags = {
  Environment = "sample"
}
