# One service-managed StackSet, deployed by AWS Organizations to every
# account of the chosen OUs (or the whole organisation) and every checked
# region, and to every account that joins them later (auto-deployment):
#
# - the cross-account role of identification, in the stack of one region
#   (IAM is global): exactly the trust and the least-privilege policy of
#   modules/crossaccount-role;
# - when event_bus_arn is given, the real-time path's forwarding rule in every
#   region: CloudTrail's own calls that change logging, sent from the
#   account's default bus to the master account's bus, through a role of
#   that region's stack (cross-account and cross-region event bus targets
#   need one).
#
# Service-managed StackSets never deploy to the management account itself:
# use the per-account crossaccount/ root there, and for accounts outside the
# organisation.

data "aws_partition" "current" {}

# The cross-account role's trust and policy: the same documents as
# modules/crossaccount-role deploys per account.
module "documents" {
  source = "../crossaccount-policies"

  partition                      = local.partition
  master_account_id              = var.master_account_id
  trusted_role_arn               = var.trusted_role_arn
  securityhub_enabled            = var.securityhub_enabled
  securityhub_reporting_role_arn = var.securityhub_reporting_role_arn
}

# The remediation role (var.remediation): the same documents as
# modules/remediation-role deploys per account, its own account's id left to
# CloudFormation.
module "remediation_documents" {
  source = "../remediation-role-policies"

  partition         = local.partition
  account_id        = "$${AWS::AccountId}"
  trusted_role_arns = var.remediation == null ? [] : var.remediation.trusted_role_arns
}

locals {
  partition  = data.aws_partition.current.partition
  forwarding = var.event_bus_arn != null

  event_pattern = {
    source        = ["aws.cloudtrail"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["cloudtrail.amazonaws.com"]
      eventName   = var.forwarded_event_names
    }
  }

  # EventBridge assumes the role for this account only (confused deputy).
  forwarding_trust_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeOfThisAccount"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "events.amazonaws.com" }
      Condition = { StringEquals = { "aws:SourceAccount" = { Ref = "AWS::AccountId" } } }
    }]
  }

  forwarding_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid      = "PutEventsToMasterBus"
      Effect   = "Allow"
      Action   = ["events:PutEvents"]
      Resource = [var.event_bus_arn]
    }]
  }

  role_resources = {
    CrossAccountRole = {
      Type      = "AWS::IAM::Role"
      Condition = "IsRoleRegion"
      Properties = {
        RoleName                 = var.role_name
        Description              = "Hammer: read-only CloudTrail checks by the identification Lambda of account ${var.master_account_id}"
        AssumeRolePolicyDocument = module.documents.trust_policy
        MaxSessionDuration       = var.max_session_duration
        Policies = [{
          PolicyName     = "${var.role_name}-cloudtrail-read"
          PolicyDocument = module.documents.policy
        }]
      }
    }
  }

  # The remediation role, only in the role region's stack of the accounts of
  # remediation.account_ids (CloudFormation conditions: an Fn::Or holds 2 to
  # 10 conditions, so the accounts go in groups of 10, at most 10 groups).
  remediation_account_groups = var.remediation == null ? [] : [
    for group in chunklist(sort(var.remediation.account_ids), 10) : length(group) == 1 ? jsonencode({ "Fn::Equals" = [{ Ref = "AWS::AccountId" }, group[0]] }) : jsonencode({ "Fn::Or" = [for id in group : { "Fn::Equals" = [{ Ref = "AWS::AccountId" }, id] }] })
  ]
  remediation_conditions = jsondecode(var.remediation == null ? "{}" : jsonencode({
    IsRemediationAccount   = jsondecode(length(local.remediation_account_groups) == 1 ? local.remediation_account_groups[0] : jsonencode({ "Fn::Or" = [for group in local.remediation_account_groups : jsondecode(group)] }))
    IsRemediationRoleStack = { "Fn::And" = [{ Condition = "IsRoleRegion" }, { Condition = "IsRemediationAccount" }] }
  }))
  # StartOwnTrails names the stack's own account: CloudFormation substitutes it.
  remediation_policy = {
    Version = module.remediation_documents.policy.Version
    Statement = [
      for statement in module.remediation_documents.policy.Statement : jsondecode(
        statement.Sid == "StartOwnTrails" ? jsonencode(merge(statement, { Resource = [for resource in statement.Resource : { "Fn::Sub" = resource }] })) : jsonencode(statement)
      )
    ]
  }
  remediation_resources = jsondecode(var.remediation == null ? "{}" : jsonencode({
    RemediationRole = {
      Type      = "AWS::IAM::Role"
      Condition = "IsRemediationRoleStack"
      Properties = {
        RoleName                 = var.remediation.role_name
        Description              = "Hammer: restarts stopped CloudTrail trails of this account (remediation from account ${var.master_account_id})"
        AssumeRolePolicyDocument = module.remediation_documents.trust_policy
        MaxSessionDuration       = var.max_session_duration
        Policies = [{
          PolicyName     = "${var.remediation.role_name}-cloudtrail-remediation"
          PolicyDocument = local.remediation_policy
        }]
      }
    }
  }))

  # Through JSON: the two branches of a conditional must have one type.
  forwarding_resources = jsondecode(local.forwarding ? jsonencode({
    ForwardingRole = {
      Type = "AWS::IAM::Role"
      Properties = {
        RoleName                 = { "Fn::Sub" = "${var.forwarding_name}-$${AWS::Region}" }
        Description              = "Hammer: EventBridge forwards CloudTrail's own calls to the master account's event bus"
        AssumeRolePolicyDocument = local.forwarding_trust_policy
        Policies = [{
          PolicyName     = "put-events-to-master-bus"
          PolicyDocument = local.forwarding_policy
        }]
      }
    }
    ForwardingRule = {
      Type = "AWS::Events::Rule"
      Properties = {
        Name         = var.forwarding_name
        Description  = "Hammer: CloudTrail calls that can break logging, to the master account's event bus"
        EventBusName = "default"
        EventPattern = local.event_pattern
        State        = "ENABLED"
        Targets = [{
          Id      = "master-event-bus"
          Arn     = var.event_bus_arn
          RoleArn = { "Fn::GetAtt" = ["ForwardingRole", "Arn"] }
        }]
      }
    }
  }) : "{}")

  template = {
    AWSTemplateFormatVersion = "2010-09-09"
    Description              = "Hammer CloudTrail logging issues: the cross-account role of identification${var.remediation == null ? "" : ", the remediation role of the remediation accounts"}${local.forwarding ? " and the forwarding of CloudTrail's own calls to the master account" : ""}"
    Conditions = merge(
      { IsRoleRegion = { "Fn::Equals" = [{ Ref = "AWS::Region" }, var.role_region] } },
      local.remediation_conditions,
    )
    Resources = merge(local.role_resources, local.forwarding_resources, local.remediation_resources)
  }
}

