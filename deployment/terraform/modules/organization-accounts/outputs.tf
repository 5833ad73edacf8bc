output "reader_role_arn" {
  description = "The role the Lambdas assume to list the accounts (null without reader_role_name)."
  value       = local.reader_role_arn
}

output "lambda_policies" {
  description = "The inline policy added to each Lambda role (JSON), by role."
  value       = { for key, policy in aws_iam_role_policy.lambda : key => policy.policy }
}
