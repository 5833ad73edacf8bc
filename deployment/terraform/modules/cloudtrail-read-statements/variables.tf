variable "partition" {
  type        = string
  description = "The AWS partition of the ARNs (aws, aws-us-gov, aws-cn)."
}
