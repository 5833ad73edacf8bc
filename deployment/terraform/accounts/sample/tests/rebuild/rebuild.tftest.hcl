# A second build must not change the code any function would deploy.
# deployment/terraform/checks.mjs rebuilds the zips into .tmp/terraform-rebuild/dist
# (another time zone, touched sources) and runs this file with
#   terraform test -test-directory=tests/rebuild

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
}

run "first_build" {
  command = plan
}

run "second_build" {
  command = plan

  variables {
    lambda_zip_dir = "../../../../.tmp/terraform-rebuild/dist"
  }

  assert {
    condition     = { for key, function in output.functions : key => function.source_code_hash } == { for key, function in run.first_build.functions : key => function.source_code_hash }
    error_message = "The rebuilt zips would change source_code_hash: ${jsonencode({ for key, function in output.functions : key => function.source_code_hash })} after ${jsonencode({ for key, function in run.first_build.functions : key => function.source_code_hash })}"
  }

  assert {
    condition     = alltrue([for function in values(output.functions) : startswith(function.filename, "../../../../.tmp/terraform-rebuild/dist/")])
    error_message = "The second plan must read the rebuilt zips."
  }
}
