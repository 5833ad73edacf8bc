/**
 * The typed configuration model: what this module reads from Hammer's
 * config.json, whitelist.json, temp_whitelist_issues.json and
 * ticket_owners.json. Field names follow Hammer's keys in camelCase; the
 * comments give the JSON key each comes from.
 */
import type { TicketOwners } from './ticketOwners.ts';
import type { IssueWhitelist } from './issueWhitelist.ts';
import type { OrganizationConfig, RealtimeConfig } from './organizationConfig.ts';

/** Endpoints of a trail whose delivery errors are recorded in `trails[].errors`. */
export type TrailEndpoint = 's3' | 'cloudwatch' | 'sns' | 'digest';
export const TRAIL_ENDPOINTS: readonly TrailEndpoint[] = ['s3', 'cloudwatch', 'sns', 'digest'];

export interface AwsConfig {
  /** aws.region: the main region; the Lambda's AWS_REGION wins at run time. */
  region: string;
  /** aws.regions: regions to check; undefined = ask EC2 DescribeRegions in the main account. */
  regions: string[] | undefined;
  /** aws.accounts: every controlled account, id -> name. */
  accounts: Record<string, string>;
  /** aws.main_account_id, when given. */
  mainAccountId: string | undefined;
  /** aws.role_name_identification (default hammer-cloudsec-crossact-id). */
  roleNameIdentification: string;
  /**
   * aws.role_name_reporting (default hammer-cloudsec-crossact-ec2): the role
   * remediation assumes in each remediation account, as Hammer's clean_* modules do.
   */
  roleNameReporting: string;
  /** aws.organization (Beyond, opt-in): the checked accounts come from AWS Organizations (config/organizationConfig.ts). */
  organization?: OrganizationConfig | undefined;
}

export interface CloudTrailsConfig {
  /** cloudtrails.enabled (default true; boolean or "true"/"false"). */
  enabled: boolean;
  /** cloudtrails["ddb.table_name"]: the issues table. */
  ddbTableName: string;
  /** cloudtrails.reporting (default false). */
  reporting: boolean;
  /** cloudtrails.topic_name (default hammer-describe-cloudtrails-lambda). */
  topicName: string;
  /**
   * The accounts this module checks, id -> name: cloudtrails.accounts when it
   * lists any (names from aws.accounts, "" when missing), else all of
   * aws.accounts; minus cloudtrails.ignore_accounts.
   */
  accounts: Record<string, string>;
  /** cloudtrails.labels: JIRA labels of new tickets (default ["cloudtrail-issue"]). */
  labels: string[];
  /**
   * cloudtrails.issue_endpoints (Beyond): endpoints whose delivery error on a
   * logging trail opens an issue. Default ["s3", "cloudwatch"] as in Hammer;
   * "sns" and "digest" errors are always recorded but only open an issue when listed.
   */
  issueEndpoints: TrailEndpoint[];
  /**
   * cloudtrails.stale_delivery_hours (Beyond, opt-in): a logging trail whose
   * last S3 or CloudWatch Logs delivery is older than this is an error of that endpoint.
   */
  staleDeliveryHours: number | undefined;
  /**
   * cloudtrails.require_read_management_events (Beyond, opt-in; default
   * false; boolean or "true"/"false"): a trail covers a region only when it
   * records read management events as well as write ones, as the CIS AWS
   * Foundations Benchmark asks. Write management events are always required.
   */
  requireReadManagementEvents: boolean;
  /**
   * cloudtrails.securityhub (Beyond, opt-in; default false; boolean or
   * "true"/"false"): the reporting run sends every issue of a checked account
   * to AWS Security Hub as an ASFF finding (reporting/securityhub/).
   */
  securityhub: boolean;
  /**
   * cloudtrails.securityhub_region (Beyond, optional): the one region every
   * finding is imported in (Security Hub's aggregation region, say); absent,
   * each finding is imported in its issue's region.
   */
  securityhubRegion: string | undefined;
  /** cloudtrails.remediation (default false; boolean or "true"/"false"): whether remediation runs. */
  remediation: boolean;
  /**
   * The accounts remediation works on, id -> name: cloudtrails.remediation_accounts
   * (names from aws.accounts, "" when missing) minus cloudtrails.ignore_accounts.
   * Absent or empty: none (Hammer's other modules take all accounts then; a
   * write to accounts is opted into by listing them).
   */
  remediationAccounts: Record<string, string>;
  /**
   * cloudtrails.remediation_retention_period (default 365, Hammer's): whole
   * days between `timestamps.reported` and the remediation of an issue.
   */
  remediationRetentionPeriod: number;
  /**
   * cloudtrails.reporting_concurrency (Beyond; default 8): issues reported at
   * once by one reporting run; 1 reports one at a time, as Hammer did.
   */
  reportingConcurrency: number;
  /**
   * cloudtrails.accounts and cloudtrails.ignore_accounts as written, for
   * merging with the accounts of AWS Organizations (library/scan/checkedAccounts.ts).
   */
  accountSelection?: { listed: string[]; ignored: string[] } | undefined;
  /** cloudtrails.realtime (Beyond, opt-in): the real-time path's behaviour. */
  realtime?: RealtimeConfig | undefined;
}

