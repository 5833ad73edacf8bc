/**
 * What a scan of the benchmark's world must do at the least, worked out from
 * the world alone (never from the code under test), and the comparison of a
 * scan's recorded calls with it. A call above its minimum is repeated work (a
 * retry, a duplicate message, a status read once per region instead of once
 * per trail); a call below it is work not done, which may be a missed finding.
 *
 *   AssumeRole           one per account other than the Lambdas' own (it needs no role)
 *   DescribeTrails       one per account and region
 *   GetTrailStatus       one per trail an account sees in the checked regions (by ARN, in its home region)
 *   GetEventSelectors    one per such trail with custom event selectors
 *   PublishBatch         ceil(accounts / 10): SNS takes 10 messages per batch
 *   published messages   one per account
 *   DynamoDB GetItem     one per account and region (each region's stored issue is read once to decide)
 *   DynamoDB writes      one per issue on the first scan, none on a rescan with nothing changed
 */
import { visibleTrails } from '../fakes/awsWireFakeState.ts';
import type { BenchWorld } from './benchWorld.ts';
import type { CallsByKey } from './worldServer.ts';

/** SNS PublishBatch's most entries per call. */
export const SNS_BATCH_SIZE = 10;

export interface ScanExpectations {
  accounts: number;
  accountRegions: number;
  /** The keys each operation must be called for, once each (see CallsByKey). */
  keys: Record<'AssumeRole' | 'DescribeTrails' | 'GetTrailStatus' | 'GetEventSelectors', Set<string>>;
  publishBatchCalls: number;
  /** `<account>/<region>` of every issue the world holds. */
  issues: Set<string>;
}

export function scanExpectations(world: BenchWorld): ScanExpectations {
  const accountIds = Object.keys(world.accounts);
  const keys: ScanExpectations['keys'] = { AssumeRole: new Set(), DescribeTrails: new Set(), GetTrailStatus: new Set(), GetEventSelectors: new Set() };
  const issues = new Set<string>();
  for (const accountId of accountIds) {
    if (accountId !== world.masterAccountId) keys.AssumeRole.add(accountId);
    for (const region of world.regions) {
      keys.DescribeTrails.add(`${accountId}/${region}`);
      for (const seen of visibleTrails(world.state, accountId, region)) {
        keys.GetTrailStatus.add(`${accountId}/${seen.arn}`);
        const custom = seen.fake.trail.HasCustomEventSelectors ?? (seen.fake.eventSelectors !== undefined || seen.fake.advancedEventSelectors !== undefined);
        if (custom) keys.GetEventSelectors.add(`${accountId}/${seen.arn}`);
      }
      if (world.expected[accountId]?.[region]?.issue === true) issues.add(`${accountId}/${region}`);
    }
  }
  return {
    accounts: accountIds.length,
    accountRegions: accountIds.length * world.regions.length,
    keys,
    publishBatchCalls: Math.ceil(accountIds.length / SNS_BATCH_SIZE),
    issues,
  };
}

/** One operation's calls compared with the keys it must be called for once each. */
export interface KeyedCount {
  operation: string;
  expected: number;
  calls: number;
  /** Expected keys never called. */
  missing: number;
  /** Calls beyond the first for a key. */
  repeated: number;
  /** Calls for keys not expected at all. */
  unexpected: number;
  ok: boolean;
}

export function compareKeyedCalls(operation: string, expected: ReadonlySet<string>, recorded: CallsByKey): KeyedCount {
  const calls = new Map(recorded[operation] ?? []);
  let total = 0;
  let repeated = 0;
  let unexpected = 0;
  for (const [key, count] of calls) {
    total += count;
    if (count > 1) repeated += count - 1;
    if (!expected.has(key)) unexpected += count;
  }
  let missing = 0;
  for (const key of expected) if (!calls.has(key)) missing += 1;
  return { operation, expected: expected.size, calls: total, missing, repeated, unexpected, ok: total === expected.size && missing === 0 && repeated === 0 && unexpected === 0 };
}

/** The issues table compared with the world's issues (`<account>/<region>`). */
export interface IssueComparison {
  expected: number;
  found: number;
  /** Issues of the world with no item: missed findings. */
  missed: string[];
  /** Items for regions without an issue: false findings. */
  unexpected: string[];
  ok: boolean;
}

export function compareIssues(expected: ReadonlySet<string>, items: ReadonlyArray<{ account_id: string; issue_id: string }>): IssueComparison {
  const found = new Set(items.map((item) => `${item.account_id}/${item.issue_id}`));
  const missed = [...expected].filter((key) => !found.has(key));
  const unexpected = [...found].filter((key) => !expected.has(key));
  return { expected: expected.size, found: found.size, missed, unexpected, ok: missed.length === 0 && unexpected.length === 0 && found.size === items.length };
}

/** Messages published per account: each account exactly once. */
export function compareMessages(accounts: readonly string[], messageAccounts: readonly string[]): { expected: number; published: number; missing: number; repeated: number; ok: boolean } {
  const counts = new Map<string, number>();
  for (const account of messageAccounts) counts.set(account, (counts.get(account) ?? 0) + 1);
  const missing = accounts.filter((account) => !counts.has(account)).length;
  const repeated = [...counts.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
  const known = new Set(accounts);
  const unknown = [...counts.keys()].filter((account) => !known.has(account)).length;
  return { expected: accounts.length, published: messageAccounts.length, missing, repeated, ok: missing === 0 && repeated === 0 && unknown === 0 && messageAccounts.length === accounts.length };
}
