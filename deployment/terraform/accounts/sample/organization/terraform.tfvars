# The management account's side of the sample environment (README:
# "Organisations and real-time detection"). Apply with credentials of the
# management account or of the CloudFormation delegated administrator.

resources_prefix = "hammer-"

# The root id deploys to the whole organisation; OU ids to those OUs (and the
# OUs below them). Empty: no StackSet.
stack_set_targets = []

# Must match the master environment's var.realtime.enabled.
realtime = false

tags = {
  Environment = "sample"
}
