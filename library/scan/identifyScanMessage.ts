import pLimit from 'p-limit';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { AssumeRoleError, type AccountCredentialIdentity, type AccountCredentials } from '../aws/accountCredentials.ts';
import type { ApiRequestProgress } from './apiRequestProgress.ts';
import type { CallPacer } from '../aws/callPacer.ts';
import type { CloudTrailClientFactory } from '../aws/cloudTrailClients.ts';
import { CloudTrailReader } from '../aws/cloudTrailReader.ts';
import { assessRegion, recordAssessment, type RegionAssessment, type RegionIdentificationDeps, type RegionResult } from './identifyRegion.ts';
import type { ScanMessage } from './scanMessage.ts';
import type { ScanMessagePublisher } from './scanMessagePublisher.ts';
import { scopedLog } from '../runtime/scopedLog.ts';
import type { Random, Sleep } from '../runtime/sleep.ts';
import type { RetryPolicy } from '../aws/transientRetry.ts';

export interface IdentificationDeps extends RegionIdentificationDeps {
  config: Pick<HammerConfig, 'cloudtrails' | 'whitelist' | 'tempWhitelist'>;
  credentials: AccountCredentials;
  cloudTrailClient: CloudTrailClientFactory;
  publisher: ScanMessagePublisher;
  progress: ApiRequestProgress;
  pacer: CallPacer;
  retryPolicy: RetryPolicy;
  sleep: Sleep;
  random: Random;
  /** Regions of one message checked at once. */
  regionConcurrency: number;
  /**
   * A region is started only while the invocation has more than this many
   * milliseconds left; the others are published back. The first region of a
   * message always starts, so every invocation makes progress.
   */
  reserveMs: number;
  /** The region the Lambda runs in. */
  region: string;
  /**
   * True: check and judge only, write nothing (no issue merged, none
   * resolved, no API request progress): the scan command without --write.
   * Default false, as the Lambda runs.
   */
  dryRun?: boolean;
}

/** What the invocation knows that domain code needs: who it runs as and how long it has. */
export interface InvocationInfo {
  /** The account the Lambda runs in (no AssumeRole there). */
  ownAccountId: string | undefined;
  /** The invocation's remaining time (the Lambda context's getRemainingTimeInMillis). */
  remainingMs: () => number;
  /** Told as each region's check (and write) ends: the scan command's progress line. */
  onRegionDone?: (region: string, assessment: RegionAssessment) => void;
}

export interface ScanSummary {
  /** The result of every region that was started (empty in a dry run: nothing was written). */
  results: Record<string, RegionResult>;
  /** What the check of every region that was started found. */
  assessments: Record<string, RegionAssessment>;
  /** Regions not started for lack of time, published back to sns_arn in one message. */
  republished: string[];
}

/** Regions left unchecked could not be published back: thrown so Lambda retries the event (nothing is lost). */
export class RepublishError extends Error {
  override readonly name = 'RepublishError';
}

/**
 * Identification of one scan message: one account, any number of regions.
 * Credentials are assumed once for the account; regions are checked with
 * bounded concurrency, each independently (one region's failure never stops
 * another); when the invocation's time runs short, the regions not started are
 * published back to `sns_arn` in one message with the same fields, as
 * Hammer's chain does. With `request_id`, each region whose check ended adds
 * one to the API request's progress. Each region is assessed (assessRegion)
 * then recorded (recordAssessment), unless `deps.dryRun`: the scan command
 * runs this same function and writes only when asked.
 */
export async function identifyScanMessage(deps: IdentificationDeps, message: ScanMessage, invocation: InvocationInfo): Promise<ScanSummary> {
  const accountId = message.account_id;
  const log = scopedLog(deps.log, { account_id: accountId, account_name: message.account_name, ...(message.request_id === undefined ? {} : { request_id: message.request_id }) });
  const results: Record<string, RegionResult> = {};
  const assessments: Record<string, RegionAssessment> = {};

  try {
    await deps.credentials.forAccount(accountId, invocation.ownAccountId);
  } catch (err: unknown) {
    if (!(err instanceof AssumeRoleError)) throw err;
    log.error('cannot assume the identification role; nothing checked for this account', {
      region: message.regions.join(','), role_arn: err.roleArn, operation: 'AssumeRole', error_code: err.errorCode, error_message: err.cause instanceof Error ? err.cause.message : String(err.cause),
    });
    const failed: RegionAssessment = { kind: 'failed', operation: 'AssumeRole', errorCode: err.errorCode, errorMessage: err.cause instanceof Error ? err.cause.message : String(err.cause) };
    for (const region of message.regions) {
      if (deps.dryRun !== true) results[region] = 'failed';
      assessments[region] = failed;
      invocation.onRegionDone?.(region, failed);
    }
    if (message.request_id !== undefined && deps.dryRun !== true) await deps.progress.add(message.request_id, message.regions.length, { account_id: accountId });
    return { results, assessments, republished: [] };
  }

  const provider = accountId === invocation.ownAccountId
    ? undefined
    : async () => (await deps.credentials.forAccount(accountId, invocation.ownAccountId)) as AccountCredentialIdentity;
  const reader = new CloudTrailReader(accountId, (region) => deps.cloudTrailClient(accountId, region, provider), {
    pacer: deps.pacer, retryPolicy: deps.retryPolicy, sleep: deps.sleep, random: deps.random, log: deps.log,
  });

  const deferred = new Set<string>();
  const limit = pLimit(Math.max(1, deps.regionConcurrency));
  await Promise.all(message.regions.map((region, index) => limit(async () => {
    if (index > 0 && invocation.remainingMs() < deps.reserveMs) {
      deferred.add(region);
      return;
    }
    const assessment = await assessRegion({ ...deps, log }, reader, region);
    assessments[region] = assessment;
    if (deps.dryRun !== true) {
      results[region] = await recordAssessment({ ...deps, log }, accountId, region, assessment);
      if (message.request_id !== undefined) await deps.progress.add(message.request_id, 1, { account_id: accountId, region });
    }
    invocation.onRegionDone?.(region, assessment);
  })));

  const republished = message.regions.filter((region) => deferred.has(region));
  if (republished.length > 0) {
    const rest: ScanMessage = { ...message, regions: republished };
    const outcome = await deps.publisher.publish(message.sns_arn, [rest], deps.region);
    if (outcome.failed.length > 0) {
      throw new RepublishError(`regions ${republished.join(', ')} of account ${accountId} were not checked and could not be published back to ${message.sns_arn}`);
    }
    log.info('time running out: regions not started published back', { regions: republished, topic_arn: message.sns_arn, remaining_ms: invocation.remainingMs() });
  }
  return { results, assessments, republished };
}
