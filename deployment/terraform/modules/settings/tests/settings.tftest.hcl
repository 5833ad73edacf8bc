# The settings module reads config.json as the TypeScript configuration model
# does; these runs feed it config files inline and check what it derives.

variables {
  config_json = <<-JSON
    {
      "aws": {
        "main_account_id": "123456789012",
        "region": "eu-west-1",
        "accounts": {"123456789012": "master", "210987654321": "slave1", "654321210987": "slave2"}
      },
      "cloudtrails": {"enabled": true, "ddb.table_name": "hammer-cloudtrails", "reporting": false}
    }
  JSON
}

run "minimal_config_gives_hammer_defaults" {
  command = plan

  assert {
    condition = (
      output.main_account_id == "123456789012" &&
      output.region == "eu-west-1" &&
      output.issues_table_name == "hammer-cloudtrails" &&
      output.topic_name == "hammer-describe-cloudtrails-lambda" &&
      output.credentials_table_name == "hammer-credentials" &&
      output.api_requests_table_name == "hammer-api-requests" &&
      output.role_name_identification == "hammer-cloudsec-crossact-id" &&
      output.reporting_cron == "55 * * * *" &&
      output.reporting_schedule_expression == "cron(55 * * * ? *)"
    )
    error_message = "Missing keys must take Hammer's defaults."
  }

  assert {
    condition = output.names == {
      initiate_function         = "hammer-initiate-cloudtrails"
      describe_function         = "hammer-describe-cloudtrails"
      reporting_function        = "hammer-reporting-cloudtrails"
      identification_rule       = "hammer-InitiateEvaluationCloudTrails"
      reporting_rule            = "hammer-ReportingCloudTrails"
      topic_display_name        = "hammer-describe-cloudtrails-sns"
      alarm_topic               = "hammer-identification-errors"
      identification_dlq        = "hammer-cloudtrails-identification-dlq"
      reporting_dlq             = "hammer-cloudtrails-reporting-dlq"
      reporting_host_log_group  = "/aws/ec2/hammer-reporting-remediation"
      reporting_host_log_stream = "reporting.create_cloudtrails_tickets"
      reporting_host_policy     = "hammer-reporting-cloudtrails-host"
    }
    error_message = "Names built from the default prefix must be Hammer's: ${jsonencode(output.names)}"
  }

  assert {
    condition     = jsonencode(output.checked_account_ids) == jsonencode(["123456789012", "210987654321", "654321210987"]) && jsonencode(output.crossaccount_account_ids) == jsonencode(["210987654321", "654321210987"])
    error_message = "Without cloudtrails.accounts every account is checked, and all but the master need the cross-account role."
  }

  assert {
    condition     = output.regions == null && output.enabled == true && output.reporting == false
    error_message = "No aws.regions means discovery; enabled and reporting come from the flags."
  }
}

run "prefix_renames_what_config_does_not_name" {
  command = plan

  variables {
    resources_prefix = "acme-"
  }

  assert {
    condition     = output.names.describe_function == "acme-describe-cloudtrails" && output.names.identification_rule == "acme-InitiateEvaluationCloudTrails" && output.names.reporting_host_log_group == "/aws/ec2/acme-reporting-remediation"
    error_message = "resources_prefix must prefix the Lambdas, rules and log groups."
  }

  assert {
    condition     = output.issues_table_name == "hammer-cloudtrails" && output.topic_name == "hammer-describe-cloudtrails-lambda"
    error_message = "Names that config.json gives must not take the prefix."
  }
}

run "config_keys_override_defaults" {
  command = plan

  variables {
    config_json = <<-JSON
      {
        "aws": {
          "main_account_id": "123456789012",
          "region": "us-east-1",
          "regions": ["us-east-1", "eu-west-1", "us-east-1"],
          "role_name_identification": "acme-crossaccount-cloudtrail",
          "accounts": {"123456789012": "master", "210987654321": "slave1", "654321210987": "slave2", "111111111111": "sandbox"}
        },
        "cloudtrails": {
          "enabled": "FALSE",
          "reporting": "True",
          "ddb.table_name": "acme-cloudtrails",
          "topic_name": "acme-describe-cloudtrails",
          "accounts": ["210987654321", "654321210987", "999999999999"],
          "ignore_accounts": ["654321210987"]
        },
        "credentials": {"ddb.table_name": "acme-credentials"},
        "api": {"ddb.table_name": ""},
        "cronjobs": {"reporting": "30 7 * * 1-5"},
        "slack": {"unknown_key": "kept and ignored"}
      }
    JSON
  }

  assert {
    condition = (
      output.region == "us-east-1" &&
      output.issues_table_name == "acme-cloudtrails" &&
      output.topic_name == "acme-describe-cloudtrails" &&
      output.credentials_table_name == "acme-credentials" &&
      output.api_requests_table_name == "hammer-api-requests" &&
      output.role_name_identification == "acme-crossaccount-cloudtrail"
    )
    error_message = "Names must come from config.json; an empty string falls back to the default."
  }

  assert {
    condition     = output.enabled == false && output.reporting == true
    error_message = "The strings \"FALSE\" and \"True\" are flags in any case."
  }

  assert {
    condition     = jsonencode(output.regions) == jsonencode(["us-east-1", "eu-west-1"])
    error_message = "aws.regions is used as listed, without duplicates."
  }

  assert {
    condition     = jsonencode(output.checked_account_ids) == jsonencode(["210987654321", "999999999999"]) && jsonencode(output.crossaccount_account_ids) == jsonencode(["210987654321", "999999999999"])
    error_message = "cloudtrails.accounts replaces aws.accounts and ignore_accounts removes from it: ${jsonencode(output.checked_account_ids)}"
  }

  assert {
    condition     = output.reporting_schedule_expression == "cron(30 7 ? * 2,3,4,5,6 *)"
    error_message = "Monday to Friday (cron 1-5) is EventBridge's 2-6, with ? for day-of-month: ${output.reporting_schedule_expression}"
  }
}

