output "event_bus_arn" {
  description = "ARN of the bus the controlled accounts forward to (modules/organization-stackset event_bus_arn)."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "event_bus" {
  description = "The bus: name, ARN and resource policy (JSON)."
  value = {
    name   = aws_cloudwatch_event_bus.this.name
    arn    = aws_cloudwatch_event_bus.this.arn
    policy = aws_cloudwatch_event_bus_policy.this.policy
  }
}

output "rules" {
  description = "Rules by role (bus: on the real-time bus; own: on the master account's default bus, when forward_own_account): name, bus, event pattern (JSON), state, target ARN."
  value = merge(
    {
      bus = {
        name          = aws_cloudwatch_event_rule.bus.name
        event_bus     = aws_cloudwatch_event_rule.bus.event_bus_name
        event_pattern = aws_cloudwatch_event_rule.bus.event_pattern
        state         = aws_cloudwatch_event_rule.bus.state
        target_arn    = aws_cloudwatch_event_target.bus.arn
      }
    },
    var.forward_own_account ? {
      own = {
        name          = aws_cloudwatch_event_rule.own[0].name
        event_bus     = aws_cloudwatch_event_rule.own[0].event_bus_name
        event_pattern = aws_cloudwatch_event_rule.own[0].event_pattern
        state         = aws_cloudwatch_event_rule.own[0].state
        target_arn    = aws_cloudwatch_event_target.own[0].arn
      }
    } : {},
  )
}

output "queue" {
  description = "The queue between the rules and the Lambda: name, ARN, delivery delay (the debounce window), visibility timeout, redrive policy (JSON), policy (JSON), and the event source mapping."
  value = {
    name                       = aws_sqs_queue.events.name
    arn                        = aws_sqs_queue.events.arn
    delay_seconds              = aws_sqs_queue.events.delay_seconds
    visibility_timeout_seconds = aws_sqs_queue.events.visibility_timeout_seconds
    redrive_policy             = aws_sqs_queue.events.redrive_policy
    policy                     = aws_sqs_queue_policy.events.policy
    dead_letter_queue          = aws_sqs_queue.dead_letter.name
    mapping_batch_size         = aws_lambda_event_source_mapping.queue.batch_size
    mapping_response_types     = aws_lambda_event_source_mapping.queue.function_response_types
    mapping_function           = aws_lambda_event_source_mapping.queue.function_name
  }
}

output "table" {
  description = "The debounce table: name, hash key, TTL attribute."
  value = {
    name          = aws_dynamodb_table.debounce.name
    hash_key      = aws_dynamodb_table.debounce.hash_key
    ttl_attribute = aws_dynamodb_table.debounce.ttl[0].attribute_name
  }
}

output "function" {
  description = "The real-time Lambda: name, ARN, handler, runtime, role, environment, timeout, memory, code hash, log group."
  value = {
    name             = aws_lambda_function.this.function_name
    arn              = aws_lambda_function.this.arn
    handler          = aws_lambda_function.this.handler
    runtime          = aws_lambda_function.this.runtime
    role_arn         = aws_lambda_function.this.role
    environment      = aws_lambda_function.this.environment[0].variables
    timeout          = aws_lambda_function.this.timeout
    memory_size      = aws_lambda_function.this.memory_size
    source_code_hash = aws_lambda_function.this.source_code_hash
    log_group        = aws_lambda_function.this.logging_config[0].log_group
  }
}

output "policy" {
  description = "The real-time path's inline policy on the identification role (JSON)."
  value       = aws_iam_role_policy.realtime.policy
}

output "alarms" {
  description = "The alarms by name: Lambda errors and dead letters."
  value       = module.alarms.descriptions
}

output "log_group_names" {
  description = "Log group created here (the Lambda's): for the environment's KMS key policy."
  value       = [aws_cloudwatch_log_group.this.name]
}
