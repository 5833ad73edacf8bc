output "organization_lambda_policies" {
  description = "With config.json aws.organization: the inline policy added to each Lambda role (JSON), by role; null without."
  value       = try(module.organization_accounts[0].lambda_policies, null)
}

output "realtime" {
  description = "The real-time path (null when off): bus, rules, queue, table, Lambda, its policy and alarms. The organization/ root deploys the forwarding rules to the bus event_bus.arn."
  value = var.realtime.enabled ? {
    event_bus = module.realtime[0].event_bus
    rules     = module.realtime[0].rules
    queue     = module.realtime[0].queue
    table     = module.realtime[0].table
    function  = module.realtime[0].function
    policy    = module.realtime[0].policy
    alarms    = module.realtime[0].alarms
  } : null
}
