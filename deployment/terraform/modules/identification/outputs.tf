output "functions" {
  description = "The two Lambdas by role (initiate, describe): name, ARN, handler, runtime, architectures, memory, timeout, environment variables, code hash, execution role, log group and reserved concurrency."
  value = {
    for key, function in local.function_resources : key => {
      name                           = function.function_name
      arn                            = function.arn
      handler                        = function.handler
      runtime                        = function.runtime
      architectures                  = function.architectures
      memory_size                    = function.memory_size
      timeout                        = function.timeout
      environment                    = try(function.environment[0].variables, {})
      filename                       = function.filename
      source_code_hash               = function.source_code_hash
      role_arn                       = function.role
      log_group                      = function.logging_config[0].log_group
      log_format                     = function.logging_config[0].log_format
      reserved_concurrent_executions = function.reserved_concurrent_executions
      on_failure_destination         = aws_lambda_function_event_invoke_config.this[key].destination_config[0].on_failure[0].destination
    }
  }
}

output "describe_role_arn" {
  description = "ARN of the identification Lambda's role: the principal every cross-account role must trust."
  value       = "arn:${local.partition}:iam::${var.account_id}:role/${var.describe_function_name}"
}

output "role_arns" {
  description = "ARNs of the execution roles by Lambda role (initiate, describe), from the roles alone (not their policies), for key policies that must name them."
  value       = { for key, role in aws_iam_role.this : key => role.arn }
}

output "roles" {
  description = "Execution roles by Lambda role: name, ARN, trust policy and inline permission policy (JSON)."
  value = {
    for key, role in aws_iam_role.this : key => {
      name               = role.name
      arn                = role.arn
      assume_role_policy = role.assume_role_policy
      policy             = aws_iam_role_policy.this[key].policy
    }
  }
}

output "topic" {
  description = "The SNS topic between initiation and identification: name, display name, ARN, and the identification Lambda's subscription and invoke permission."
  value = {
    name                  = aws_sns_topic.work.name
    display_name          = aws_sns_topic.work.display_name
    arn                   = aws_sns_topic.work.arn
    subscription_protocol = aws_sns_topic_subscription.describe.protocol
    subscription_endpoint = aws_sns_topic_subscription.describe.endpoint
    subscription_topic    = aws_sns_topic_subscription.describe.topic_arn
    permission_principal  = aws_lambda_permission.describe_from_topic.principal
    permission_source_arn = aws_lambda_permission.describe_from_topic.source_arn
    permission_function   = aws_lambda_permission.describe_from_topic.function_name
    kms_master_key_id     = aws_sns_topic.work.kms_master_key_id
    redrive_policy        = aws_sns_topic_subscription.describe.redrive_policy
  }
}

output "schedule" {
  description = "The EventBridge rule that starts a scan: name, ARN, schedule expression, state, target and invoke permission."
  value = {
    name                  = aws_cloudwatch_event_rule.schedule.name
    arn                   = aws_cloudwatch_event_rule.schedule.arn
    schedule_expression   = aws_cloudwatch_event_rule.schedule.schedule_expression
    state                 = aws_cloudwatch_event_rule.schedule.state
    target_arn            = aws_cloudwatch_event_target.initiate.arn
    target_rule           = aws_cloudwatch_event_target.initiate.rule
    permission_principal  = aws_lambda_permission.initiate_from_schedule.principal
    permission_source_arn = aws_lambda_permission.initiate_from_schedule.source_arn
    permission_function   = aws_lambda_permission.initiate_from_schedule.function_name
    dead_letter_arn       = aws_cloudwatch_event_target.initiate.dead_letter_config[0].arn
    retry_policy          = aws_cloudwatch_event_target.initiate.retry_policy[0]
  }
}

output "log_groups" {
  description = "Log groups of the Lambdas: name => retention in days."
  value       = { for group in aws_cloudwatch_log_group.this : group.name => group.retention_in_days }
}

output "log_group_names" {
  description = "Names of the Lambdas' log groups, known before they exist (for a key policy)."
  value       = sort(values(local.log_group_names))
}

output "alarm_topic" {
  description = "The alarm topic this module created (null when alarm_topic_arn was given): name, ARN and KMS key."
  value = length(aws_sns_topic.alarms) == 0 ? null : {
    name              = aws_sns_topic.alarms[0].name
    arn               = aws_sns_topic.alarms[0].arn
    kms_master_key_id = aws_sns_topic.alarms[0].kms_master_key_id
  }
}

output "log_group_kms_key_ids" {
  description = "KMS key of each log group: name => key ARN (null: CloudWatch Logs' own encryption)."
  value       = { for group in aws_cloudwatch_log_group.this : group.name => group.kms_key_id }
}

output "alarm_topic_arn" {
  description = "SNS topic that receives the alarms (created here unless alarm_topic_arn was given)."
  value       = local.alarm_topic_arn
}

output "alarms" {
  description = "CloudWatch alarms by name: namespace, metric, dimensions, statistic, period, comparison, threshold and actions."
  value       = module.alarms.alarms
}

output "dead_letter_queue" {
  description = "SQS queue of lost identification events (failed asynchronous invocations, undelivered topic messages and schedule events): name, ARN, URL, and its queue policy (JSON)."
  value = {
    name   = aws_sqs_queue.dead_letter.name
    arn    = aws_sqs_queue.dead_letter.arn
    url    = aws_sqs_queue.dead_letter.url
    policy = aws_sqs_queue_policy.dead_letter.policy
  }
}
