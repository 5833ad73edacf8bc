import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type CloudTrailClient,
  type GetEventSelectorsCommandOutput,
  type GetTrailStatusCommandOutput,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { awsErrorCode } from './awsErrors.ts';
import type { CallPacer } from './callPacer.ts';
import type { Log } from '../runtime/logger.ts';
import type { Random, Sleep } from '../runtime/sleep.ts';
import { retryTransient, type RetryPolicy } from './transientRetry.ts';

export interface CloudTrailReaderTools {
  pacer: CallPacer;
  retryPolicy: RetryPolicy;
  sleep: Sleep;
  random: Random;
  log: Log;
}

/**
 * The CloudTrail reads of one account during one invocation: every call goes
 * through the pacer (key = account and region) and is retried with backoff and
 * jitter when throttled. Trail statuses and event selectors are read once per
 * trail ARN and kept for the invocation, so a multi-region trail seen as a
 * shadow in every region is asked about once, in its home region, and an
 * organization trail that the account may not read is refused once.
 */
export class CloudTrailReader {
  private readonly statuses = new Map<string, Promise<GetTrailStatusCommandOutput>>();
  private readonly selectors = new Map<string, Promise<GetEventSelectorsCommandOutput>>();

  constructor(
    readonly accountId: string,
    private readonly clientFor: (region: string) => CloudTrailClient,
    private readonly tools: CloudTrailReaderTools,
  ) {}

  /** DescribeTrails(includeShadowTrails) in `region`: the trails that apply to it, shadows included. */
  async describeTrails(region: string): Promise<Trail[]> {
    const response = await this.call(region, 'DescribeTrails', (client) => client.send(new DescribeTrailsCommand({ includeShadowTrails: true })));
    return response.trailList ?? [];
  }

  /** GetTrailStatus(Name = trail ARN), asked in `homeRegion`; once per ARN. */
  trailStatus(homeRegion: string, trailArn: string): Promise<GetTrailStatusCommandOutput> {
    return this.once(this.statuses, `${homeRegion}|${trailArn}`, () =>
      this.call(homeRegion, 'GetTrailStatus', (client) => client.send(new GetTrailStatusCommand({ Name: trailArn }))));
  }

  /** GetEventSelectors(TrailName = trail ARN), asked in `homeRegion`; once per ARN. */
  eventSelectors(homeRegion: string, trailArn: string): Promise<GetEventSelectorsCommandOutput> {
    return this.once(this.selectors, `${homeRegion}|${trailArn}`, () =>
      this.call(homeRegion, 'GetEventSelectors', (client) => client.send(new GetEventSelectorsCommand({ TrailName: trailArn }))));
  }

  private once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
    let pending = cache.get(key);
    if (pending === undefined) {
      pending = read();
      // Failures are kept too: within one invocation the answer would be the same.
      pending.catch(() => undefined);
      cache.set(key, pending);
    }
    return pending;
  }

  private call<T>(region: string, operation: string, send: (client: CloudTrailClient) => Promise<T>): Promise<T> {
    const client = this.clientFor(region);
    const { pacer, retryPolicy, sleep, random, log } = this.tools;
    return retryTransient(() => pacer.run(`${this.accountId}/${region}`, () => send(client)), retryPolicy, {
      sleep,
      random,
      onRetry: (err, attempt, delayMs) => {
        log.warn('CloudTrail call failed, retrying', { account_id: this.accountId, region, operation, error_code: awsErrorCode(err), attempt, delay_ms: delayMs });
      },
    });
  }
}
