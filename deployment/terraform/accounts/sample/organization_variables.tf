variable "organization_id" {
  type        = string
  description = "The AWS organisation (o-...): with config.json aws.organization, identification assumes the cross-account role in its accounts only, and the real-time bus admits its accounts. null: the bus admits the checked accounts of config.json."
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must be an organisation id such as o-a1b2c3d4e5."
  }
}

variable "realtime" {
  type = object({
    enabled = optional(bool, false)
    # The debounce window (the queue's delivery delay), in seconds.
    debounce_seconds = optional(number, 15)
    # Also watch the master account's own calls in the main region.
    forward_own_account = optional(bool, true)
  })
  description = "The real-time path in the master account (docs/organisations.md); off by default."
  default     = {}

  validation {
    condition     = var.realtime.debounce_seconds >= 0 && var.realtime.debounce_seconds <= 300
    error_message = "realtime.debounce_seconds is from 0 to 300."
  }
}
