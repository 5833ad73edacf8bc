output "alarms" {
  description = "CloudWatch alarms by name: namespace, metric, dimensions, statistic, period, comparison, threshold and actions."
  value = {
    for alarm in concat(values(aws_cloudwatch_metric_alarm.errors), [aws_cloudwatch_metric_alarm.dead_letters]) : alarm.alarm_name => {
      namespace           = alarm.namespace
      metric_name         = alarm.metric_name
      dimensions          = alarm.dimensions
      statistic           = alarm.statistic
      period              = alarm.period
      comparison_operator = alarm.comparison_operator
      threshold           = alarm.threshold
      alarm_actions       = alarm.alarm_actions
      ok_actions          = alarm.ok_actions
    }
  }
}

output "descriptions" {
  description = "The alarms' descriptions by name."
  value       = { for alarm in concat(values(aws_cloudwatch_metric_alarm.errors), [aws_cloudwatch_metric_alarm.dead_letters]) : alarm.alarm_name => alarm.alarm_description }
}
