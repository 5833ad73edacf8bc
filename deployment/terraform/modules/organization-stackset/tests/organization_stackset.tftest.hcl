# The StackSet's template is parsed back (jsondecode) and compared with what
# the per-account root deploys (modules/crossaccount-role, planned in the
# first run): the same role, trust and policy, whichever way an account gets it.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  stack_set_name                 = "hammer-cloudtrails-organization"
  target_organizational_unit_ids = ["r-a1b2"]
  regions                        = ["eu-west-1", "us-east-1", "eu-central-1"]
  role_region                    = "eu-west-1"
  role_name                      = "hammer-cloudsec-crossact-id"
  master_account_id              = "123456789012"
  trusted_role_arn               = "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
  event_bus_arn                  = "arn:aws:events:eu-west-1:123456789012:event-bus/hammer-cloudtrails-events"
  forwarding_name                = "hammer-cloudtrails-forward"
  tags                           = { Application = "hammer" }
}

run "per_account_role" {
  command = plan

  module {
    source = "../crossaccount-role"
  }

  variables {
    role_name         = "hammer-cloudsec-crossact-id"
    master_account_id = "123456789012"
    trusted_role_arn  = "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
  }
}

run "template_role_is_the_per_account_role_and_forwards_to_the_master_bus" {
  command = plan

  assert {
    condition     = jsondecode(output.template_body).Resources.CrossAccountRole.Properties.AssumeRolePolicyDocument == jsondecode(run.per_account_role.assume_role_policy)
    error_message = "The StackSet's role must trust exactly what the per-account role trusts (only the identification role): ${output.template_body}"
  }

  assert {
    condition     = jsondecode(output.template_body).Resources.CrossAccountRole.Properties.Policies == [{ PolicyName = "hammer-cloudsec-crossact-id-cloudtrail-read", PolicyDocument = jsondecode(run.per_account_role.policy) }]
    error_message = "The StackSet's role must have exactly the per-account role's policy, and no other: ${output.template_body}"
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.template_body).Resources.CrossAccountRole.Properties.Policies[0].PolicyDocument.Statement : [for action in statement.Action : [for resource in statement.Resource : "${statement.Effect} ${action} ${resource}"]]
      ])) == toset([
      "Allow cloudtrail:DescribeTrails *",
      "Allow cloudtrail:GetTrailStatus arn:aws:cloudtrail:*:*:trail/*",
      "Allow cloudtrail:GetEventSelectors arn:aws:cloudtrail:*:*:trail/*",
    ])
    error_message = "The role only reads CloudTrail."
  }

  assert {
    condition = jsondecode(output.template_body).Resources.CrossAccountRole.Properties.AssumeRolePolicyDocument.Statement == [{
      Sid       = "IdentificationLambdaOnly"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
      Condition = { ArnEquals = { "aws:PrincipalArn" = "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails" } }
    }]
    error_message = "Only the master account's identification role may assume the role."
  }

  assert {
    condition = (
      jsondecode(output.template_body).Resources.CrossAccountRole.Properties.RoleName == "hammer-cloudsec-crossact-id" &&
      jsondecode(output.template_body).Resources.CrossAccountRole.Properties.MaxSessionDuration == 3600 &&
      jsondecode(output.template_body).Resources.CrossAccountRole.Condition == "IsRoleRegion" &&
      jsondecode(output.template_body).Conditions.IsRoleRegion == { "Fn::Equals" = [{ Ref = "AWS::Region" }, "eu-west-1"] }
    )
    error_message = "The role is created once per account, in the main region's stack."
  }

  assert {
    condition = (
      output.stack_set.permission_model == "SERVICE_MANAGED" &&
      output.stack_set.call_as == "SELF" &&
      output.stack_set.auto_deployment_enabled &&
      !output.stack_set.retain_stacks_on_account_removal &&
      jsonencode(output.stack_set.capabilities) == jsonencode(["CAPABILITY_NAMED_IAM"]) &&
      jsonencode(output.stack_set.tags) == jsonencode({ Application = "hammer" })
    )
    error_message = "A service-managed StackSet with auto-deployment: ${jsonencode(output.stack_set)}"
  }

  assert {
    condition     = jsonencode(output.instances) == jsonencode({ "eu-central-1" = ["r-a1b2"], "eu-west-1" = ["r-a1b2"], "us-east-1" = ["r-a1b2"] })
    error_message = "One instance per checked region, targeting the root (the whole organisation): ${jsonencode(output.instances)}"
  }

  assert {
    condition = jsondecode(output.template_body).Resources.ForwardingRule.Properties.EventPattern == {
      source        = ["aws.cloudtrail"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource = ["cloudtrail.amazonaws.com"]
        eventName   = ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "CreateTrail", "StartLogging"]
      }
    }
    error_message = "The rule matches CloudTrail's own calls that change logging, nothing else."
  }

  assert {
    condition = jsondecode(output.template_body).Resources.ForwardingRule.Properties.Targets == [{
      Id      = "master-event-bus"
      Arn     = "arn:aws:events:eu-west-1:123456789012:event-bus/hammer-cloudtrails-events"
      RoleArn = { "Fn::GetAtt" = ["ForwardingRole", "Arn"] }
    }]
    error_message = "The only target is the master account's bus, through the forwarding role."
  }

  assert {
    condition = (
      jsondecode(output.template_body).Resources.ForwardingRule.Properties.EventBusName == "default" &&
      jsondecode(output.template_body).Resources.ForwardingRule.Properties.State == "ENABLED" &&
      !can(jsondecode(output.template_body).Resources.ForwardingRule.Condition)
    )
    error_message = "A rule on the default bus of every region."
  }

  assert {
    condition = jsondecode(output.template_body).Resources.ForwardingRole.Properties.Policies == [{
      PolicyName     = "put-events-to-master-bus"
      PolicyDocument = { Version = "2012-10-17", Statement = [{ Sid = "PutEventsToMasterBus", Effect = "Allow", Action = ["events:PutEvents"], Resource = ["arn:aws:events:eu-west-1:123456789012:event-bus/hammer-cloudtrails-events"] }] }
    }]
    error_message = "The forwarding role may only put events on the master bus."
  }

  assert {
    condition = (
      jsondecode(output.template_body).Resources.ForwardingRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal == { Service = "events.amazonaws.com" } &&
      jsondecode(output.template_body).Resources.ForwardingRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition == { StringEquals = { "aws:SourceAccount" = { Ref = "AWS::AccountId" } } } &&
      jsondecode(output.template_body).Resources.ForwardingRole.Properties.RoleName == { "Fn::Sub" = "hammer-cloudtrails-forward-$${AWS::Region}" }
    )
    error_message = "EventBridge of the same account assumes a role of its region."
  }
}

