/**
 * What the reporting run knows of the Security Hub export: its summary, the
 * function that runs it, and the hook that runs it once the issues are
 * reported. Nothing here loads the Security Hub client: production loads the
 * export lazily (reportingDeps.ts), only when `cloudtrails.securityhub` is on.
 */
import type { Log } from '../../library/runtime/logger.ts';
import type { AccountRef } from '../issueReporter.ts';

export interface SecurityHubSummary {
  /** Accounts whose issues were read and whose findings were looked at. */
  accounts: number;
  /** Accounts left out: their issues could not be read, or their role not assumed. */
  accounts_failed: number;
  /** Accounts not started because the run's time ran out (the next run exports them). */
  accounts_deferred: number;
  /** Findings Security Hub accepted (created, updated, resolved or refreshed). */
  findings_sent: number;
  /** Findings already in Security Hub as they are: not sent. */
  findings_unchanged: number;
  /** Findings not accepted (a call failed, or Security Hub listed them in FailedFindings): sent again next run. */
  findings_failed: number;
  /** Account-regions where Security Hub is not enabled (one warning each). */
  regions_not_enabled: number;
}

export interface ExportTimeBudget {
  remainingMs(): number;
  reserveMs: number;
}

/** Exports the findings of the accounts (one pass per account, after its issues are reported). */
export type FindingsExport = (accounts: readonly AccountRef[], options: { budget?: ExportTimeBudget }) => Promise<SecurityHubSummary>;

export function emptySecurityHubSummary(): SecurityHubSummary {
  return { accounts: 0, accounts_failed: 0, accounts_deferred: 0, findings_sent: 0, findings_unchanged: 0, findings_failed: 0, regions_not_enabled: 0 };
}

/**
 * Runs the export after the JIRA/Slack report of every account. It never
 * fails the run: anything it did not send is logged and sent next run.
 */
export async function runFindingsExport(exportFindings: FindingsExport, accounts: Record<string, string>, log: Log, budget: ExportTimeBudget | undefined): Promise<SecurityHubSummary | undefined> {
  try {
    return await exportFindings(Object.entries(accounts).map(([id, name]) => ({ id, name })), budget === undefined ? {} : { budget });
  } catch (err: unknown) {
    log.error('the Security Hub export failed; its findings are sent next run', {
      operation: 'BatchImportFindings',
      error_code: err instanceof Error ? err.name : 'UnknownError',
      error_message: err instanceof Error ? err.message : String(err),
    });
    return undefined;
  }
}