run "ignoring_every_account_leaves_no_role_to_assume" {
  command = plan

  variables {
    config_json = <<-JSON
      {
        "aws": {"main_account_id": "123456789012", "region": "eu-west-1", "accounts": {"123456789012": "master", "210987654321": "slave1"}},
        "cloudtrails": {"ddb.table_name": "hammer-cloudtrails", "ignore_accounts": ["210987654321"], "enabled": false},
        "cronjobs": {"reporting": "*/20 */2 1 * *"}
      }
    JSON
  }

  assert {
    condition     = jsonencode(output.checked_account_ids) == jsonencode(["123456789012"]) && length(output.crossaccount_account_ids) == 0 && output.enabled == false
    error_message = "Only the master is left, which identification checks with its own role."
  }

  assert {
    condition     = output.reporting_schedule_expression == "cron(0/20 0/2 1 * ? *)"
    error_message = "Steps over * are written from 0 for EventBridge, and a day-of-month leaves day-of-week as ?: ${output.reporting_schedule_expression}"
  }
}

run "sunday_as_0_or_7_and_day_names_convert" {
  command = plan

  variables {
    config_json = <<-JSON
      {
        "aws": {"main_account_id": "123456789012", "region": "eu-west-1", "accounts": {"210987654321": "slave1"}},
        "cloudtrails": {"ddb.table_name": "hammer-cloudtrails"},
        "cronjobs": {"reporting": "0 22 * * 0,6-7,mon"}
      }
    JSON
  }

  assert {
    condition     = output.reporting_schedule_expression == "cron(0 22 ? * 1,7,MON *)"
    error_message = "Sunday (0 or 7) is 1, Saturday (6) is 7, names pass through in upper case: ${output.reporting_schedule_expression}"
  }
}

run "enabled_maybe_is_refused" {
  command = plan

  variables {
    config_json = <<-JSON
      {
        "aws": {"main_account_id": "123456789012", "region": "eu-west-1", "accounts": {"210987654321": "slave1"}},
        "cloudtrails": {"ddb.table_name": "hammer-cloudtrails", "enabled": "maybe"}
      }
    JSON
  }

  expect_failures = [output.enabled]
}

run "missing_main_account_id_is_refused" {
  command = plan

  variables {
    config_json = <<-JSON
      {
        "aws": {"region": "eu-west-1", "accounts": {"210987654321": "slave1"}},
        "cloudtrails": {"ddb.table_name": "hammer-cloudtrails"}
      }
    JSON
  }

  expect_failures = [output.main_account_id]
}

run "missing_issues_table_is_refused" {
  command = plan

  variables {
    config_json = <<-JSON
      {
        "aws": {"main_account_id": "123456789012", "region": "eu-west-1", "accounts": {"210987654321": "slave1"}},
        "cloudtrails": {"enabled": true}
      }
    JSON
  }

  expect_failures = [output.issues_table_name]
}

run "bad_account_id_is_refused" {
  command = plan

  variables {
    config_json = <<-JSON
      {
        "aws": {"main_account_id": "123456789012", "region": "eu-west-1", "accounts": {"12345": "short"}},
        "cloudtrails": {"ddb.table_name": "hammer-cloudtrails"}
      }
    JSON
  }

  expect_failures = [output.accounts]
}

run "cron_restricting_both_day_fields_is_refused" {
  command = plan

  variables {
    config_json = <<-JSON
      {
        "aws": {"main_account_id": "123456789012", "region": "eu-west-1", "accounts": {"210987654321": "slave1"}},
        "cloudtrails": {"ddb.table_name": "hammer-cloudtrails"},
        "cronjobs": {"reporting": "0 6 1 * 1"}
      }
    JSON
  }

  expect_failures = [output.reporting_schedule_expression]
}

run "cron_without_five_fields_is_refused" {
  command = plan

  variables {
    config_json = <<-JSON
      {
        "aws": {"main_account_id": "123456789012", "region": "eu-west-1", "accounts": {"210987654321": "slave1"}},
        "cloudtrails": {"ddb.table_name": "hammer-cloudtrails"},
        "cronjobs": {"reporting": "55 * * * ? *"}
      }
    JSON
  }

  expect_failures = [output.reporting_schedule_expression]
}

run "topic_name_beyond_sns_limits_is_refused" {
  command = plan

  variables {
    config_json = <<-JSON
      {
        "aws": {"main_account_id": "123456789012", "region": "eu-west-1", "accounts": {"210987654321": "slave1"}},
        "cloudtrails": {"ddb.table_name": "hammer-cloudtrails", "topic_name": "hammer.describe.cloudtrails"},
        "credentials": {"ddb.table_name": "hc"}
      }
    JSON
  }

  expect_failures = [output.topic_name, output.credentials_table_name]
}

run "bad_prefix_is_refused" {
  command = plan

  variables {
    resources_prefix = "hammer prod/"
  }

  expect_failures = [var.resources_prefix]
}
