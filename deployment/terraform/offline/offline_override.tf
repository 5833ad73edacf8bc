# Offline preview of an environment's plan, without AWS credentials or network
# access to AWS. Copy this file into the environment's folder (it must keep a
# name ending in _override.tf), run terraform init -reconfigure and terraform
# plan there, then delete it and run terraform init -reconfigure again
# (deployment/terraform/README.md, "Preview a plan offline"). git ignores the
# copies (accounts/**/offline_override.tf).
#
# Terraform merges it into the environment's configuration: the backend is a
# local state file of its own, empty (the real state, local or S3, is neither
# read nor written: reading it would need AWS to refresh it), and the
# provider gets dummy keys and skips the credential, account and metadata
# checks. An apply with it cannot reach AWS.
terraform {
  backend "local" {
    path = "offline-preview.tfstate"
  }
}

provider "aws" {
  access_key                  = "offline-preview"
  secret_key                  = "offline-preview"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  # Without credentials the account cannot be checked.
  allowed_account_ids = null
}
