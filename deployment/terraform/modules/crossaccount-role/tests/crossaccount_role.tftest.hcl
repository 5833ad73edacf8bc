mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  role_name         = "hammer-cloudsec-crossact-id"
  master_account_id = "123456789012"
  trusted_role_arn  = "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"
}

run "role_trusts_only_the_identification_role_and_only_reads_cloudtrail" {
  command = plan

  assert {
    condition     = output.role_name == "hammer-cloudsec-crossact-id"
    error_message = "The role must be named as config.json's aws.role_name_identification."
  }

  assert {
    condition = jsondecode(output.assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "IdentificationLambdaOnly"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = "arn:aws:iam::123456789012:root" }
        Condition = { ArnEquals = { "aws:PrincipalArn" = "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails" } }
      }]
    }
    error_message = "Only the master account's identification role may assume the role: ${output.assume_role_policy}"
  }

  assert {
    condition = toset(flatten([
      for statement in jsondecode(output.policy).Statement : [for action in statement.Action : [for resource in statement.Resource : "${statement.Effect} ${action} ${resource}"]]
      ])) == toset([
      "Allow cloudtrail:DescribeTrails *",
      "Allow cloudtrail:GetTrailStatus arn:aws:cloudtrail:*:*:trail/*",
      "Allow cloudtrail:GetEventSelectors arn:aws:cloudtrail:*:*:trail/*",
    ])
    error_message = "The role must allow DescribeTrails, GetTrailStatus and GetEventSelectors and nothing else: ${output.policy}"
  }
}

run "short_sessions_and_non_role_principals_are_refused" {
  command = plan

  variables {
    max_session_duration = 900
    trusted_role_arn     = "arn:aws:iam::123456789012:root"
  }

  expect_failures = [var.max_session_duration, var.trusted_role_arn]
}
