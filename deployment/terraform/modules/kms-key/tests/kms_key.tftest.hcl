# The key policy admits exactly the administrators, the credentials readers
# and writers (through DynamoDB), the topic publishers (through SNS),
# CloudWatch alarms and the log groups' CloudWatch Logs. Plans only: the key
# has prevent_destroy, which terraform test's clean-up would refuse.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
}

variables {
  account_id              = "123456789012"
  alias_name              = "alias/hammer-cloudtrails"
  administrator_arns      = ["arn:aws:iam::123456789012:role/security-admin"]
  credentials_user_arns   = ["arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails", "arn:aws:iam::123456789012:role/hammer-cloudsec-master-ec2"]
  topic_publisher_arns    = ["arn:aws:iam::123456789012:role/hammer-initiate-cloudtrails", "arn:aws:iam::123456789012:role/hammer-describe-cloudtrails"]
  allow_cloudwatch_alarms = true
  log_group_names         = ["/aws/lambda/hammer-describe-cloudtrails", "/aws/lambda/hammer-initiate-cloudtrails"]
}

run "policy_names_each_principal_through_its_service" {
  command = plan

  assert {
    condition = {
      for statement in jsondecode(aws_kms_key.this.policy).Statement : statement.Sid => [statement.Principal, try(statement.Condition, null)]
      } == {
      KeyAdministrators               = [{ AWS = ["arn:aws:iam::123456789012:role/security-admin"] }, null]
      AdministratorsAttachKeyToTables = [{ AWS = ["arn:aws:iam::123456789012:role/security-admin"] }, { StringEquals = { "kms:ViaService" = "dynamodb.eu-west-1.amazonaws.com" } }]
      CredentialsReadersAndWriters    = [{ AWS = ["arn:aws:iam::123456789012:role/hammer-cloudsec-master-ec2", "arn:aws:iam::123456789012:role/hammer-reporting-cloudtrails"] }, { StringEquals = { "kms:ViaService" = "dynamodb.eu-west-1.amazonaws.com" } }]
      TopicPublishers                 = [{ AWS = ["arn:aws:iam::123456789012:role/hammer-describe-cloudtrails", "arn:aws:iam::123456789012:role/hammer-initiate-cloudtrails"] }, { StringEquals = { "kms:ViaService" = "sns.eu-west-1.amazonaws.com" } }]
      CloudWatchAlarmsPublish         = [{ Service = "cloudwatch.amazonaws.com" }, null]
      CloudWatchLogsOfTheseGroups = [{ Service = "logs.eu-west-1.amazonaws.com" }, { ArnEquals = { "kms:EncryptionContext:aws:logs:arn" = [
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-describe-cloudtrails",
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hammer-initiate-cloudtrails",
      ] } }]
    }
    error_message = "The key policy must admit each principal only through its service: ${aws_kms_key.this.policy}"
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(aws_kms_key.this.policy).Statement : !contains(flatten([values(statement.Principal)]), "*") && !anytrue([for principal in flatten([values(statement.Principal)]) : endswith(principal, ":root")])
    ])
    error_message = "No statement may admit everyone or delegate to the account's IAM policies (:root): broad IAM rights must not open the credentials."
  }

  assert {
    condition     = [for statement in jsondecode(aws_kms_key.this.policy).Statement : statement.Action if statement.Sid == "CredentialsReadersAndWriters"] == [["kms:Decrypt", "kms:GenerateDataKey"]]
    error_message = "Credentials readers and writers get kms:Decrypt and kms:GenerateDataKey, nothing else."
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_key.this.deletion_window_in_days == 30 && aws_kms_alias.this.name == "alias/hammer-cloudtrails"
    error_message = "The key rotates yearly, waits 30 days before deletion, and has its alias."
  }
}

run "only_administrators_when_nothing_uses_it_yet" {
  command = plan

  variables {
    credentials_user_arns   = []
    topic_publisher_arns    = []
    allow_cloudwatch_alarms = false
    log_group_names         = []
  }

  assert {
    condition     = [for statement in jsondecode(aws_kms_key.this.policy).Statement : statement.Sid] == ["KeyAdministrators", "AdministratorsAttachKeyToTables"]
    error_message = "Statements for users, CloudWatch or logs appear only when something uses the key through them."
  }
}

run "a_key_without_administrators_or_with_an_aws_alias_is_refused" {
  command = plan

  variables {
    administrator_arns = []
    alias_name         = "alias/aws/sns"
  }

  expect_failures = [var.administrator_arns, var.alias_name]
}
