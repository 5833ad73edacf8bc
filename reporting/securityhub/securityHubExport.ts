/**
 * The Security Hub export of a reporting run (`cloudtrails.securityhub`):
 * once JIRA and Slack are done, for each checked account, every issue's
 * finding (securityHubFinding.ts) is compared with what was last sent (the
 * item's `securityhub` record) and sent only when it changed, is new, or is
 * an active finding due for its refresh. Sends go through BatchImportFindings
 * in the account itself (with the default product ARN only the account the
 * finding is about may import it), in the issue's region or in
 * `cloudtrails.securityhub_region`, at most 100 findings per call. A finding
 * Security Hub accepted gets its record; one it refused (FailedFindings), or
 * whose call failed, is logged and sent again next run. Security Hub not
 * enabled in a region (InvalidAccessException "... is not subscribed to AWS
 * Security Hub", or FailedFindings with InvalidAccess) is one warning per
 * account and region, never an error that stops other work.
 *
 * Why one pass per account after its report, not a step per issue: one read
 * of the account's issues gives their state after JIRA and Slack (the new
 * ticket's address for SourceUrl; a resolved issue already `closed`), its
 * findings go in batches of up to 100 per account and region instead of one
 * call each, and nothing the export does can delay or fail a ticket.
 */
import { BatchImportFindingsCommand, type AwsSecurityFinding, type ImportFindingsError, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { awsErrorCode, awsErrorFields } from '../../library/aws/awsErrors.ts';
import type { CredentialsProvider } from '../../library/aws/cloudTrailClients.ts';
import type { CloudTrailIssueItem } from '../../library/issues/cloudTrailIssue.ts';
import type { IssueStore } from '../../library/issues/issueStore.ts';
import type { Clock } from '../../library/runtime/clock.ts';
import type { Log, LogFields } from '../../library/runtime/logger.ts';
import type { AccountRef } from '../issueReporter.ts';
import { emptySecurityHubSummary, type ExportTimeBudget, type SecurityHubSummary } from './findingsExport.ts';
import {
  buildFinding,
  exportDecision,
  findingHash,
  nextUpdatedAt,
  recordOf,
  recordStateOf,
  sendReason,
  type SecurityHubRecord,
} from './securityHubFinding.ts';

/** BatchImportFindings takes at most 100 findings per call. */
export const BATCH_SIZE = 100;

export interface SecurityHubExportDeps {
  config: HammerConfig;
  store: IssueStore;
  log: Log;
  clock: Clock;
  /**
   * The credentials of the account's cross-account role (assumed before the
   * first send; throws when it cannot be), or undefined for the account the
   * code runs in (its own credentials).
   */
  credentialsFor(accountId: string): Promise<CredentialsProvider | undefined>;
  /** A Security Hub client acting in the account, in the region. */
  clientFor(accountId: string, region: string, credentials: CredentialsProvider | undefined): SecurityHubClient;
  /** Findings per BatchImportFindings call (default and most: BATCH_SIZE). */
  batchSize?: number;
}

/** One finding to send: the issue it comes from and the record it gets once accepted. */
interface PendingFinding {
  issue: CloudTrailIssueItem;
  finding: AwsSecurityFinding;
  record: SecurityHubRecord;
  reason: 'new' | 'changed' | 'refresh';
}

export async function exportToSecurityHub(deps: SecurityHubExportDeps, accounts: readonly AccountRef[], options: { budget?: ExportTimeBudget } = {}): Promise<SecurityHubSummary> {
  const summary = emptySecurityHubSummary();
  for (const [index, account] of accounts.entries()) {
    const { budget } = options;
    if (index > 0 && budget !== undefined && budget.remainingMs() <= budget.reserveMs) {
      summary.accounts_deferred = accounts.length - index;
      deps.log.warn(`the run's time is running out: the Security Hub export of ${summary.accounts_deferred} accounts is left for the next run`, {
        operation: 'BatchImportFindings',
        error_code: 'TimeBudget',
        accounts_left: summary.accounts_deferred,
        remaining_ms: budget.remainingMs(),
        reserve_ms: budget.reserveMs,
      });
      break;
    }
    await exportAccount(deps, account, summary);
  }
  deps.log.info('Security Hub export finished', { ...summary });
  return summary;
}

async function exportAccount(deps: SecurityHubExportDeps, account: AccountRef, summary: SecurityHubSummary): Promise<void> {
  const { config, log } = deps;
  let issues: CloudTrailIssueItem[];
  try {
    // Every status: a `closed` issue may still owe Security Hub its last state.
    issues = await deps.store.listAccountIssues(account.id);
  } catch (err: unknown) {
    summary.accounts_failed += 1;
    log.error('could not read the issues of the account; its Security Hub findings are sent next run', { account_id: account.id, ...awsErrorFields('Query', err) });
    return;
  }
  summary.accounts += 1;

  const now = deps.clock();
  const pending = new Map<string, PendingFinding[]>();
  for (const issue of issues) {
    const record = recordOf(issue);
    const decision = exportDecision(issue, record, now.getTime());
    if (!decision.export) {
      log.debug(`no Security Hub finding to send: ${decision.reason}`, { account_id: account.id, region: issue.issue_id, status: issue.status });
      continue;
    }
    const importRegion = config.cloudtrails.securityhubRegion ?? issue.issue_id;
    const finding = buildFinding(issue, {
      account,
      importRegion,
      status: decision.status,
      issueEndpoints: config.cloudtrails.issueEndpoints,
      ticketUrl: ticketUrl(config, issue),
      updatedAt: nextUpdatedAt(record, now),
    });
    const hash = findingHash(finding);
    const state = recordStateOf(decision.status);
    const reason = sendReason(record, hash, state, now.getTime());
    if (reason === undefined) {
      summary.findings_unchanged += 1;
      continue;
    }
    const batch = pending.get(importRegion) ?? [];
    batch.push({ issue, finding, reason, record: { id: finding.Id as string, hash, region: importRegion, state, updated: finding.UpdatedAt as string } });
    pending.set(importRegion, batch);
  }
  if (pending.size === 0) return;

  let credentials: CredentialsProvider | undefined;
  try {
    credentials = await deps.credentialsFor(account.id);
  } catch (err: unknown) {
    const count = [...pending.values()].reduce((sum, batch) => sum + batch.length, 0);
    summary.accounts_failed += 1;
    summary.findings_failed += count;
    log.error('could not assume the cross-account role to import findings into Security Hub; they are sent next run', {
      account_id: account.id,
      findings: count,
      ...awsErrorFields('AssumeRole', (err as { cause?: unknown }).cause ?? err),
    });
    return;
  }
  for (const [region, findings] of pending) {
    await sendRegion(deps, account, region, findings, credentials, summary);
  }
}

/** Sends an account's findings of one import region, 100 per call; stops at the first call that fails. */
async function sendRegion(deps: SecurityHubExportDeps, account: AccountRef, region: string, findings: readonly PendingFinding[], credentials: CredentialsProvider | undefined, summary: SecurityHubSummary): Promise<void> {
  const { log } = deps;
  const fields: LogFields = { account_id: account.id, region, operation: 'BatchImportFindings' };
  const client = deps.clientFor(account.id, region, credentials);
  let notEnabledWarned = false;
  const warnNotEnabled = (errorCode: string, message: string): void => {
    if (notEnabledWarned) return;
    notEnabledWarned = true;
    summary.regions_not_enabled += 1;
    log.warn('Security Hub is not enabled in this account and region; its findings are sent once it is', { ...fields, error_code: errorCode, error_message: message });
  };
  let sent = 0;
  const batchSize = Math.min(BATCH_SIZE, Math.max(1, deps.batchSize ?? BATCH_SIZE));
  for (let start = 0; start < findings.length; start += batchSize) {
    const chunk = findings.slice(start, start + batchSize);
    let failedFindings: ImportFindingsError[];
    try {
      const output = await client.send(new BatchImportFindingsCommand({ Findings: chunk.map((pending) => pending.finding) }));
      failedFindings = output.FailedFindings ?? [];
    } catch (err: unknown) {
      const left = findings.length - start;
      summary.findings_failed += left;
      if (awsErrorCode(err) === 'InvalidAccessException') {
        warnNotEnabled('InvalidAccessException', err instanceof Error ? err.message : String(err));
      } else {
        log.error('Security Hub did not take the findings; they are sent next run', { ...awsErrorFields('BatchImportFindings', err), account_id: account.id, region, findings: left });
      }
      return;
    }
    const failedById = new Map(failedFindings.map((failure) => [failure.Id, failure]));
    for (const pending of chunk) {
      const failure = failedById.get(pending.record.id);
      if (failure !== undefined) {
        summary.findings_failed += 1;
        if (failure.ErrorCode === 'InvalidAccess' || failure.ErrorCode === 'InvalidAccessException') {
          warnNotEnabled(failure.ErrorCode, failure.ErrorMessage ?? '');
        } else {
          log.error('Security Hub refused the finding; it is sent again next run', {
            ...fields,
            finding_id: pending.record.id,
            error_code: failure.ErrorCode ?? 'Unknown',
            error_message: failure.ErrorMessage ?? '',
          });
        }
        continue;
      }
      summary.findings_sent += 1;
      sent += 1;
      await storeRecord(deps, pending, fields);
    }
  }
  if (sent > 0) log.info(`sent ${sent} findings to Security Hub`, { ...fields, findings: sent });
}

/**
 * Records what Security Hub accepted. Not conditional on the issue's state:
 * the record says what was sent, and a change written meanwhile makes a
 * different finding, sent by the next run. A failed write means one more
 * send next run, never a lost one.
 */
async function storeRecord(deps: SecurityHubExportDeps, pending: PendingFinding, fields: LogFields): Promise<void> {
  const issueFields = { ...fields, issue_region: pending.issue.issue_id, finding_id: pending.record.id, reason: pending.reason };
  try {
    const stored = await deps.store.tryUpdate(pending.issue, { set: [[['securityhub'], pending.record]], expect: [] });
    if (!stored) deps.log.info('the issue is gone; the finding Security Hub took is not recorded', issueFields);
    else deps.log.debug('sent the finding to Security Hub', issueFields);
  } catch (err: unknown) {
    deps.log.error('could not record the finding sent to Security Hub; it is sent again next run', { ...issueFields, ...awsErrorFields('UpdateItem', err), operation: 'UpdateItem' });
  }
}

/** The ticket's address, `<jira.server>/browse/<KEY>`, as the Slack messages give it. */
function ticketUrl(config: HammerConfig, issue: CloudTrailIssueItem): string | undefined {
  const ticket = issue.jira_details?.ticket;
  if (typeof ticket !== 'string' || ticket === '' || config.jira.server === undefined) return undefined;
  return `${config.jira.server}/browse/${ticket}`;
}
