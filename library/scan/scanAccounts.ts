/**
 * Identification run in this process over accounts and regions (the scan
 * command): every account goes through identifyScanMessage, the very code the
 * describe Lambda runs for one SNS message, with all of the account's regions
 * checked at once and its CloudTrail calls paced to the service's limit
 * (the deps' CallPacer). With `deps.dryRun` nothing is written; without it the
 * findings are merged into the issues table exactly as the Lambda merges them.
 */
import pLimit from 'p-limit';
import type { RegionAssessment, RegionResult } from './identifyRegion.ts';
import { identifyScanMessage, type IdentificationDeps } from './identifyScanMessage.ts';

export interface AccountToScan {
  accountId: string;
  /** The name from aws.accounts ("" when unknown). */
  accountName: string;
}

/** One account and region as the scan found it. */
export interface RegionFinding {
  accountId: string;
  accountName: string;
  region: string;
  assessment: RegionAssessment;
  /** What was written (undefined in a dry run). */
  result: RegionResult | undefined;
}

export interface ScanAccountsOptions {
  accounts: readonly AccountToScan[];
  regions: readonly string[];
  /** The account the credentials belong to: read with them, no AssumeRole (as the Lambda's own account). */
  ownAccountId: string | undefined;
  /** Accounts checked at once (each with all its regions at once, up to deps.regionConcurrency). */
  accountConcurrency: number;
  /** Told after each account-region: how many are done, of how many. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Checks every account in every region; one failing account or region never
 * stops the others (a failure is an assessment of kind `failed`). Findings
 * come back in the order of `accounts`, then of `regions`.
 */
export async function scanAccounts(deps: IdentificationDeps, options: ScanAccountsOptions): Promise<RegionFinding[]> {
  const total = options.accounts.length * options.regions.length;
  let done = 0;
  const limit = pLimit(Math.max(1, options.accountConcurrency));
  const perAccount = await Promise.all(options.accounts.map((account) => limit(async (): Promise<RegionFinding[]> => {
    const summary = await identifyScanMessage(deps, {
      account_id: account.accountId,
      account_name: account.accountName,
      regions: [...options.regions],
      // Never used: with all the time in the world no region is published back.
      sns_arn: '',
    }, {
      ownAccountId: options.ownAccountId,
      remainingMs: () => Number.POSITIVE_INFINITY,
      onRegionDone: () => {
        done += 1;
        options.onProgress?.(done, total);
      },
    });
    return options.regions.map((region): RegionFinding => ({
      accountId: account.accountId,
      accountName: account.accountName,
      region,
      assessment: summary.assessments[region] ?? { kind: 'failed', operation: 'Identification', errorCode: 'NotChecked', errorMessage: 'the region was not checked' },
      result: summary.results[region],
    }));
  })));
  return perAccount.flat();
}
