/**
 * Fixtures of the reporting tests: a config folder with reporting on, the
 * issues and credentials tables in dynalite, issue items as identification
 * (or Hammer's Python) writes them, and a settable clock.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../../config/loadConfig.ts';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import type { CloudTrailIssueItem, TrailRecord } from '../../library/issues/cloudTrailIssue.ts';
import { sampleConfigJson, writeConfigFolder } from './configFolder.ts';
import type { LocalDynamo } from '../fakes/dynalite.ts';

export const MASTER = '123456789012';
export const SLAVE1 = '210987654321';
export const SLAVE2 = '654321210987';
export const SLACK_TOKEN = 'xoxb-1234-5678-slacksecrettoken';
export const JIRA_PASSWORD = 'jira-api-secret-password';
export const JIRA_SERVER = 'https://jira.example.com';

/** A settable clock. */
export class TestClock {
  constructor(private current: Date) {}
  readonly now = (): Date => new Date(this.current);
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

let tableCounter = 0;

export interface ReportingSetup {
  config: HammerConfig;
  issuesTable: string;
  credentialsTable: string;
  /** The config folder, kept only with `keepConfigFolder` (remove it with `removeConfigFolder`). */
  configDir: string;
  removeConfigFolder(): void;
}

export interface ReportingSetupOptions {
  slackApiUrl: string;
  reporting?: boolean;
  jiraEnabled?: boolean;
  slackEnabled?: boolean;
  ticketOwners?: Record<string, unknown>;
  whitelistingProcedureUrl?: string;
  textFieldCharacterLimit?: number;
  tempWhitelist?: Record<string, string[]>;
  /** whitelist.json's cloudtrails section (default: empty). */
  whitelist?: Record<string, string[]>;
  credentials?: { jira?: Record<string, unknown> | null; slack?: Record<string, unknown> | null };
  /** Extra keys for the cloudtrails section. */
  cloudtrails?: Record<string, unknown>;
  /** Extra keys for the jira section (server, deployment, priority, ...). */
  jira?: Record<string, unknown>;
  /** Extra keys for the slack section (digest_threshold, ...). */
  slack?: Record<string, unknown>;
  /** Keep the config folder on disk (for commands and handlers that load it themselves). */
  keepConfigFolder?: boolean;
}

export const DEFAULT_TICKET_OWNERS = {
  account: {
    [MASTER]: { jira_project: '', jira_owner: 'Support-Cloud', jira_parent_ticket: '', slack_owner: '' },
    [SLAVE1]: { slack_owner: 'alice' },
  },
  jira_project: 'AWSSEC',
  jira_owner: 'Support-General',
  jira_parent_ticket: 'AWSSEC-1234',
  slack_owner: ['#devops-channel', 'bob'],
};

/** Fresh tables (unique names) and a loaded config pointing at them. */
export async function setUpReporting(dynamo: LocalDynamo, options: ReportingSetupOptions): Promise<ReportingSetup> {
  tableCounter += 1;
  const issuesTable = `hammer-cloudtrails-${tableCounter}`;
  const credentialsTable = `hammer-credentials-${tableCounter}`;
  await dynamo.createIssuesTable(issuesTable);
  await dynamo.createCredentialsTable(credentialsTable);
  const jiraCredentials = options.credentials?.jira === undefined ? { basic: { username: 'hammer-bot', password: JIRA_PASSWORD } } : options.credentials.jira;
  const slackCredentials = options.credentials?.slack === undefined ? { api_token: SLACK_TOKEN } : options.credentials.slack;
  if (jiraCredentials !== null) await dynamo.doc.send(new PutCommand({ TableName: credentialsTable, Item: { service: 'jira', credentials: jiraCredentials } }));
  if (slackCredentials !== null) await dynamo.doc.send(new PutCommand({ TableName: credentialsTable, Item: { service: 'slack', credentials: slackCredentials } }));

  const configJson = sampleConfigJson();
  configJson.jira = { enabled: options.jiraEnabled ?? true, server: JIRA_SERVER, issue_type: 'Task', text_field_character_limit: options.textFieldCharacterLimit ?? 32767, ...options.jira };
  configJson.slack = { enabled: options.slackEnabled ?? true, notify_default_owner: true, channels: {}, ignore: [], default_channel: '#hammer-dev', api_url: options.slackApiUrl, ...options.slack };
  configJson.credentials = { 'ddb.table_name': credentialsTable };
  configJson.whitelisting_procedure_url = options.whitelistingProcedureUrl ?? '';
  configJson.cloudtrails = { enabled: true, 'ddb.table_name': issuesTable, topic_name: 'hammer-describe-cloudtrails-lambda', reporting: options.reporting ?? true, ...options.cloudtrails };
  const files: Record<string, unknown> = {
    'config.json': configJson,
    'ticket_owners.json': options.ticketOwners ?? DEFAULT_TICKET_OWNERS,
    'whitelist.json': { cloudtrails: options.whitelist ?? {} },
  };
  if (options.tempWhitelist !== undefined) files['temp_whitelist_issues.json'] = { cloudtrails: options.tempWhitelist };
  const folder = writeConfigFolder(files);
  try {
    return { config: loadConfig(folder.dir), issuesTable, credentialsTable, configDir: folder.dir, removeConfigFolder: folder.remove };
  } finally {
    if (!options.keepConfigFolder) folder.remove();
  }
}

export const STOPPED_TRAIL: TrailRecord = {
  id: `arn:aws:cloudtrail:eu-west-1:${SLAVE1}:trail/main`,
  enabled: false,
  multi_region: true,
  selectors: 'All',
  errors: {},
};

export const S3_ERROR_TRAIL: TrailRecord = {
  id: `arn:aws:cloudtrail:eu-west-1:${SLAVE1}:trail/main`,
  enabled: true,
  multi_region: true,
  selectors: 'All',
  errors: { s3: { resource: 'trail-bucket', error: 'AccessDenied' } },
};

/** An issue item as identification writes it: a disabled region, not reported yet. */
export function disabledIssue(identified: string, overrides: Partial<CloudTrailIssueItem> = {}): CloudTrailIssueItem {
  return {
    account_id: SLAVE1,
    issue_id: 'eu-west-1',
    status: 'open',
    issue_details: { disabled: true, delivery_errors: {}, trails: [STOPPED_TRAIL] },
    timestamps: { identified, updated: identified, reported: null, remediated: null, closed: null },
    jira_details: {},
    ...overrides,
  };
}

export async function putIssue(doc: DynamoDBDocumentClient, table: string, item: CloudTrailIssueItem | Record<string, unknown>): Promise<void> {
  await doc.send(new PutCommand({ TableName: table, Item: item }));
}
