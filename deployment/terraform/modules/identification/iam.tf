# One role per Lambda, named after it, each allowed only what its code calls,
# on exact resources. ec2:DescribeRegions and cloudtrail:DescribeTrails accept
# no resource but "*" (AWS gives them no resource type).

locals {
  lambda_trust_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "LambdaAssumesRole"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  }

  logs_statements = {
    for key, arn in local.log_group_arns : key => {
      Sid      = "WriteOwnLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${arn}:*"]
    }
  }

  dead_letter_statement = {
    Sid      = "SendFailedEventsToDeadLetterQueue"
    Effect   = "Allow"
    Action   = ["sqs:SendMessage"]
    Resource = [local.dead_letter_queue_arn]
  }

  describe_regions_statements = var.discover_regions ? [{
    Sid      = "DiscoverRegions"
    Effect   = "Allow"
    Action   = ["ec2:DescribeRegions"]
    Resource = ["*"]
  }] : []

  crossaccount_role_arns = [for id in sort(var.crossaccount_account_ids) : "arn:${local.partition}:iam::${id}:role/${var.crossaccount_role_name}"]

  policies = {
    initiate = {
      Version = "2012-10-17"
      Statement = concat(
        [local.logs_statements.initiate],
        [{
          Sid      = "PublishWork"
          Effect   = "Allow"
          Action   = ["sns:Publish"]
          Resource = [local.topic_arn]
        }],
        local.describe_regions_statements,
        [local.dead_letter_statement],
      )
    }

    describe = {
      Version = "2012-10-17"
      Statement = concat(
        [local.logs_statements.describe],
        length(local.crossaccount_role_arns) > 0 ? [{
          Sid      = "AssumeCrossAccountRole"
          Effect   = "Allow"
          Action   = ["sts:AssumeRole"]
          Resource = local.crossaccount_role_arns
        }] : [],
        [
          {
            Sid      = "DescribeTrails"
            Effect   = "Allow"
            Action   = ["cloudtrail:DescribeTrails"]
            Resource = ["*"]
          },
          {
            # Trails of any account: shadow copies of organization trails
            # carry the management account's id in their ARN.
            Sid      = "ReadTrailStatusAndSelectors"
            Effect   = "Allow"
            Action   = ["cloudtrail:GetEventSelectors", "cloudtrail:GetTrailStatus"]
            Resource = ["arn:${local.partition}:cloudtrail:*:*:trail/*"]
          },
          {
            Sid      = "RepublishRemainingRegions"
            Effect   = "Allow"
            Action   = ["sns:Publish"]
            Resource = [local.topic_arn]
          },
          {
            Sid      = "ReadWriteIssues"
            Effect   = "Allow"
            Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
            Resource = [local.issues_table_arn]
          },
          {
            Sid      = "CountApiRequestProgress"
            Effect   = "Allow"
            Action   = ["dynamodb:UpdateItem"]
            Resource = [local.api_table_arn]
          },
        ],
        local.describe_regions_statements,
        [local.dead_letter_statement],
      )
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.functions

  name               = each.value.name
  description        = "Execution role of the Lambda ${each.value.name}"
  assume_role_policy = jsonencode(local.lambda_trust_policy)
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  for_each = local.policies

  name   = "${local.functions[each.key].name}-permissions"
  role   = aws_iam_role.this[each.key].id
  policy = jsonencode(each.value)
}
