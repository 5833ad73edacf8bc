# The master account and main region come from config.json (aws.main_account_id,
# aws.region); credentials from the usual AWS environment (profile, SSO, role).
# allowed_account_ids stops a plan made with credentials of another account.
provider "aws" {
  region              = module.settings.region
  allowed_account_ids = [module.settings.main_account_id]
}