export interface JiraConfig {
  /** jira.enabled (default false). */
  enabled: boolean;
  /** jira.server, e.g. https://issues.example.com (no trailing slash). */
  server: string | undefined;
  /** jira.issue_type (default Task). */
  issueType: string;
  /** jira.text_field_character_limit (0 = no limit). */
  textFieldCharacterLimit: number;
  /**
   * jira.priority (Beyond; default "Major", Hammer's value): the priority name
   * of new tickets. Jira Cloud's default scheme has no "Major" (Highest, High,
   * Medium, Low, Lowest), so Cloud sites set e.g. "High".
   */
  priority: string;
  /** jira.close_transition (Beyond; default "Close Issue"). */
  closeTransition: string;
  /** jira.deployment (Beyond): "server", "cloud" or "auto" (ask serverInfo; default). */
  deployment: 'server' | 'cloud' | 'auto';
  /** jira.ca_bundle (Beyond): path of extra PEM CA certificates to trust, relative to the config folder. */
  caBundle: string | undefined;
  /**
   * jira.project_concurrency (Beyond; default 4): issues of one JIRA project
   * (ticket_owners.json's jira_project) reported at once.
   */
  projectConcurrency: number;
}

export interface SlackConfig {
  /** slack.enabled (default false). */
  enabled: boolean;
  /** slack.notify_default_owner (default true). */
  notifyDefaultOwner: boolean;
  /** slack.channels: {"#channel": ["regex", ...]}. */
  channels: Record<string, string[]>;
  /** slack.ignore: regexes of messages never sent. */
  ignore: string[];
  /** slack.default_channel. */
  defaultChannel: string | undefined;
  /** slack.api_url (Beyond; default https://slack.com/api). */
  apiUrl: string;
  /**
   * slack.digest_threshold (Beyond, opt-in; absent or 0 = off): a Slack owner
   * who would get at least this many "Discovered" / "Ticket filed" messages in
   * one run gets them as one digest (split at Slack's advised 4,000
   * characters) instead.
   */
  digestThreshold: number | undefined;
}

export interface HammerConfig {
  /** The folder the files were read from. */
  dir: string;
  aws: AwsConfig;
  cloudtrails: CloudTrailsConfig;
  jira: JiraConfig;
  slack: SlackConfig;
  /** credentials["ddb.table_name"] (default hammer-credentials). */
  credentialsTableName: string;
  /** api["ddb.table_name"] (default hammer-api-requests). */
  apiTableName: string;
  /** whitelisting_procedure_url; undefined when absent or empty. */
  whitelistingProcedureUrl: string | undefined;
  /** cronjobs.reporting: 5-field cron of the reporting run (default "55 * * * *"). */
  reportingCron: string;
  /** cronjobs.remediation: 5-field cron of the remediation run (default "45 10 * * *", Hammer's sample); read by Terraform. */
  remediationCron: string;
  /** whitelist.json's cloudtrails section: regions whose issues get status `whitelisted`. */
  whitelist: IssueWhitelist;
  /** temp_whitelist_issues.json's cloudtrails section: status `tempwhitelist`. */
  tempWhitelist: IssueWhitelist;
  ticketOwners: TicketOwners;
  /** The parsed config.json as it is, unknown keys included. */
  raw: Record<string, unknown>;
}

export const DEFAULTS = {
  roleNameIdentification: 'hammer-cloudsec-crossact-id',
  roleNameReporting: 'hammer-cloudsec-crossact-ec2',
  topicName: 'hammer-describe-cloudtrails-lambda',
  labels: ['cloudtrail-issue'],
  issueEndpoints: ['s3', 'cloudwatch'] as TrailEndpoint[],
  credentialsTableName: 'hammer-credentials',
  apiTableName: 'hammer-api-requests',
  jiraIssueType: 'Task',
  jiraPriority: 'Major',
  jiraCloseTransition: 'Close Issue',
  slackApiUrl: 'https://slack.com/api',
  reportingCron: '55 * * * *',
  remediationCron: '45 10 * * *',
  remediationRetentionPeriod: 365,
  reportingConcurrency: 8,
  jiraProjectConcurrency: 4,
} as const;
