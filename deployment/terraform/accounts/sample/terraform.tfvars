# Settings of the sample environment that config/config.json does not hold.
# No secrets here: the JIRA and Slack credentials go into the credentials table
# through the credentials command (README.md, "Reporting").

resources_prefix        = "hammer-"
identification_schedule = "* * * ? *"
log_retention_in_days   = 90
alarm_email_addresses   = []

# Python Hammer runs in the master account: use its shared tables, alarm topic
# and host log group, adopt its issues table. false for a fresh account.
hammer_present = true

tags = {
  Environment = "sample"
}
