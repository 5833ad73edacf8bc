terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # State stays in this folder (terraform.tfstate, kept out of git). For a
  # shared environment use an S3 backend instead: see README.md.
  backend "local" {}
}
