# The remediation keys read as the TypeScript configuration model reads them.

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

run "no_remediation_key_means_off_for_no_account" {
  command = plan

  assert {
    condition = (
      output.remediation == false &&
      length(output.remediation_account_ids) == 0 &&
      length(output.crossaccount_account_ids) == 0 &&
      output.main_account_in_remediation == false &&
      output.retention_period == 365 &&
      output.role_name_reporting == "hammer-cloudsec-crossact-ec2" &&
      output.remediation_cron == "45 10 * * *" &&
      output.schedule_expression == "cron(45 10 * * ? *)"
    )
    error_message = "Without the keys remediation is off, for no account, with Hammer's defaults."
  }

  assert {
    condition = output.names == {
      function        = "hammer-remediation-cloudtrails"
      rule            = "hammer-RemediationCloudTrails"
      dead_letter     = "hammer-cloudtrails-remediation-dlq"
      host_log_group  = "/aws/ec2/hammer-reporting-remediation"
      host_log_stream = "remediation.clean_cloudtrails"
      host_policy     = "hammer-remediation-cloudtrails-host"
    }
    error_message = "Names must follow Hammer's: ${jsonencode(output.names)}"
  }
}

run "reads_the_keys_as_hammer_writes_them" {
  command = plan

  variables {
    resources_prefix = "acme-"
    config_json = jsonencode({
      aws         = { main_account_id = "123456789012", region = "eu-west-1", role_name_reporting = "acme-crossact-remediation", accounts = { "123456789012" = "master", "210987654321" = "slave1", "654321210987" = "slave2" } }
      cronjobs    = { reporting = "55 * * * *", remediation = "30 6 * * 1-5" }
      cloudtrails = { "ddb.table_name" = "hammer-cloudtrails", remediation = "True", remediation_accounts = ["654321210987", "123456789012", "210987654321"], ignore_accounts = ["210987654321"], remediation_retention_period = 21 }
    })
  }

  assert {
    condition = (
      output.remediation == true &&
      jsonencode(output.remediation_account_ids) == jsonencode(["123456789012", "654321210987"]) &&
      jsonencode(output.crossaccount_account_ids) == jsonencode(["654321210987"]) &&
      output.main_account_in_remediation == true &&
      output.retention_period == 21 &&
      output.role_name_reporting == "acme-crossact-remediation" &&
      output.schedule_expression == "cron(30 6 ? * 2,3,4,5,6 *)" &&
      output.names.function == "acme-remediation-cloudtrails"
    )
    error_message = "The keys must be read as config.json gives them, ignore_accounts left out: ${jsonencode([output.remediation_account_ids, output.schedule_expression])}"
  }
}

run "a_flag_that_is_not_a_boolean_is_refused" {
  command = plan

  variables {
    config_json = jsonencode({ aws = { main_account_id = "123456789012", accounts = { "123456789012" = "master" } }, cloudtrails = { remediation = "maybe" } })
  }

  expect_failures = [output.remediation]
}

run "a_malformed_account_id_is_refused" {
  command = plan

  variables {
    config_json = jsonencode({ aws = { main_account_id = "123456789012", accounts = { "123456789012" = "master" } }, cloudtrails = { remediation_accounts = ["2109876543"] } })
  }

  expect_failures = [output.remediation_account_ids]
}

run "a_cron_eventbridge_cannot_express_is_refused" {
  command = plan

  variables {
    config_json = jsonencode({ aws = { main_account_id = "123456789012", accounts = { "123456789012" = "master" } }, cronjobs = { remediation = "45 10 1 * 1" }, cloudtrails = {} })
  }

  expect_failures = [output.schedule_expression]
}
