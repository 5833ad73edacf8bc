terraform {
  # 1.7: import blocks with for_each (table_issues.tf) and removed blocks
  # (handing a table over).
  required_version = ">= 1.7"

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
