import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './configError.ts';
import { DEFAULTS, TRAIL_ENDPOINTS, type AwsConfig, type CloudTrailsConfig, type HammerConfig, type JiraConfig, type SlackConfig, type TrailEndpoint } from './hammerConfig.ts';
import { IssueWhitelist } from './issueWhitelist.ts';
import { JsonFields, joinPath, type JsonObject } from './jsonFields.ts';
import { parseOrganization, parseRealtime } from './organizationConfig.ts';
import { readJsonFile } from './readJsonFile.ts';
import { TicketOwners } from './ticketOwners.ts';

/** The files of a config folder, as Hammer's build copies them into every package. */
export const CONFIG_FILES = {
  config: 'config.json',
  whitelist: 'whitelist.json',
  ticketOwners: 'ticket_owners.json',
  tempWhitelist: 'temp_whitelist_issues.json',
} as const;

/** Hammer's section name of this module in config.json and the whitelist files. */
export const MODULE_SECTION = 'cloudtrails';

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Reads and validates a config folder once. config.json is required;
 * whitelist.json, ticket_owners.json and temp_whitelist_issues.json are
 * optional (empty when missing), as in Hammer. Throws ConfigError.
 */
export function loadConfig(dir: string): HammerConfig {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new ConfigError(dir, '', 'a config folder holding config.json', 'no such folder');

  const raw = readJsonFile(join(dir, CONFIG_FILES.config), { optional: false });
  const config = parseMainConfig(CONFIG_FILES.config, raw);
  return {
    ...config,
    dir,
    whitelist: IssueWhitelist.fromFile(CONFIG_FILES.whitelist, readJsonFile(join(dir, CONFIG_FILES.whitelist), { optional: true }), MODULE_SECTION),
    tempWhitelist: IssueWhitelist.fromFile(CONFIG_FILES.tempWhitelist, readJsonFile(join(dir, CONFIG_FILES.tempWhitelist), { optional: true }), MODULE_SECTION),
    ticketOwners: TicketOwners.fromFile(CONFIG_FILES.ticketOwners, readJsonFile(join(dir, CONFIG_FILES.ticketOwners), { optional: true })),
  };
}

type MainConfig = Omit<HammerConfig, 'dir' | 'whitelist' | 'tempWhitelist' | 'ticketOwners'>;

/** Parses config.json's content (already JSON-parsed). Exported for tests and tools. */
export function parseMainConfig(file: string, parsed: unknown): MainConfig {
  const fields = new JsonFields(file);
  const root = fields.object(parsed, '');
  const aws = parseAws(fields, fields.requiredObject(root, 'aws', ''));
  const credentials = fields.optionalObject(root, 'credentials', '') ?? {};
  const api = fields.optionalObject(root, 'api', '') ?? {};
  const cronjobs = fields.optionalObject(root, 'cronjobs', '') ?? {};
  const whitelistingProcedureUrl = fields.optionalString(root, 'whitelisting_procedure_url', '');
  return {
    aws,
    cloudtrails: parseCloudTrails(fields, fields.requiredObject(root, MODULE_SECTION, ''), aws.accounts),
    jira: parseJira(fields, fields.optionalObject(root, 'jira', '') ?? {}),
    slack: parseSlack(fields, fields.optionalObject(root, 'slack', '') ?? {}),
    credentialsTableName: fields.optionalString(credentials, 'ddb.table_name', 'credentials') || DEFAULTS.credentialsTableName,
    apiTableName: fields.optionalString(api, 'ddb.table_name', 'api') || DEFAULTS.apiTableName,
    whitelistingProcedureUrl: whitelistingProcedureUrl || undefined,
    reportingCron: fields.optionalString(cronjobs, 'reporting', 'cronjobs') || DEFAULTS.reportingCron,
    remediationCron: fields.optionalString(cronjobs, 'remediation', 'cronjobs') || DEFAULTS.remediationCron,
    raw: root,
  };
}

