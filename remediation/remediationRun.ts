/**
 * One remediation run (`clean_cloudtrails`, Hammer's clean_* modules for
 * CloudTrail): for every account of `cloudtrails.remediation_accounts`, every
 * `open` issue is remediated when it is due (remediation/issueRemediator.ts).
 * Runs only when `cloudtrails.remediation` is true (a dry run also when it is
 * false: it changes nothing, so an operator can look before turning it on).
 * JIRA and Slack are opened as reporting opens them (JIRA on without usable
 * credentials stops the run before anything is touched); a dry run opens
 * neither. One failing account or issue never stops the others. With a time
 * budget, no issue is started once the time left is under the reserve.
 */
import type { HammerConfig } from '../config/hammerConfig.ts';
import type { AccountCredentials } from '../library/aws/accountCredentials.ts';
import { awsErrorFields } from '../library/aws/awsErrors.ts';
import type { CallPacer } from '../library/aws/callPacer.ts';
import type { CloudTrailClientFactory } from '../library/aws/cloudTrailClients.ts';
import type { RetryPolicy } from '../library/aws/transientRetry.ts';
import type { IssueStore } from '../library/issues/issueStore.ts';
import type { Clock } from '../library/runtime/clock.ts';
import type { Log, LogFields } from '../library/runtime/logger.ts';
import type { Random, Sleep } from '../library/runtime/sleep.ts';
import { openNotifier, openTracker, ReportingSetupError, type NotifierFactory, type TimeBudget } from '../reporting/reportingRun.ts';
import type { CredentialsReader } from '../reporting/credentialsTable.ts';
import type { TicketTrackerFactory } from '../reporting/trackerFactory.ts';
import { openAccountTrails, type AccountTrails } from './accountTrails.ts';
import { IssueRemediator, REMEDIATION_OUTCOMES, type RemediationOutcome, type RemediationResult, type RemediationSkip } from './issueRemediator.ts';

export interface RemediationDeps {
  config: HammerConfig;
  store: IssueStore;
  clock: Clock;
  log: Log;
  readCredentials: CredentialsReader;
  createTracker: TicketTrackerFactory;
  createNotifier: NotifierFactory;
  /** AccountCredentials of aws.role_name_reporting. */
  credentials: AccountCredentials;
  cloudTrailClient: CloudTrailClientFactory;
  pacer: CallPacer;
  retryPolicy: RetryPolicy;
  sleep: Sleep;
  random: Random;
}

export interface RemediationRunOptions {
  /** Read and say what would be done; write nothing, start nothing, tell nobody. */
  dryRun?: boolean;
  /** Asked before each trail is started; absent = batch (the Lambda, `--batch`). */
  confirm?: (question: string) => Promise<boolean>;
  /** Where a dry run prints (default: nowhere). */
  print?: (line: string) => void;
  /** The account the code runs in (its own credentials there, no AssumeRole). */
  ownAccountId?: string | undefined;
  budget?: TimeBudget;
}

export interface RemediationSummary {
  /** cloudtrails.remediation: false means nothing was done (unless a dry run). */
  remediation: boolean;
  dry_run: boolean;
  jira: boolean;
  slack: boolean;
  accounts: number;
  accounts_failed: number;
  issues: number;
  outcomes: Record<RemediationOutcome, number>;
  /** Why issues were skipped, by reason. */
  skipped: Partial<Record<RemediationSkip, number>>;
  /** Issues not started because the run's time ran out: the next run takes them. */
  deferred: number;
}

/** The one error line of a failed run: operation, error_code, error_message. */
export function remediationFailureFields(err: unknown): LogFields {
  return {
    operation: 'clean_cloudtrails',
    error_code: err instanceof ReportingSetupError ? err.code : err instanceof Error ? err.name : 'UnknownError',
    error_message: err instanceof Error ? err.message : String(err),
  };
}

export async function runRemediation(deps: RemediationDeps, options: RemediationRunOptions = {}): Promise<RemediationSummary> {
  const { config, log } = deps;
  const dryRun = options.dryRun ?? false;
  const summary: RemediationSummary = {
    remediation: config.cloudtrails.remediation,
    dry_run: dryRun,
    jira: false,
    slack: false,
    accounts: 0,
    accounts_failed: 0,
    issues: 0,
    outcomes: Object.fromEntries(REMEDIATION_OUTCOMES.map((outcome) => [outcome, 0])) as Record<RemediationOutcome, number>,
    skipped: {},
    deferred: 0,
  };
  if (!config.cloudtrails.remediation && !dryRun) {
    log.info('remediation of CloudTrail issues is off (cloudtrails.remediation is false); nothing to do');
    return summary;
  }
  const accounts = Object.entries(config.cloudtrails.remediationAccounts);
  if (accounts.length === 0) {
    log.warn('no remediation accounts (cloudtrails.remediation_accounts lists none, or only ignored ones); nothing to do', { operation: 'clean_cloudtrails', error_code: 'NoRemediationAccounts' });
    return summary;
  }

  const tracker = dryRun ? undefined : await openTracker(deps);
  const notifier = dryRun ? undefined : await openNotifier(deps);
  summary.jira = tracker !== undefined;
  summary.slack = notifier !== undefined;
  const print = options.print ?? (() => undefined);
  const remediator = new IssueRemediator({ config, store: deps.store, clock: deps.clock, log, tracker, notifier, confirm: options.confirm, dryRun, print });

  let started = 0;
  for (const [accountId, accountName] of accounts) {
    summary.accounts += 1;
    let issues;
    try {
      issues = await deps.store.listAccountIssues(accountId, { status: 'open' });
    } catch (err: unknown) {
      summary.accounts_failed += 1;
      log.error('could not read the open issues of the account; it is skipped this run', { account_id: accountId, ...awsErrorFields('Query', err) });
      continue;
    }
    // AssumeRole once per account, and only when an issue is due.
    let opened: Promise<AccountTrails> | undefined;
    const openTrails = (): Promise<AccountTrails> => {
      opened ??= openAccountTrails({ ...deps }, accountId, options.ownAccountId);
      return opened;
    };
    for (const issue of issues) {
      const due = remediator.eligibility(issue, accountId).kind === 'due';
      if (due && started > 0 && options.budget !== undefined && options.budget.remainingMs() <= options.budget.reserveMs) {
        summary.deferred += 1;
        continue;
      }
      if (due) started += 1;
      summary.issues += 1;
      let result: RemediationResult;
      try {
        result = await remediator.remediate(issue, { id: accountId, name: accountName }, openTrails);
      } catch (err: unknown) {
        // remediate handles what it expects; anything else fails this issue only.
        log.error('remediation of the issue failed unexpectedly; it is left for the next run', { account_id: accountId, region: issue.issue_id, ...awsErrorFields('remediate', err) });
        result = { outcome: 'failed' };
      }
      summary.outcomes[result.outcome] += 1;
      if (result.skip !== undefined) summary.skipped[result.skip] = (summary.skipped[result.skip] ?? 0) + 1;
    }
  }
  if (summary.deferred > 0) {
    log.warn(`the run's time is running out: ${summary.deferred} issues due for remediation are left for the next run`, { operation: 'remediate', error_code: 'TimeBudget', issues_left: summary.deferred });
  }
  log.info(dryRun ? 'remediation dry run finished (nothing was changed)' : 'remediation run finished', { ...summary });
  return summary;
}
