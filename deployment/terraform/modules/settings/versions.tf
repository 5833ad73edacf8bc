terraform {
  # No provider: this module only reads the config folder and computes names.
  required_version = ">= 1.5"
}