function parseAws(fields: JsonFields, aws: JsonObject): AwsConfig {
  const accounts = fields.stringMap(aws, 'accounts', 'aws', true) ?? {};
  for (const accountId of Object.keys(accounts)) {
    if (!ACCOUNT_ID.test(accountId)) fields.fail(joinPath('aws.accounts', accountId), 'a 12-digit AWS account id as the key', accountId);
  }
  if (Object.keys(accounts).length === 0) fields.fail('aws.accounts', 'at least one account', aws.accounts);
  const regions = fields.optionalStringList(aws, 'regions', 'aws');
  if (regions !== undefined && regions.length === 0) fields.fail('aws.regions', 'a non-empty array of regions (or no key, to discover them)', aws.regions);
  const mainAccountId = fields.optionalString(aws, 'main_account_id', 'aws') || undefined;
  const organization = parseOrganization(fields, aws, mainAccountId);
  return {
    region: fields.requiredString(aws, 'region', 'aws'),
    regions: regions === undefined ? undefined : [...new Set(regions)],
    accounts,
    mainAccountId,
    roleNameIdentification: fields.optionalString(aws, 'role_name_identification', 'aws') || DEFAULTS.roleNameIdentification,
    roleNameReporting: fields.optionalString(aws, 'role_name_reporting', 'aws') || DEFAULTS.roleNameReporting,
    ...(organization === undefined ? {} : { organization }),
  };
}

function parseCloudTrails(fields: JsonFields, section: JsonObject, allAccounts: Record<string, string>): CloudTrailsConfig {
  const path = MODULE_SECTION;
  const listed = fields.optionalStringList(section, 'accounts', path) ?? [];
  const ignored = new Set(fields.optionalStringList(section, 'ignore_accounts', path) ?? []);
  // Without a list or ignored accounts, aws.accounts as it is (building a copy
  // of 1000 accounts costs ~10 ms at every cold start, issue 12).
  const accounts = listed.length === 0 && ignored.size === 0
    ? allAccounts
    : Object.fromEntries((listed.length === 0 ? Object.entries(allAccounts) : listed.map((id): [string, string] => [id, allAccounts[id] ?? ''])).filter(([id]) => !ignored.has(id)));

  const issueEndpoints = fields.optionalStringList(section, 'issue_endpoints', path) ?? [...DEFAULTS.issueEndpoints];
  issueEndpoints.forEach((endpoint, index) => {
    if (!(TRAIL_ENDPOINTS as readonly string[]).includes(endpoint)) {
      fields.fail(joinPath(joinPath(path, 'issue_endpoints'), index), `one of ${TRAIL_ENDPOINTS.join(', ')}`, endpoint);
    }
  });

  const labels = fields.optionalStringList(section, 'labels', path);
  const remediationListed = fields.optionalStringList(section, 'remediation_accounts', path) ?? [];
  remediationListed.forEach((id, index) => {
    if (!ACCOUNT_ID.test(id)) fields.fail(joinPath(joinPath(path, 'remediation_accounts'), index), 'a 12-digit AWS account id', id);
  });
  const remediationAccounts = Object.fromEntries(remediationListed.filter((id) => !ignored.has(id)).map((id): [string, string] => [id, allAccounts[id] ?? '']));
  const retention = fields.optionalNumber(section, 'remediation_retention_period', path, { min: 0 });
  if (retention !== undefined && !Number.isInteger(retention)) fields.fail(joinPath(path, 'remediation_retention_period'), 'a whole number of days >= 0', retention);
  const realtime = parseRealtime(fields, section, path);
  return {
    enabled: fields.flag(section, 'enabled', path, true),
    ddbTableName: fields.requiredString(section, 'ddb.table_name', path),
    reporting: fields.flag(section, 'reporting', path, false),
    topicName: fields.optionalString(section, 'topic_name', path) || DEFAULTS.topicName,
    accounts,
    labels: labels && labels.length > 0 ? labels : [...DEFAULTS.labels],
    issueEndpoints: issueEndpoints as TrailEndpoint[],
    staleDeliveryHours: positive(fields, section, 'stale_delivery_hours', path),
    requireReadManagementEvents: fields.flag(section, 'require_read_management_events', path, false),
    securityhub: fields.flag(section, 'securityhub', path, false),
    securityhubRegion: region(fields, section, 'securityhub_region', path),
    remediation: fields.flag(section, 'remediation', path, false),
    remediationAccounts,
    remediationRetentionPeriod: retention ?? DEFAULTS.remediationRetentionPeriod,
    reportingConcurrency: wholeNumber(fields, section, 'reporting_concurrency', path, 1) ?? DEFAULTS.reportingConcurrency,
    accountSelection: { listed, ignored: [...ignored] },
    ...(realtime === undefined ? {} : { realtime }),
  };
}

