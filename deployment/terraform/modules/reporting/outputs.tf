output "function" {
  description = "The reporting Lambda: name, ARN, handler, runtime, architectures, memory, timeout, code hash, execution role, log group, reserved concurrency and on-failure destination."
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
    run_lease                      = local.run_lease
    on_failure_destination         = aws_lambda_function_event_invoke_config.this.destination_config[0].on_failure[0].destination
  }
}

output "role_arn" {
  description = "ARN of the execution role, from the role alone (not its policy), for key policies that must name it."
  value       = aws_iam_role.this.arn
}

output "role" {
  description = "Execution role of the reporting Lambda: name, ARN, trust policy and inline permission policy (JSON)."
  value = {
    name               = aws_iam_role.this.name
    arn                = aws_iam_role.this.arn
    assume_role_policy = aws_iam_role.this.assume_role_policy
    policy             = aws_iam_role_policy.this.policy
  }
}

output "host_policy" {
  description = "Managed policy for an operator's host running the reporting command (null when host_policy_name is null): name, ARN, policy JSON."
  value = var.host_policy_name == null ? null : {
    name   = aws_iam_policy.host[0].name
    arn    = aws_iam_policy.host[0].arn
    policy = aws_iam_policy.host[0].policy
  }
}

output "schedule" {
  description = "The EventBridge rule that starts a reporting run: name, ARN, schedule expression, state, target and invoke permission."
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
    dead_letter_arn       = aws_cloudwatch_event_target.this.dead_letter_config[0].arn
    retry_policy          = aws_cloudwatch_event_target.this.retry_policy[0]
  }
}

output "log_groups" {
  description = "Log groups reporting created (the Lambda's, and the host command's unless it is Hammer's): name => retention in days."
  value = merge(
    { (aws_cloudwatch_log_group.this.name) = aws_cloudwatch_log_group.this.retention_in_days },
    { for group in aws_cloudwatch_log_group.host : group.name => group.retention_in_days },
  )
}

output "log_group_kms_key_ids" {
  description = "KMS key of each log group created here: name => key ARN (null: CloudWatch Logs' own encryption)."
  value = merge(
    { (aws_cloudwatch_log_group.this.name) = aws_cloudwatch_log_group.this.kms_key_id },
    { for group in aws_cloudwatch_log_group.host : group.name => group.kms_key_id },
  )
}

output "created_host_log_stream" {
  description = "The host log stream this module created (null when the host log group is Hammer's)."
  value       = one(aws_cloudwatch_log_stream.host[*].name)
}

output "log_group_names" {
  description = "Names of the log groups this module creates, known before they exist (for a key policy)."
  value       = concat([local.log_group_name], var.create_host_log_group ? [var.host_log_group_name] : [])
}

output "host_log_stream" {
  description = "Log stream of the reporting command in the host log group (created here only with the group; beside Hammer its host creates it)."
  value       = var.host_log_stream_name
}

output "alarms" {
  description = "CloudWatch alarms by name: namespace, metric, dimensions, statistic, period, comparison, threshold and actions."
  value       = module.alarms.alarms
}

output "dead_letter_queue" {
  description = "SQS queue of failed, expired or undelivered scheduled runs: name, ARN, URL, and its queue policy (JSON)."
  value = {
    name   = aws_sqs_queue.dead_letter.name
    arn    = aws_sqs_queue.dead_letter.arn
    url    = aws_sqs_queue.dead_letter.url
    policy = aws_sqs_queue_policy.dead_letter.policy
  }
}