run "without_a_bus_only_the_role_is_deployed" {
  command = plan

  variables {
    event_bus_arn = null
    call_as       = "DELEGATED_ADMIN"
  }

  assert {
    condition     = keys(jsondecode(output.template_body).Resources) == ["CrossAccountRole"]
    error_message = "Without the real-time path, the template holds the role only."
  }

  assert {
    condition     = keys(output.instances) == ["eu-west-1"]
    error_message = "Without the real-time path, only role_region's stack holds anything: no empty stacks in the other regions."
  }

  assert {
    condition     = output.stack_set.call_as == "DELEGATED_ADMIN"
    error_message = "A delegated administrator calls as DELEGATED_ADMIN."
  }
}

run "role_region_must_be_checked_and_targets_must_be_roots_or_ous" {
  command = plan

  variables {
    role_region                    = "ap-south-1"
    target_organizational_unit_ids = ["123456789012"]
  }

  expect_failures = [aws_cloudformation_stack_set.this, var.target_organizational_unit_ids]
}

run "per_account_role_with_securityhub" {
  command = plan

  module {
    source = "../crossaccount-role"
  }

  variables {
    role_name                      = "hammer-cloudsec-crossact-id"
    master_account_id              = "123456789012"
    trusted_role_arn               = "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
    securityhub_enabled            = true
    securityhub_reporting_role_arn = "arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails"
  }
}

run "securityhub_gives_the_stack_set_role_the_per_account_role_s_import_and_trust" {
  command = plan

  variables {
    securityhub_enabled            = true
    securityhub_reporting_role_arn = "arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails"
  }

  assert {
    condition     = jsondecode(output.template_body).Resources.CrossAccountRole.Properties.AssumeRolePolicyDocument == jsondecode(run.per_account_role_with_securityhub.assume_role_policy) && length(jsondecode(output.template_body).Resources.CrossAccountRole.Properties.AssumeRolePolicyDocument.Statement) == 2
    error_message = "With Security Hub the StackSet's role trusts the identification and the reporting role, as the per-account role does: ${output.template_body}"
  }

  assert {
    condition     = jsondecode(output.template_body).Resources.CrossAccountRole.Properties.Policies == [{ PolicyName = "hammer-cloudsec-crossact-id-cloudtrail-read", PolicyDocument = jsondecode(run.per_account_role_with_securityhub.policy) }] && contains(flatten([for statement in jsondecode(output.template_body).Resources.CrossAccountRole.Properties.Policies[0].PolicyDocument.Statement : statement.Action]), "securityhub:BatchImportFindings")
    error_message = "With Security Hub the StackSet's role may import findings, exactly as the per-account role: ${output.template_body}"
  }
}

