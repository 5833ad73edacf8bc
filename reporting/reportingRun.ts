/**
 * One reporting run (`create_cloudtrail_tickets`): for every account the
 * module checks, every issue that is not closed is reported to JIRA and Slack
 * and its state advanced (contract section 6). Runs only when
 * `cloudtrails.reporting` is true. One failing account or issue never stops
 * the others. With JIRA on, the run does not start without usable JIRA
 * credentials (ReportingSetupError), so no issue is ever marked reported
 * without its ticket. With a time budget, no issue is started once the time
 * left is under the reserve; the issues left wait for the next run.
 *
 * Issues are reported several at once (cloudtrails.reporting_concurrency,
 * and at most jira.project_concurrency of one JIRA project), taken from the
 * accounts in turn so that concurrent reports go to different Slack
 * channels; one issue's steps stay in order, each issue is reported by one
 * task only. Slack messages are paced per channel by the notifier. With
 * slack.digest_threshold, the owners with that many new issues get one
 * digest at the end of the run (slackDigest.ts).
 */
import type { HammerConfig, SlackConfig } from '../config/hammerConfig.ts';
import { awsErrorFields } from '../library/aws/awsErrors.ts';
import type { CloudTrailIssueItem } from '../library/issues/cloudTrailIssue.ts';
import type { IssueStore } from '../library/issues/issueStore.ts';
import type { Log, LogFields } from '../library/runtime/logger.ts';
import type { CheckedAccountsSource } from '../library/scan/checkedAccounts.ts';
import { CredentialsReadError, type CredentialsReader } from './credentialsTable.ts';
import { interleave, runBounded } from './boundedRunner.ts';
import { ISSUE_OUTCOMES, IssueReporter, type AccountRef, type DeferredReport, type IssueOutcome } from './issueReporter.ts';
import { runFindingsExport, type FindingsExport, type SecurityHubSummary } from './securityhub/findingsExport.ts';
import { digestOwners, sendDigests } from './slackDigest.ts';
import type { Notifier } from './slack/slackNotifier.ts';
import type { TicketTracker } from './ticketTracker.ts';
import { TrackerClientLoadError, type TicketTrackerFactory } from './trackerFactory.ts';

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
  /** cloudtrails.securityhub on: the Security Hub export, run once the issues are reported (reporting/securityhub/). */
  exportFindings?: FindingsExport;
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
  /** Issues with something to do that were not started because the run's time ran out: the next run takes them. */
  deferred: number;
  /** The Security Hub export's counts; present only when cloudtrails.securityhub is on. */
  securityhub?: SecurityHubSummary;
}

/** How long the run may go on: it starts no new issue once `remainingMs()` is at or under `reserveMs`. */
export interface TimeBudget {
  remainingMs(): number;
  /** Time kept for the issues in progress to finish (their JIRA calls and retries, their Slack turns) and the digest. */
  reserveMs: number;
}

export interface ReportingRunOptions {
  /** Absent: no limit. The first issue always starts, so every run makes progress. */
  budget?: TimeBudget;
}

export type ReportingSetupFailure =
  /** jira.enabled, but no JIRA credentials item. */
  | 'CredentialsMissing'
  /** The JIRA credentials item cannot be used (a field is missing or broken). */
  | 'CredentialsUnusable'
  /** The credentials table cannot be read. */
  | 'CredentialsUnreadable'
  /** The JIRA client could not be loaded (a broken deployment). */
  | 'TrackerClientUnavailable';

