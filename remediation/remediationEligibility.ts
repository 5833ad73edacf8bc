/**
 * Whether an `open` issue of a remediation account is due for remediation,
 * decided from the stored item and the config alone, in the order of
 * Hammer's clean_* modules: the temporary whitelist, the whitelist, "was
 * not reported", "already remediated", then the retention period counted
 * in whole days since `timestamps.reported` (Hammer's
 * `(now - reported).days >= remediation_retention_period`).
 */
import { isJsonObject } from '../config/jsonFields.ts';
import type { CloudTrailIssueItem } from '../library/issues/cloudTrailIssue.ts';
import { parseTimestamp } from '../library/runtime/clock.ts';

export type SkipReason =
  /** In temp_whitelist_issues.json: Hammer remediates it later, once it leaves the list. */
  | 'temp-whitelisted'
  /** In whitelist.json (identification sets such issues `whitelisted` on its next scan). */
  | 'whitelisted'
  | 'not-reported'
  | 'already-remediated'
  /** Reported less than `remediation_retention_period` days ago. */
  | 'retention'
  /** The item lacks what the decision needs (a timestamps map, a readable `reported`). */
  | 'invalid';

export type Eligibility =
  | { kind: 'due'; daysSinceReported: number }
  | { kind: 'skip'; reason: SkipReason; detail: string; daysLeft?: number };

export interface EligibilityContext {
  inWhitelist: boolean;
  inTempWhitelist: boolean;
  /** cloudtrails.remediation_retention_period, in days. */
  retentionDays: number;
  now: Date;
}

const DAY_MICROSECONDS = 86_400_000_000;

/** A stored timestamp in microseconds since the epoch (Python writes microseconds; Date keeps milliseconds). */
function microsecondsOf(timestamp: string): number {
  const millis = parseTimestamp(timestamp);
  const fraction = /\.(\d+)/.exec(timestamp)?.[1] ?? '';
  return millis * 1000 + Number(fraction.padEnd(6, '0').slice(3, 6));
}

export function decideEligibility(issue: CloudTrailIssueItem, context: EligibilityContext): Eligibility {
  if (context.inTempWhitelist) return { kind: 'skip', reason: 'temp-whitelisted', detail: 'in the temporary whitelist; remediated once it leaves it' };
  if (context.inWhitelist) return { kind: 'skip', reason: 'whitelisted', detail: 'in the whitelist' };
  const timestamps = isJsonObject(issue.timestamps) ? issue.timestamps : undefined;
  if (timestamps === undefined) return { kind: 'skip', reason: 'invalid', detail: 'the item has no timestamps map' };
  const reported = timestamps.reported;
  if (typeof reported !== 'string' || reported === '') return { kind: 'skip', reason: 'not-reported', detail: 'was not reported' };
  const remediated = timestamps.remediated;
  if (typeof remediated === 'string' && remediated !== '') return { kind: 'skip', reason: 'already-remediated', detail: `has been already remediated (${remediated})` };
  const reportedAt = microsecondsOf(reported);
  if (Number.isNaN(reportedAt)) return { kind: 'skip', reason: 'invalid', detail: `timestamps.reported ${JSON.stringify(reported)} is not a timestamp` };
  const days = Math.floor((context.now.getTime() * 1000 - reportedAt) / DAY_MICROSECONDS);
  if (days < context.retentionDays) {
    const daysLeft = context.retentionDays - days;
    return { kind: 'skip', reason: 'retention', detail: `${daysLeft} days before remediation`, daysLeft };
  }
  return { kind: 'due', daysSinceReported: days };
}
