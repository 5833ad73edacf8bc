/**
 * One reporting run (`create_cloudtrail_tickets`): for every account the
 * module checks, every issue that is not closed is reported to JIRA and Slack
 * and its state advanced (contract section 6). Runs only when
 * `cloudtrails.reporting` is true. One failing account or issue never stops
 * the others.
 */
import type { HammerConfig, SlackConfig } from '../config/hammerConfig.ts';
import { awsErrorFields } from '../library/aws/awsErrors.ts';
import type { IssueStore } from '../library/issues/issueStore.ts';
import type { Log } from '../library/runtime/logger.ts';
import type { CheckedAccountsSource } from '../library/scan/checkedAccounts.ts';
import { CredentialsReadError, type CredentialsReader } from './credentialsTable.ts';
import { IssueReporter, type IssueOutcome } from './issueReporter.ts';
import type { Notifier } from './slack/slackNotifier.ts';
import type { TicketTracker } from './ticketTracker.ts';
import type { TicketTrackerFactory } from './trackerFactory.ts';

export interface NotifierFactoryInput {
  slack: SlackConfig;
  /** credentials.api_token of the item `service = "slack"`. */
  token: string;
  log: Log;
}

export type NotifierFactory = (input: NotifierFactoryInput) => Notifier;

export interface ReportingDeps {
  config: HammerConfig;
  store: IssueStore;
  readCredentials: CredentialsReader;
  createTracker: TicketTrackerFactory;
  createNotifier: NotifierFactory;
  log: Log;
  /** The checked accounts (with aws.organization, the organisation's); default config.cloudtrails.accounts. */
  checkedAccounts?: CheckedAccountsSource;
}

export interface ReportingSummary {
  /** cloudtrails.reporting: false means nothing was done. */
  reporting: boolean;
  jira: boolean;
  slack: boolean;
  accounts: number;
  accounts_failed: number;
  issues: number;
  outcomes: Record<IssueOutcome, number>;
}

/** The run could not start (JIRA credentials unusable, credentials table unreadable). */
export class ReportingSetupError extends Error {
  override readonly name = 'ReportingSetupError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export async function runReporting(deps: ReportingDeps): Promise<ReportingSummary> {
  const { config, log } = deps;
  const summary: ReportingSummary = {
    reporting: config.cloudtrails.reporting,
    jira: false,
    slack: false,
    accounts: 0,
    accounts_failed: 0,
    issues: 0,
    outcomes: { reported: 0, 'change-reported': 0, closed: 0, 'temp-whitelisted': 0, unchanged: 0, 'changed-meanwhile': 0, failed: 0 },
  };
  if (!config.cloudtrails.reporting) {
    log.info('reporting of CloudTrail issues is off (cloudtrails.reporting is false); nothing to do');
    return summary;
  }

  const tracker = await openTracker(deps);
  const notifier = await openNotifier(deps);
  summary.jira = tracker !== undefined;
  summary.slack = notifier !== undefined;
  const reporter = new IssueReporter({ config, store: deps.store, tracker, notifier, log });

  const accounts = deps.checkedAccounts === undefined ? config.cloudtrails.accounts : (await deps.checkedAccounts.current()).accounts;
  for (const [accountId, accountName] of Object.entries(accounts)) {
    summary.accounts += 1;
    log.debug('checking account', { account_id: accountId, account_name: accountName });
    // Taken before the read: a change identification writes after it is
    // newer than `reported`, so the next run reports it.
    const readAt = deps.store.timestamp();
    let issues;
    try {
      issues = await deps.store.listAccountIssues(accountId, { notStatus: 'closed' });
    } catch (err: unknown) {
      summary.accounts_failed += 1;
      log.error('could not read the issues of the account; it is skipped this run', { account_id: accountId, ...awsErrorFields('Query', err) });
      continue;
    }
    for (const issue of issues) {
      summary.issues += 1;
      const outcome = await reporter.report(issue, { id: accountId, name: accountName }, readAt);
      summary.outcomes[outcome] += 1;
    }
  }
  log.info('reporting run finished', { ...summary });
  return summary;
}

async function openTracker(deps: ReportingDeps): Promise<TicketTracker | undefined> {
  const { config, log } = deps;
  if (!config.jira.enabled) {
    log.info('JIRA is off (jira.enabled is false)');
    return undefined;
  }
  const credentials = await readCredentials(deps, 'jira');
  if (credentials === undefined) {
    log.warn(`JIRA is off for this run: no JIRA credentials in table ${config.credentialsTableName} (item service = "jira"); write them with npm run credentials`, {
      operation: 'GetItem',
      error_code: 'CredentialsMissing',
    });
    return undefined;
  }
  try {
    return await deps.createTracker({ jira: config.jira, credentials, configDir: config.dir, log });
  } catch (err: unknown) {
    // Going on without JIRA would mark issues reported without their tickets for good.
    throw new ReportingSetupError(`cannot use the JIRA credentials of table ${config.credentialsTableName}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

async function openNotifier(deps: ReportingDeps): Promise<Notifier | undefined> {
  const { config, log } = deps;
  if (!config.slack.enabled) {
    log.info('Slack is off (slack.enabled is false)');
    return undefined;
  }
  const credentials = await readCredentials(deps, 'slack');
  const token = credentials?.api_token;
  if (typeof token !== 'string' || token === '') {
    log.warn(`Slack is off for this run: no Slack token in table ${config.credentialsTableName} (item service = "slack", credentials.api_token); write it with npm run credentials`, {
      operation: 'GetItem',
      error_code: 'CredentialsMissing',
    });
    return undefined;
  }
  return deps.createNotifier({ slack: config.slack, token, log });
}

async function readCredentials(deps: ReportingDeps, service: 'jira' | 'slack'): Promise<Record<string, unknown> | undefined> {
  try {
    return await deps.readCredentials(service);
  } catch (err: unknown) {
    deps.log.error(`could not read the ${service} credentials`, { ...awsErrorFields('GetItem', err instanceof CredentialsReadError ? err.cause : err), table: deps.config.credentialsTableName });
    throw new ReportingSetupError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}
