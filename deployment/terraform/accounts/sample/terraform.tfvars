# Settings of the sample environment that config/config.json does not hold.
# No secrets here: the JIRA and Slack credentials go into the credentials table
# through the credentials command (README.md, "Reporting").

resources_prefix        = "hammer-"
identification_schedule = "* * * ? *"
log_retention_in_days   = 7
alarm_email_addresses   = []

tags = {
  Environment = "sample"
}
