variable "functions" {
  type = map(object({
    function_name  = string
    log_group_name = string
  }))
  description = "The Lambdas whose errors alarm, by key: function name and log group (named in the alarm's description)."
}

variable "dead_letter_queue_name" {
  type        = string
  description = "The dead-letter queue whose messages alarm."
}

variable "dead_letter_description" {
  type        = string
  description = "What a message in the dead-letter queue means, for the responder."
}

variable "alarm_topic_arn" {
  type        = string
  description = "SNS topic the alarms notify when they fire and when they clear."
}

variable "tags" {
  type        = map(string)
  description = "Tags of the alarms."
  default     = {}
}