resource "aws_cloudformation_stack_set" "this" {
  name             = var.stack_set_name
  description      = "Hammer CloudTrail logging issues: what every controlled account of the organisation needs"
  permission_model = "SERVICE_MANAGED"
  call_as          = var.call_as
  capabilities     = ["CAPABILITY_NAMED_IAM"]
  template_body    = jsonencode(local.template)
  tags             = var.tags

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  operation_preferences {
    region_concurrency_type      = "PARALLEL"
    max_concurrent_percentage    = var.max_concurrent_percentage
    failure_tolerance_percentage = var.failure_tolerance_percentage
  }

  lifecycle {
    # AWS sets it for service-managed StackSets; it is not ours to change.
    ignore_changes = [administration_role_arn]

    precondition {
      condition     = contains(var.regions, var.role_region)
      error_message = "role_region ${var.role_region} must be one of regions (${join(", ", var.regions)}): the cross-account role lives in that region's stack."
    }

    precondition {
      condition     = !var.securityhub_enabled || var.securityhub_reporting_role_arn != null
      error_message = "securityhub_enabled needs securityhub_reporting_role_arn, the reporting Lambda's role that imports the findings."
    }
  }
}

# One instance per region, targeting the OUs: CloudFormation deploys it to
# every account in them, and auto-deployment to every account added later.
# Without the forwarding rules, every region's stack but role_region's would
# hold no resource once its conditions apply: only role_region then.
resource "aws_cloudformation_stack_set_instance" "this" {
  for_each = toset(local.forwarding ? var.regions : [var.role_region])

  stack_set_name = aws_cloudformation_stack_set.this.name
  call_as        = var.call_as
  region         = each.value

  deployment_targets {
    organizational_unit_ids = var.target_organizational_unit_ids
  }

  operation_preferences {
    max_concurrent_percentage    = var.max_concurrent_percentage
    failure_tolerance_percentage = var.failure_tolerance_percentage
  }
}
