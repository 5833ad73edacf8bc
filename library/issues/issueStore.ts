import { isJsonObject } from '../../config/jsonFields.ts';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from '../aws/awsErrors.ts';
import { pythonIsoTimestamp, type Clock } from '../runtime/clock.ts';
import { newIssueItem, sameIssue, type CloudTrailFinding, type CloudTrailIssueItem, type IssueComparison, type IssueStatus } from './cloudTrailIssue.ts';
import { buildConditionalUpdate, type DocumentPath, type Expectation } from './conditionalUpdate.ts';
import type { Log } from '../runtime/logger.ts';

/** What `mergeFinding` did with a finding. */
export type MergeOutcome =
  /** No item yet: the finding was put. */
  | 'created'
  /** Nothing compared differs from the stored item (see issueComparisonKey): nothing written. */
  | 'unchanged'
  /** A whitelisted finding over a closed issue: left closed. */
  | 'kept-closed'
  /** The stored issue was closed: replaced whole, a new lifecycle. */
  | 'reopened'
  /** Details or status changed: replaced, timestamps and jira details kept, `updated` = now. */
  | 'updated';

/** Reporting's change of one issue: attributes to set, and what the writer saw when it decided. */
export interface IssueChange {
  set: ReadonlyArray<[DocumentPath, unknown]>;
  expect: readonly Expectation[];
}

const MAX_RACE_RETRIES = 5;

/** A DynamoDB key that names the issue in errors and logs. */
export function issueKey(issue: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id'>): { account_id: string; issue_id: string } {
  return { account_id: issue.account_id, issue_id: issue.issue_id };
}

export class IssueRaceError extends Error {
  override readonly name = 'IssueRaceError';
  constructor(accountId: string, issueId: string, options?: { cause?: unknown }) {
    super(`issue ${accountId}/${issueId} kept changing under a concurrent writer after ${MAX_RACE_RETRIES} attempts`, options);
  }
}

/**
 * The issues table (`cloudtrails["ddb.table_name"]`): hash key account_id,
 * range key issue_id (the region). Reads follow every page; writes are
 * conditional on what the writer read, so identification and reporting can
 * run at the same time without either losing the other's change.
 */
export class IssueStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  private now(): string {
    return pythonIsoTimestamp(this.clock());
  }

  async get(accountId: string, issueId: string): Promise<CloudTrailIssueItem | undefined> {
    const response = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { account_id: accountId, issue_id: issueId }, ConsistentRead: true }));
    return response.Item === undefined ? undefined : normalizeItem(response.Item);
  }

  /**
   * Every issue of an account, optionally only those with one status or not
   * with one status; follows LastEvaluatedKey (Hammer read one page only).
   */
  async listAccountIssues(accountId: string, filter: { status?: IssueStatus; notStatus?: IssueStatus } = {}): Promise<CloudTrailIssueItem[]> {
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: '#account = :account',
      ExpressionAttributeNames: { '#account': 'account_id' },
      ExpressionAttributeValues: { ':account': accountId },
      ConsistentRead: true,
    };
    if (filter.status !== undefined || filter.notStatus !== undefined) {
      input.ExpressionAttributeNames = { ...input.ExpressionAttributeNames, '#status': 'status' };
      input.FilterExpression = filter.status !== undefined ? '#status = :status' : '#status <> :status';
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':status': filter.status ?? filter.notStatus };
    }
    const items: CloudTrailIssueItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
      for (const item of page.Items ?? []) items.push(normalizeItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  /**
   * Merges a finding into the table with Hammer's rule (contract section 5).
   * "Same item" is issueComparisonKey with `comparison` (the issue
   * endpoints): a finding that differs only in what is not compared
   * (recorded-only errors, unknown_trails, other keys) writes nothing.
   * Each write is conditional on the state it was decided from; when another
   * writer got there first, the decision is made again from a fresh read.
   */
  async mergeFinding(finding: CloudTrailFinding, comparison: IssueComparison): Promise<MergeOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.mergeOnce(finding, comparison);
      } catch (err: unknown) {
        if (!isConditionFailed(err)) throw err;
        if (attempt >= MAX_RACE_RETRIES) throw new IssueRaceError(finding.account_id, finding.issue_id, { cause: err });
        this.log.debug('issue changed while merging, reading it again', { account_id: finding.account_id, region: finding.issue_id, attempt });
      }
    }
  }

  private async mergeOnce(finding: CloudTrailFinding, comparison: IssueComparison): Promise<MergeOutcome> {
    const stored = await this.get(finding.account_id, finding.issue_id);
    const now = this.now();
    if (stored === undefined) {
      await this.doc.send(new PutCommand({
        TableName: this.tableName,
        Item: newIssueItem(finding, now),
        ConditionExpression: 'attribute_not_exists(account_id)',
      }));
      return 'created';
    }
    if (sameIssue(stored, finding, comparison)) return 'unchanged';
    if (finding.status === 'whitelisted' && stored.status === 'closed') return 'kept-closed';
    if (stored.status === 'closed' || !isJsonObject(stored.timestamps) || !isJsonObject(stored.jira_details)) {
      // A new lifecycle: the old ticket and timestamps are forgotten.
      await this.doc.send(new PutCommand({
        TableName: this.tableName,
        Item: newIssueItem(finding, now),
        ConditionExpression: '#status = :seen',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':seen': stored.status },
      }));
      return 'reopened';
    }
    await this.update(finding, {
      set: [[['issue_details'], finding.issue_details], [['status'], finding.status], [['timestamps', 'updated'], now]],
      expect: [{ path: ['status'], equals: stored.status }],
    });
    return 'updated';
  }

  /** Sets an open issue `resolved` (timestamps.resolved = now); false when it is no longer open. */
  async resolve(issue: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id'>): Promise<boolean> {
    return this.tryUpdate(issue, {
      set: [[['status'], 'resolved'], [['timestamps', 'resolved'], this.now()]],
      expect: [{ path: ['status'], equals: 'open' }],
    });
  }

  /**
   * Applies a change when the stored item still matches `expect`; false when
   * a concurrent writer changed it (the caller decides again next time).
   */
  async tryUpdate(issue: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id'>, change: IssueChange): Promise<boolean> {
    try {
      await this.update(issue, change);
      return true;
    } catch (err: unknown) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** The timestamp this store writes for "now", for callers building changes. */
  timestamp(): string {
    return this.now();
  }

  private async update(issue: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id'>, change: IssueChange): Promise<void> {
    const expressions = buildConditionalUpdate(change.set, [{ path: ['account_id'], equals: issue.account_id }, ...change.expect]);
    await this.doc.send(new UpdateCommand({ TableName: this.tableName, Key: issueKey(issue), ...expressions }));
  }
}


/** An item as read: fills what old or hand-edited items may lack, the way Hammer's `Issue.from_dict` defaults. */
function normalizeItem(item: Record<string, unknown>): CloudTrailIssueItem {
  const details = isJsonObject(item.issue_details) ? item.issue_details : {};
  return {
    ...(item as unknown as CloudTrailIssueItem),
    status: (typeof item.status === 'string' ? item.status : 'unknown') as IssueStatus,
    issue_details: {
      ...details,
      disabled: Boolean(details.disabled),
      delivery_errors: (details.delivery_errors ?? false) as CloudTrailIssueItem['issue_details']['delivery_errors'],
      trails: Array.isArray(details.trails) ? (details.trails as CloudTrailIssueItem['issue_details']['trails']) : [],
    },
  };
}
