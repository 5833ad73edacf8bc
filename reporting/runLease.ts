/**
 * One reporting run at a time when the reporting Lambda has no reserved
 * concurrency (accounts whose concurrency quota leaves none to reserve; the
 * Terraform variable reporting_reserved_concurrency = null sets
 * RUN_LEASE=issues-table on the function). Reserved concurrency 1 makes Lambda
 * itself refuse a second run; without it, a run takes a lease first:
 *
 * - The lease is one item of the issues table, under the key
 *   `{account_id: "run-lease", issue_id: "create_cloudtrail_tickets"}`. No
 *   account has that id, and every reader of the table (Hammer's Python
 *   modules, this module's identification and reporting) queries it per
 *   account id, so no reader ever sees the item. The role needs nothing new:
 *   UpdateItem and GetItem on the issues table.
 * - Taking it is one conditional UpdateItem: it succeeds only when there is
 *   no lease or the lease expired; it records the holder (the Lambda request
 *   id) and the expiry, the end of this invocation (its remaining time) plus a
 *   margin, since a run cannot outlive its invocation. A run killed before it
 *   released the lease therefore blocks the next runs only until then.
 * - A run that finds the lease held reads it, logs who holds it until when,
 *   and does nothing (no error: overlapping schedules are expected, and the next run
 *   picks up what this one would have done).
 * - The run releases the lease when it ends, however it ends, with an update
 *   conditional on still holding it (a lease that expired and was taken over
 *   is left to its new holder).
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsErrorFields, isConditionFailed } from '../library/aws/awsErrors.ts';
import type { Clock } from '../library/runtime/clock.ts';
import type { Log } from '../library/runtime/logger.ts';

/** The lease item's key in the issues table: an account id no account has. */
export const RUN_LEASE_KEY = { account_id: 'run-lease', issue_id: 'create_cloudtrail_tickets' } as const;

/** The value of the function's RUN_LEASE variable that turns the lease on. */
export const RUN_LEASE_IN_ISSUES_TABLE = 'issues-table';

/** Added to the invocation's remaining time: clock skew between Lambda hosts. */
export const LEASE_MARGIN_MS = 60_000;

/** Used when the run's longest duration is unknown: Lambda's longest timeout. */
export const DEFAULT_MAX_RUN_MS = 900_000;

export interface RunLeaseDeps {
  doc: DynamoDBDocumentClient;
  /** The issues table (cloudtrails["ddb.table_name"]). */
  tableName: string;
  clock: Clock;
  log: Log;
}

/** What a run that found the lease held returns instead of its summary. */
export interface LeaseHeld {
  skipped: 'another reporting run holds the run lease';
  holder: string | undefined;
  expires_at: string | undefined;
}

export interface HeldLease {
  release(): Promise<void>;
}

/** Whether the function's environment asks for the lease (RUN_LEASE=issues-table). */
export function runLeaseEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.RUN_LEASE === RUN_LEASE_IN_ISSUES_TABLE;
}

/**
 * Takes the lease for `maxRunMs` (plus the margin); the held lease, or what
 * holds it when another run does.
 */
export async function takeRunLease(deps: RunLeaseDeps, holder: string, maxRunMs: number): Promise<HeldLease | LeaseHeld> {
  const now = deps.clock().getTime();
  const expiresAt = now + maxRunMs + LEASE_MARGIN_MS;
  try {
    await deps.doc.send(new UpdateCommand({
      TableName: deps.tableName,
      Key: RUN_LEASE_KEY,
      UpdateExpression: 'SET #holder = :holder, #expires = :expires, #taken = :taken',
      ConditionExpression: 'attribute_not_exists(#account) OR #expires < :now',
      ExpressionAttributeNames: { '#account': 'account_id', '#holder': 'holder', '#expires': 'expires_at', '#taken': 'taken_at' },
      ExpressionAttributeValues: { ':holder': holder, ':expires': expiresAt, ':taken': new Date(now).toISOString(), ':now': now },
    }));
  } catch (err: unknown) {
    if (!isConditionFailed(err)) throw err;
    const held = await readHeldLease(deps);
    deps.log.warn('another reporting run holds the run lease; this run does nothing', { operation: 'UpdateItem', table: deps.tableName, lease_holder: held.holder, lease_expires_at: held.expires_at });
    return held;
  }
  deps.log.info('run lease taken', { table: deps.tableName, lease_holder: holder, lease_expires_at: new Date(expiresAt).toISOString() });
  return {
    release: async () => {
      try {
        await deps.doc.send(new UpdateCommand({
          TableName: deps.tableName,
          Key: RUN_LEASE_KEY,
          UpdateExpression: 'SET #expires = :released',
          ConditionExpression: '#holder = :holder',
          ExpressionAttributeNames: { '#holder': 'holder', '#expires': 'expires_at' },
          ExpressionAttributeValues: { ':holder': holder, ':released': 0 },
        }));
      } catch (err: unknown) {
        // Lost (expired and taken over) or unreachable: it expires by itself.
        deps.log.warn('run lease not released; it expires by itself', { table: deps.tableName, lease_holder: holder, ...awsErrorFields('UpdateItem', err) });
      }
    },
  };
}

/**
 * Runs `run` under the lease: skipped (returning who holds it) when another
 * run holds it; the lease released however `run` ends.
 */
export async function withRunLease<T>(deps: RunLeaseDeps, holder: string, maxRunMs: number, run: () => Promise<T>): Promise<T | LeaseHeld> {
  const lease = await takeRunLease(deps, holder, maxRunMs);
  if ('skipped' in lease) return lease;
  try {
    return await run();
  } finally {
    await lease.release();
  }
}

/**
 * The handler's hook: `run` under the lease when the function's environment
 * asks for it (RUN_LEASE), else `run` as it is (reserved concurrency 1 keeps
 * one run at a time). The holder is the Lambda request id; the run lasts at
 * most the invocation's remaining time.
 */
export async function oneRunAtATime<T>(env: NodeJS.ProcessEnv, context: { awsRequestId: string; getRemainingTimeInMillis(): number } | undefined, deps: RunLeaseDeps, run: () => Promise<T>): Promise<T | LeaseHeld> {
  if (!runLeaseEnabled(env)) return run();
  return withRunLease(deps, context?.awsRequestId ?? `pid-${process.pid}`, context?.getRemainingTimeInMillis() ?? DEFAULT_MAX_RUN_MS, run);
}

/** Who holds the lease until when, for the log (undefined when it cannot be read). */
async function readHeldLease(deps: RunLeaseDeps): Promise<LeaseHeld> {
  let item: Record<string, unknown> | undefined;
  try {
    item = (await deps.doc.send(new GetCommand({ TableName: deps.tableName, Key: RUN_LEASE_KEY, ConsistentRead: true }))).Item;
  } catch (err: unknown) {
    deps.log.warn('run lease held, and could not be read', { table: deps.tableName, ...awsErrorFields('GetItem', err) });
  }
  const expires = typeof item?.expires_at === 'number' ? item.expires_at : Number.NaN;
  return {
    skipped: 'another reporting run holds the run lease',
    holder: typeof item?.holder === 'string' ? item.holder : undefined,
    expires_at: Number.isFinite(expires) ? new Date(expires).toISOString() : undefined,
  };
}
