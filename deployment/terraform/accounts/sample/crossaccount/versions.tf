terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # One state per controlled account: the workspace is named after the account
  # (terraform workspace select -or-create <account id>). For a shared
  # environment use an S3 backend instead: see ../README.md.
  backend "local" {}
}
