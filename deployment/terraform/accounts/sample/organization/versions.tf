terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # One state, in the management account's (or delegated administrator's)
  # hands. For a shared environment use an S3 backend instead: see ../README.md.
  backend "local" {}
}