run "securityhub_without_the_reporting_role_is_refused" {
  command = plan

  variables {
    securityhub_enabled = true
  }

  expect_failures = [aws_cloudformation_stack_set.this]
}

run "per_account_remediation_role" {
  command = plan

  module {
    source = "../remediation-role"
  }

  variables {
    role_name         = "hammer-cloudsec-crossact-ec2"
    account_id        = "210987654321"
    master_account_id = "123456789012"
    trusted_role_arns = ["arn:aws:iam::123456789012:role/hammer-remediation-cloudtrails"]
  }
}

run "remediation_puts_the_per_account_remediation_role_in_the_remediation_accounts_only" {
  command = plan

  variables {
    remediation = {
      role_name         = "hammer-cloudsec-crossact-ec2"
      trusted_role_arns = ["arn:aws:iam::123456789012:role/hammer-remediation-cloudtrails"]
      account_ids       = ["654321210987", "210987654321"]
    }
  }

  assert {
    condition     = jsondecode(output.template_body).Resources.RemediationRole.Properties.AssumeRolePolicyDocument == jsondecode(run.per_account_remediation_role.assume_role_policy)
    error_message = "The StackSet's remediation role trusts exactly what the per-account remediation role trusts: ${output.template_body}"
  }

  assert {
    # The same policy once CloudFormation substitutes the stack's account id.
    condition     = replace(jsonencode(jsondecode(output.template_body).Resources.RemediationRole.Properties.Policies[0].PolicyDocument), "{\"Fn::Sub\":\"arn:aws:cloudtrail:*:$${AWS::AccountId}:trail/*\"}", "\"arn:aws:cloudtrail:*:210987654321:trail/*\"") == jsonencode(jsondecode(run.per_account_remediation_role.policy)) && jsondecode(output.template_body).Resources.RemediationRole.Properties.Policies[0].PolicyName == "hammer-cloudsec-crossact-ec2-cloudtrail-remediation"
    error_message = "The StackSet's remediation role has exactly the per-account role's policy, StartLogging on the stack's own account only: ${output.template_body}"
  }

  assert {
    condition = jsondecode(output.template_body).Resources.RemediationRole.Condition == "IsRemediationRoleStack" && jsondecode(output.template_body).Conditions.IsRemediationRoleStack == { "Fn::And" = [{ Condition = "IsRoleRegion" }, { Condition = "IsRemediationAccount" }] } && jsondecode(output.template_body).Conditions.IsRemediationAccount == { "Fn::Or" = [
      { "Fn::Equals" = [{ Ref = "AWS::AccountId" }, "210987654321"] },
      { "Fn::Equals" = [{ Ref = "AWS::AccountId" }, "654321210987"] },
    ] }
    error_message = "The remediation role exists only in the role region's stack of the remediation accounts: ${output.template_body}"
  }
}

run "many_remediation_accounts_are_grouped_by_ten" {
  command = plan

  variables {
    remediation = {
      role_name         = "hammer-cloudsec-crossact-ec2"
      trusted_role_arns = ["arn:aws:iam::123456789012:role/hammer-remediation-cloudtrails"]
      account_ids       = [for n in range(11) : format("1000000000%02d", n)]
    }
  }

  assert {
    condition     = length(jsondecode(output.template_body).Conditions.IsRemediationAccount["Fn::Or"]) == 2 && length(jsondecode(output.template_body).Conditions.IsRemediationAccount["Fn::Or"][0]["Fn::Or"]) == 10 && jsondecode(output.template_body).Conditions.IsRemediationAccount["Fn::Or"][1] == { "Fn::Equals" = [{ Ref = "AWS::AccountId" }, "100000000010"] }
    error_message = "Eleven accounts: a group of ten and one, each within CloudFormation's limit of ten conditions per Fn::Or: ${jsonencode(jsondecode(output.template_body).Conditions)}"
  }
}

run "without_remediation_no_remediation_role" {
  command = plan

  assert {
    condition     = !contains(keys(jsondecode(output.template_body).Resources), "RemediationRole") && keys(jsondecode(output.template_body).Conditions) == ["IsRoleRegion"]
    error_message = "No remediation variable, no remediation role nor condition."
  }
}