/** The run could not start (JIRA on without usable credentials, credentials table unreadable): no issue was touched. */
export class ReportingSetupError extends Error {
  override readonly name = 'ReportingSetupError';
  constructor(readonly code: ReportingSetupFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The fields of the one error line a failed run logs: operation, error_code (the setup failure's code, else the error's name), error_message. */
export function runFailureFields(err: unknown): LogFields {
  return {
    operation: 'create_cloudtrail_tickets',
    error_code: err instanceof ReportingSetupError ? err.code : err instanceof Error ? err.name : 'UnknownError',
    error_message: err instanceof Error ? err.message : String(err),
  };
}

/** One issue to report, with the account it belongs to and when its account's issues were read. */
interface WorkItem {
  issue: CloudTrailIssueItem;
  account: AccountRef;
  readAt: string;
}

export async function runReporting(deps: ReportingDeps, options: ReportingRunOptions = {}): Promise<ReportingSummary> {
  const { config, log } = deps;
  const summary: ReportingSummary = {
    reporting: config.cloudtrails.reporting,
    jira: false,
    slack: false,
    accounts: 0,
    accounts_failed: 0,
    issues: 0,
    outcomes: Object.fromEntries(ISSUE_OUTCOMES.map((outcome) => [outcome, 0])) as Record<IssueOutcome, number>,
    deferred: 0,
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

  // Every account's issues are read first, so the run knows how much is left when its time runs out.
  const work: WorkItem[] = [];
  const accounts = deps.checkedAccounts === undefined ? config.cloudtrails.accounts : (await deps.checkedAccounts.current()).accounts;
  for (const [accountId, accountName] of Object.entries(accounts)) {
    summary.accounts += 1;
    log.debug('checking account', { account_id: accountId, account_name: accountName });
    // Taken before the read: a change identification writes after it is
    // newer than `reported`, so the next run reports it.
    const readAt = deps.store.timestamp();
    try {
      const issues = await deps.store.listAccountIssues(accountId, { notStatus: 'closed' });
      for (const issue of issues) work.push({ issue, account: { id: accountId, name: accountName }, readAt });
    } catch (err: unknown) {
      summary.accounts_failed += 1;
      log.error('could not read the issues of the account; it is skipped this run', { account_id: accountId, ...awsErrorFields('Query', err) });
    }
  }

  await reportWork(deps, reporter, notifier, tracker !== undefined, work, summary, options.budget);
  if (deps.exportFindings !== undefined) summary.securityhub = await runFindingsExport(deps.exportFindings, config.cloudtrails.accounts, log, options.budget);
  log.info('reporting run finished', { ...summary });
  return summary;
}

/** What opening JIRA and Slack for a run needs (remediation opens them the same way). */
export type TrackerAndNotifierDeps = Pick<ReportingDeps, 'config' | 'log' | 'readCredentials' | 'createTracker' | 'createNotifier'>;

/**
 * Reports the work with bounded concurrency: at most
 * cloudtrails.reporting_concurrency issues at once, at most
 * jira.project_concurrency of one JIRA project, accounts in turn. Under the
 * budget's reserve no further issue starts (the first always does); those
 * running finish. Then the Slack digest, if any, and the marks waiting for it.
 */
async function reportWork(
  deps: ReportingDeps,
  reporter: IssueReporter,
  notifier: Notifier | undefined,
  ticketing: boolean,
  work: readonly WorkItem[],
  summary: ReportingSummary,
  budget: TimeBudget | undefined,
): Promise<void> {
  const { config, log } = deps;
  const ordered = interleave(work, (item) => item.account.id);
  const digest = notifier === undefined || config.slack.digestThreshold === undefined
    ? new Set<string>()
    : digestOwners(config, ordered.map((item) => ({ accountId: item.account.id, action: reporter.decide(item.issue, item.account.id) })));
  if (digest.size > 0) log.info('these Slack owners get this run\'s new issues in one digest (slack.digest_threshold)', { recipients: [...digest], digest_threshold: config.slack.digestThreshold });

  let stoppedAt: number | undefined;
  const run = await runBounded(ordered.map((item) => ({
    key: ticketing ? config.ticketOwners.jiraProject({ accountId: item.account.id }) : undefined,
    run: () => reporter.reportOrDefer(item.issue, item.account, item.readAt, digest),
  })), {
    concurrency: config.cloudtrails.reportingConcurrency,
    perKey: config.jira.projectConcurrency,
    mayStart: (started) => {
      if (started === 0 || budget === undefined) return true;
      const remaining = budget.remainingMs();
      if (remaining > budget.reserveMs) return true;
      stoppedAt = remaining;
      return false;
    },
  });

  const deferred: DeferredReport[] = [];
  for (const result of run.results) {
    if (result === undefined) continue;
    summary.issues += 1;
    if (typeof result === 'string') summary.outcomes[result] += 1;
    else deferred.push(result);
  }
  if (run.notStarted.length > 0 && budget !== undefined) {
    summary.deferred = run.notStarted.filter((index) => {
      const next = ordered[index] as WorkItem;
      return reporter.decide(next.issue, next.account.id).kind !== 'nothing';
    }).length;
    log.warn(`the run's time is running out: ${summary.deferred} issues with something to do are left for the next run`, {
      operation: 'report',
      error_code: 'TimeBudget',
      issues_left: summary.deferred,
      issues_not_started: run.notStarted.length,
      remaining_ms: stoppedAt ?? budget.remainingMs(),
      reserve_ms: budget.reserveMs,
    });
  }
  if (deferred.length > 0) {
    // A deferred report exists only with a notifier; without one its mark is written as is.
    const outcomes = notifier === undefined
      ? await Promise.all(deferred.map((report) => report.complete()))
      : (await sendDigests(deferred, notifier, log, config.cloudtrails.reportingConcurrency)).outcomes;
    for (const outcome of outcomes) summary.outcomes[outcome] += 1;
  }
}

/**
 * The JIRA tracker, or undefined when jira.enabled is false. With JIRA on,
 * the run does not start without usable credentials: going on would mark
 * issues reported without their tickets.
 */
export async function openTracker(deps: TrackerAndNotifierDeps): Promise<TicketTracker | undefined> {
  const { config, log } = deps;
  if (!config.jira.enabled) {
    log.info('JIRA is off (jira.enabled is false)');
    return undefined;
  }
  const credentials = await readCredentials(deps, 'jira');
  if (credentials === undefined) {
    throw new ReportingSetupError(
      'CredentialsMissing',
      `JIRA is on (jira.enabled) but table ${config.credentialsTableName} has no JIRA credentials (item service = "jira"); no issue is reported until they are stored with: ` +
        `npm run credentials -- --config <config dir> --jira-token <personal access token> (or --jira-username <user> --jira-password <password or API token>, or the OAuth options --jira-key-cert-file, --jira-consumer-key, --jira-access-token, --jira-access-token-secret)`,
    );
  }
  try {
    return await deps.createTracker({ jira: config.jira, credentials, configDir: config.dir, log });
  } catch (err: unknown) {
    // A client that cannot load is a broken deployment: storing the credentials again would not help.
    if (err instanceof TrackerClientLoadError) throw new ReportingSetupError('TrackerClientUnavailable', `${err.message}; the deployment is broken: build and deploy the zip again`, { cause: err });
    throw new ReportingSetupError('CredentialsUnusable', `cannot use the JIRA credentials of table ${config.credentialsTableName} (item service = "jira"): ${err instanceof Error ? err.message : String(err)}; store them again with npm run credentials`, { cause: err });
  }
}

/** The Slack notifier, or undefined when slack.enabled is false or no token is stored (warned). */
export async function openNotifier(deps: TrackerAndNotifierDeps): Promise<Notifier | undefined> {
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

async function readCredentials(deps: TrackerAndNotifierDeps, service: 'jira' | 'slack'): Promise<Record<string, unknown> | undefined> {
  try {
    return await deps.readCredentials(service);
  } catch (err: unknown) {
    deps.log.error(`could not read the ${service} credentials`, { ...awsErrorFields('GetItem', err instanceof CredentialsReadError ? err.cause : err), table: deps.config.credentialsTableName });
    throw new ReportingSetupError('CredentialsUnreadable', err instanceof Error ? err.message : String(err), { cause: err });
  }
}