function parseJira(fields: JsonFields, jira: JsonObject): JiraConfig {
  const deployment = fields.optionalString(jira, 'deployment', 'jira') ?? 'auto';
  if (deployment !== 'server' && deployment !== 'cloud' && deployment !== 'auto') {
    fields.fail('jira.deployment', '"server", "cloud" or "auto"', deployment);
  }
  const enabled = fields.flag(jira, 'enabled', 'jira', false);
  const server = fields.optionalString(jira, 'server', 'jira')?.replace(/\/+$/, '') || undefined;
  if (enabled && server === undefined) fields.fail('jira.server', 'the JIRA base URL when jira.enabled is true', jira.server);
  return {
    enabled,
    server,
    issueType: fields.optionalString(jira, 'issue_type', 'jira') || DEFAULTS.jiraIssueType,
    textFieldCharacterLimit: fields.optionalNumber(jira, 'text_field_character_limit', 'jira', { min: 0 }) ?? 0,
    priority: fields.optionalString(jira, 'priority', 'jira')?.trim() || DEFAULTS.jiraPriority,
    closeTransition: fields.optionalString(jira, 'close_transition', 'jira') || DEFAULTS.jiraCloseTransition,
    deployment,
    caBundle: fields.optionalString(jira, 'ca_bundle', 'jira') || undefined,
    projectConcurrency: wholeNumber(fields, jira, 'project_concurrency', 'jira', 1) ?? DEFAULTS.jiraProjectConcurrency,
  };
}

function parseSlack(fields: JsonFields, slack: JsonObject): SlackConfig {
  const channels: Record<string, string[]> = {};
  for (const [channel, patterns] of Object.entries(fields.optionalObject(slack, 'channels', 'slack') ?? {})) {
    const path = joinPath('slack.channels', channel);
    channels[channel] = fields.stringOrList(patterns, path).map((pattern, index) => checkRegex(fields, pattern, joinPath(path, index)));
  }
  const ignore = (fields.optionalStringList(slack, 'ignore', 'slack') ?? []).map((pattern, index) => checkRegex(fields, pattern, joinPath('slack.ignore', index)));
  return {
    enabled: fields.flag(slack, 'enabled', 'slack', false),
    notifyDefaultOwner: fields.flag(slack, 'notify_default_owner', 'slack', true),
    channels,
    ignore,
    defaultChannel: fields.optionalString(slack, 'default_channel', 'slack') || undefined,
    apiUrl: (fields.optionalString(slack, 'api_url', 'slack') || DEFAULTS.slackApiUrl).replace(/\/+$/, ''),
    digestThreshold: wholeNumber(fields, slack, 'digest_threshold', 'slack', 0) || undefined,
  };
}

function positive(fields: JsonFields, section: JsonObject, key: string, path: string): number | undefined {
  const value = fields.optionalNumber(section, key, path, { min: 0 });
  if (value === 0) fields.fail(joinPath(path, key), 'a number > 0 (or no key, to turn the check off)', value);
  return value;
}

/** An AWS region name (eu-west-1, us-gov-west-1, cn-north-1), or undefined when the key is absent or empty. */
function region(fields: JsonFields, section: JsonObject, key: string, path: string): string | undefined {
  const value = fields.optionalString(section, key, path);
  if (value === undefined || value === '') return undefined;
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(value)) fields.fail(joinPath(path, key), 'an AWS region name such as "eu-west-1"', value);
  return value;
}

/** A whole number >= min, or undefined when the key is absent. */
function wholeNumber(fields: JsonFields, section: JsonObject, key: string, path: string, min: number): number | undefined {
  const value = fields.optionalNumber(section, key, path, { min });
  if (value !== undefined && !Number.isInteger(value)) fields.fail(joinPath(path, key), `a whole number >= ${min}`, value);
  return value;
}

function checkRegex(fields: JsonFields, pattern: string, path: string): string {
  try {
    new RegExp(pattern);
  } catch {
    fields.fail(path, 'a valid regular expression', pattern);
  }
  return pattern;
}
