output "statements" {
  description = "DescribeTrails on \"*\", and GetTrailStatus and GetEventSelectors on every trail ARN: IAM policy statements, as objects."
  value       = local.statements
}
