# The environment's customer-managed KMS key, for what holds secrets or
# operational data: the credentials table, the topics and the log groups. Its
# key policy names every principal that may use it, each only through the
# service it needs (no statement delegates to IAM, so broad IAM or DynamoDB
# rights in the account do not open the credentials).

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  log_group_arns = [for name in sort(var.log_group_names) : "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${name}"]

  statements = concat(
    [{
      Sid       = "KeyAdministrators"
      Effect    = "Allow"
      Principal = { AWS = sort(var.administrator_arns) }
      Action = [
        "kms:CancelKeyDeletion", "kms:Create*", "kms:Delete*", "kms:Describe*", "kms:Disable*", "kms:Enable*", "kms:Get*",
        "kms:List*", "kms:Put*", "kms:Revoke*", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource",
        "kms:UntagResource", "kms:Update*",
      ]
      Resource = "*"
    }],
    # Whoever applies Terraform (an administrator) creates the tables and
    # attaches the key to them; DynamoDB checks that through the caller.
    [{
      Sid       = "AdministratorsAttachKeyToTables"
      Effect    = "Allow"
      Principal = { AWS = sort(var.administrator_arns) }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
      Resource  = "*"
      Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${local.region}.amazonaws.com" } }
    }],
    length(var.credentials_user_arns) == 0 ? [] : [{
      Sid       = "CredentialsReadersAndWriters"
      Effect    = "Allow"
      Principal = { AWS = sort(var.credentials_user_arns) }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = "*"
      Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${local.region}.amazonaws.com" } }
    }],
    length(var.topic_publisher_arns) == 0 ? [] : [{
      Sid       = "TopicPublishers"
      Effect    = "Allow"
      Principal = { AWS = sort(var.topic_publisher_arns) }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = "*"
      Condition = { StringEquals = { "kms:ViaService" = "sns.${local.region}.amazonaws.com" } }
    }],
    # CloudWatch alarms publish to the encrypted alarm topic (AWS documents
    # this statement for alarms on KMS-encrypted topics; the AWS managed key
    # aws/sns cannot admit CloudWatch, so that topic needs this key).
    var.allow_cloudwatch_alarms ? [{
      Sid       = "CloudWatchAlarmsPublish"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
    }] : [],
    length(local.log_group_arns) == 0 ? [] : [{
      Sid       = "CloudWatchLogsOfTheseGroups"
      Effect    = "Allow"
      Principal = { Service = "logs.${local.region}.amazonaws.com" }
      Action    = ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
      Resource  = "*"
      Condition = { ArnEquals = { "kms:EncryptionContext:aws:logs:arn" = local.log_group_arns } }
    }],
  )

  policy = { Version = "2012-10-17", Statement = local.statements }
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = jsonencode(local.policy)
  tags                    = var.tags

  lifecycle {
    # Deleting the key makes everything it encrypted unreadable (the
    # credentials table, the logs): never from a plan.
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "this" {
  name          = var.alias_name
  target_key_id = aws_kms_key.this.key_id
}
