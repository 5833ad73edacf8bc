variable "config_json" {
  type        = string
  description = "Content of the environment's config.json (the file build.mjs packs into the zips), e.g. file(\"config/config.json\")."

  validation {
    condition     = can(jsondecode(var.config_json).aws)
    error_message = "config.json must be a JSON object with an \"aws\" section."
  }
}

variable "resources_prefix" {
  type        = string
  description = "Prefix of the names config.json does not give (Hammer's ResourcesPrefix), as in the settings module."
  default     = "hammer-"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$", var.resources_prefix))
    error_message = "resources_prefix must be 1 to 24 letters, digits, '-' or '_', starting with a letter or digit."
  }
}
