terraform {
  # No provider: this module only reads config.json and computes names.
  required_version = ">= 1.5"
}
