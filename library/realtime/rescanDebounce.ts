/**
 * One rescan per account-region for a burst of calls, with a conditional
 * DynamoDB write per account-region (table `<prefix>cloudtrails-realtime`,
 * hash key `id`).
 *
 * Why this design: the events reach the handler through an SQS queue whose
 * delivery delay is the debounce window (default 15 s), so when the first
 * event of a burst is handled, the rest of the burst has happened. A rescan
 * that starts at time S sees the effect of every call made before S. So the
 * item `scan/<account>/<region>` holds `scan_started`, the time the last
 * rescan was asked, and an event asks for a rescan only when no rescan was
 * asked after its call (plus a 2-second margin for the event time's
 * one-second resolution and the clocks): the update is conditional on
 * `scan_started < call time + margin`, which DynamoDB decides atomically
 * however many handlers run at once. Ten StopLogging calls in a few seconds:
 * the first event handled claims the rescan, the nine others find it claimed
 * after their call and are dropped; a call made after that rescan started
 * gets a rescan of its own, so nothing is ever left unscanned. (An SQS
 * batching window alone would not do: Lambda polls a queue with several
 * pollers at once, so a burst can land in several batches, and a window
 * knows nothing of the batch before it. A "suppress for N seconds after the
 * first event" lock would drop the later calls of a burst, a fix among them.)
 *
 * A claim whose rescan could not be published is released, so the
 * redelivered event claims again. The table also keeps which alerts were
 * sent (`alert/<eventID>`), so a redelivered event does not alert twice.
 * Items expire after a day (TTL attribute `expires_at`).
 */
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from '../aws/awsErrors.ts';
import type { Clock } from '../runtime/clock.ts';

/** The event time has one-second resolution, and the Lambda's clock is not CloudTrail's. */
export const COVERAGE_MARGIN_MS = 2_000;
const ITEM_TTL_SECONDS = 24 * 60 * 60;

/** `startedAt` (ms) identifies the claim, to release it. */
export type RescanClaim = { claimed: true; startedAt: number } | { claimed: false };

export interface RescanClaims {
  /** Claims the rescan of one account-region for a call made at `calledAt`; throws on DynamoDB errors. */
  claimRescan(accountId: string, region: string, calledAt: Date): Promise<RescanClaim>;
  /** Undoes a claim whose rescan was not published (only if nobody claimed since). */
  releaseRescan(accountId: string, region: string, startedAt: number): Promise<void>;
  /** True the first time an alert for `eventId` is recorded, false after. */
  recordFirstAlert(eventId: string): Promise<boolean>;
}

export class RescanDebounce implements RescanClaims {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
    private readonly marginMs = COVERAGE_MARGIN_MS,
  ) {}

  async claimRescan(accountId: string, region: string, calledAt: Date): Promise<RescanClaim> {
    const now = this.clock().getTime();
    try {
      await this.doc.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { id: `scan/${accountId}/${region}` },
        UpdateExpression: 'SET scan_started = :now, account_id = :account, #region = :region, expires_at = :expires',
        ConditionExpression: 'attribute_not_exists(scan_started) OR scan_started < :covered',
        ExpressionAttributeNames: { '#region': 'region' },
        ExpressionAttributeValues: {
          ':now': now,
          ':covered': calledAt.getTime() + this.marginMs,
          ':account': accountId,
          ':region': region,
          ':expires': Math.floor(now / 1000) + ITEM_TTL_SECONDS,
        },
      }));
      return { claimed: true, startedAt: now };
    } catch (err: unknown) {
      if (isConditionFailed(err)) return { claimed: false };
      throw err;
    }
  }

  async releaseRescan(accountId: string, region: string, startedAt: number): Promise<void> {
    try {
      await this.doc.send(new DeleteCommand({
        TableName: this.tableName,
        Key: { id: `scan/${accountId}/${region}` },
        ConditionExpression: 'scan_started = :mine',
        ExpressionAttributeValues: { ':mine': startedAt },
      }));
    } catch (err: unknown) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  async recordFirstAlert(eventId: string): Promise<boolean> {
    const now = this.clock().getTime();
    try {
      await this.doc.send(new PutCommand({
        TableName: this.tableName,
        Item: { id: `alert/${eventId}`, alerted_at: now, expires_at: Math.floor(now / 1000) + ITEM_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(id)',
      }));
      return true;
    } catch (err: unknown) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }
}
