# The management account's root, with the environment's config.json (which
# names no aws.organization: account_id is given here).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  account_id        = "111111111111"
  stack_set_targets = ["r-a1b2"]
  regions           = ["eu-west-1", "us-east-1"]
  realtime          = true
}

run "stack_set_role_trusts_the_master_identification_role_and_forwards_to_its_bus" {
  command = plan

  assert {
    condition     = jsondecode(output.stack_set.template_body).Resources.CrossAccountRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals["aws:PrincipalArn"] == "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
    error_message = "The role trusts config.json's master account's identification role, named as the master environment names it."
  }

  assert {
    condition     = jsondecode(output.stack_set.template_body).Resources.CrossAccountRole.Properties.RoleName == "hammer-cloudsec-crossact-id" && jsondecode(output.stack_set.template_body).Conditions.IsRoleRegion["Fn::Equals"][1] == "eu-west-1"
    error_message = "aws.role_name_identification, created in aws.region's stack."
  }

  assert {
    condition     = jsondecode(output.stack_set.template_body).Resources.ForwardingRule.Properties.Targets[0].Arn == "arn:aws:events:eu-west-1:123456789012:event-bus/hammer-cloudtrails-events"
    error_message = "The rules forward to the master environment's bus."
  }

  assert {
    condition     = jsonencode(output.stack_set.instances) == jsonencode({ "eu-west-1" = ["r-a1b2"], "us-east-1" = ["r-a1b2"] })
    error_message = "One instance per region, to the whole organisation."
  }

  assert {
    condition     = output.reader_role_arn == null
    error_message = "config.json names no aws.organization.role_name: no reader role."
  }
}

run "without_targets_there_is_no_stack_set" {
  command = plan

  variables {
    stack_set_targets = []
  }

  assert {
    condition     = output.stack_set == null
    error_message = "No targets, no StackSet."
  }
}

run "the_stack_set_needs_regions" {
  command = plan

  variables {
    regions = null
  }

  expect_failures = [output.account_id]
}
