output "function" {
  description = "The remediation Lambda: name, ARN, handler, runtime, architectures, memory, timeout, code hash, execution role, log group, reserved concurrency, retries and on-failure destination."
  value = {
    name                           = aws_lambda_function.this.function_name
    arn                            = aws_lambda_function.this.arn
    handler                        = aws_lambda_function.this.handler
    runtime                        = aws_lambda_function.this.runtime
    architectures                  = aws_lambda_function.this.architectures
    memory_size                    = aws_lambda_function.this.memory_size
    timeout                        = aws_lambda_function.this.timeout
    environment                    = try(aws_lambda_function.this.environment[0].variables, {})
    filename                       = aws_lambda_function.this.filename
    source_code_hash               = aws_lambda_function.this.source_code_hash
    role_arn                       = aws_lambda_function.this.role
    log_group                      = aws_lambda_function.this.logging_config[0].log_group
    log_format                     = aws_lambda_function.this.logging_config[0].log_format
    reserved_concurrent_executions = aws_lambda_function.this.reserved_concurrent_executions
    maximum_retry_attempts         = aws_lambda_function_event_invoke_config.this.maximum_retry_attempts
    on_failure_destination         = aws_lambda_function_event_invoke_config.this.destination_config[0].on_failure[0].destination
  }
}

output "role" {
  description = "Execution role of the remediation Lambda: name, ARN, trust policy and inline permission policy (JSON). Each remediation role trusts this role."
  value = {
    name               = aws_iam_role.this.name
    arn                = aws_iam_role.this.arn
    assume_role_policy = aws_iam_role.this.assume_role_policy
    policy             = aws_iam_role_policy.this.policy
  }
}

output "host_policy" {
  description = "Managed policy for an operator's host running the remediation command (null when host_policy_name is null): name, ARN, policy JSON."
  value = var.host_policy_name == null ? null : {
    name   = aws_iam_policy.host[0].name
    arn    = aws_iam_policy.host[0].arn
    policy = aws_iam_policy.host[0].policy
  }
}

output "schedule" {
  description = "The EventBridge rule that starts a remediation run: name, ARN, schedule expression, state, target and invoke permission."
  value = {
    name                  = aws_cloudwatch_event_rule.schedule.name
    arn                   = aws_cloudwatch_event_rule.schedule.arn
    schedule_expression   = aws_cloudwatch_event_rule.schedule.schedule_expression
    state                 = aws_cloudwatch_event_rule.schedule.state
    target_arn            = aws_cloudwatch_event_target.this.arn
    target_rule           = aws_cloudwatch_event_target.this.rule
    permission_principal  = aws_lambda_permission.from_schedule.principal
    permission_source_arn = aws_lambda_permission.from_schedule.source_arn
    permission_function   = aws_lambda_permission.from_schedule.function_name
  }
}

output "log_groups" {
  description = "Log group of the remediation Lambda: name => retention in days."
  value       = { (aws_cloudwatch_log_group.this.name) = aws_cloudwatch_log_group.this.retention_in_days }
}

output "host_log_stream" {
  description = "Log stream of the remediation command in the host log group: group and stream (created here unless create_host_log_stream is false)."
  value       = { log_group = var.host_log_group_name, name = var.host_log_stream_name }
}

output "alarms" {
  description = "CloudWatch alarms by name: namespace, metric, dimensions, statistic, period, comparison, threshold and actions."
  value       = module.alarms.alarms
}

output "dead_letter_queue" {
  description = "SQS queue of failed or expired scheduled runs: name, ARN, URL."
  value = {
    name = aws_sqs_queue.dead_letter.name
    arn  = aws_sqs_queue.dead_letter.arn
    url  = aws_sqs_queue.dead_letter.url
  }
}

output "log_group_names" {
  description = "Log group created here (the Lambda's): for the environment's KMS key policy."
  value       = [aws_cloudwatch_log_group.this.name]
}
