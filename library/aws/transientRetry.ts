import { awsErrorCode, isThrottling } from './awsErrors.ts';
import type { Random, Sleep } from '../runtime/sleep.ts';

/** How often and how patiently a call is retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The cap of the first retry's delay; it doubles with each retry. */
  baseDelayMs: number;
  /** The cap of any one delay. */
  maxDelayMs: number;
}

/** CloudTrail reads: six attempts, full-jitter delays capped at 250 ms, 500 ms, 1 s, 2 s, 4 s (about 8 s at worst). */
export const CLOUDTRAIL_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 4000 };

const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ServiceUnavailable', 'InternalFailure', 'InternalError']);

/** Throttling, a 5xx answer or a dropped connection: worth another try. Access and validation errors are not. */
export function isTransientError(err: unknown): boolean {
  if (isThrottling(err)) return true;
  const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  const code = awsErrorCode(err);
  if (TRANSIENT_NAMES.has(code)) return true;
  const nodeCode = (err as { code?: unknown } | undefined)?.code;
  return typeof nodeCode === 'string' && TRANSIENT_NAMES.has(nodeCode);
}

export interface RetryTools {
  sleep: Sleep;
  random: Random;
  /** Told before each wait (attempt = the attempt that failed). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Calls `call` until it succeeds, fails with a non-transient error, or runs
 * out of attempts. Between attempts it waits a "full jitter" delay: a random
 * time up to min(maxDelay, baseDelay * 2^(attempt-1)), so callers that were
 * throttled together do not come back together.
 */
export async function retryTransient<T>(call: () => Promise<T>, policy: RetryPolicy, tools: RetryTools): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err: unknown) {
      if (attempt >= policy.maxAttempts || !isTransientError(err)) throw err;
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.floor(tools.random() * cap);
      tools.onRetry?.(err, attempt, delayMs);
      await tools.sleep(delayMs);
    }
  }
}
