# The two IAM statements that read CloudTrail as identification does, one
# copy for every role that reads trails: the cross-account role
# (modules/crossaccount-policies), the remediation role
# (modules/remediation-role-policies) and the identification Lambda's own
# role in the master account (modules/identification).

locals {
  statements = [
    {
      # DescribeTrails has no resource type: "*" is the only resource AWS accepts.
      Sid      = "DescribeTrails"
      Effect   = "Allow"
      Action   = ["cloudtrail:DescribeTrails"]
      Resource = ["*"]
    },
    {
      # Trails of any account: an organization trail's ARN, and its shadow
      # copies', carry the management account's id.
      Sid      = "ReadTrailStatusAndSelectors"
      Effect   = "Allow"
      Action   = ["cloudtrail:GetEventSelectors", "cloudtrail:GetTrailStatus"]
      Resource = ["arn:${var.partition}:cloudtrail:*:*:trail/*"]
    },
  ]
}
