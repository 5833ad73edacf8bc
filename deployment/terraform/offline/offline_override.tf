# Offline preview of an environment's plan, without AWS credentials or network
# access to AWS. Copy this file into the environment's folder (it must keep a
# name ending in _override.tf), then run terraform init and terraform plan
# there, and delete it again (deployment/terraform/README.md, "Preview a plan
# offline"). Terraform merges it into the environment's provider "aws" block:
# dummy keys, no credential, account or metadata-service check. An apply with
# it cannot reach AWS. git ignores the copies (accounts/**/offline_override.tf).
provider "aws" {
  access_key                  = "offline-preview"
  secret_key                  = "offline-preview"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  # Without credentials the account cannot be checked.
  allowed_account_ids = null
}
