import type { HammerConfig } from '../../config/hammerConfig.ts';
import { awsErrorFields } from '../aws/awsErrors.ts';
import type { Clock } from '../runtime/clock.ts';
import { buildFinding, findingStatus } from './cloudTrailFinding.ts';
import type { CloudTrailReader } from '../aws/cloudTrailReader.ts';
import type { IssueStore, MergeOutcome } from '../issues/issueStore.ts';
import type { Log } from '../runtime/logger.ts';
import { DescribeTrailsError, checkRegion, type RegionCheck } from './regionCheck.ts';
import { judgeRegion, type RegionVerdict } from './regionVerdict.ts';

/** What identification did for one account and region. */
export type RegionResult =
  /** An issue was found and merged into the table (see MergeOutcome). */
  | MergeOutcome
  /** No issue; the region's open issue was set `resolved`. */
  | 'resolved'
  /** No issue, and no open issue to resolve. */
  | 'no-issue'
  /** No trail is known to cover the region but some might (status or selectors unknown): nothing written, open issue untouched. */
  | 'status-unknown'
  /** The region is not enabled in the account: skipped, nothing written. */
  | 'region-not-enabled'
  /** The check or the write failed (logged): nothing written by this check. */
  | 'failed';

export interface RegionIdentificationDeps {
  config: Pick<HammerConfig, 'cloudtrails' | 'whitelist' | 'tempWhitelist'>;
  store: IssueStore;
  clock: Clock;
  log: Log;
}

/** A region's trails as read and judged now, before anything is written. */
export type RegionJudgement =
  /** The region is not enabled in the account (opt-in region): nothing to check. */
  | { kind: 'region-not-enabled'; errorCode: string }
  /** The trails with a known status, those without, what each records of management events, and the verdict. */
  | { kind: 'judged'; check: Extract<RegionCheck, { outcome: 'checked' }>; verdict: RegionVerdict };

/** What identification did for one account and region, with what it saw. */
export interface RegionIdentification {
  result: RegionResult;
  /** The judgement the result was written from; undefined when the check failed. */
  judgement?: RegionJudgement;
}

/**
 * Reads and judges one account and region, writing nothing (the first half
 * of identifyRegion; remediation's dry run uses it alone). Throws
 * DescribeTrailsError when DescribeTrails fails.
 */
export async function judgeRegionNow(deps: Pick<RegionIdentificationDeps, 'config' | 'clock' | 'log'>, reader: CloudTrailReader, region: string): Promise<RegionJudgement> {
  const check = await checkRegion(reader, region, { staleDeliveryHours: deps.config.cloudtrails.staleDeliveryHours, now: deps.clock(), log: deps.log });
  if (check.outcome === 'region-not-enabled') return { kind: 'region-not-enabled', errorCode: check.errorCode };
  const verdict = judgeRegion(check.trails, check.unknownTrails, deps.config.cloudtrails.issueEndpoints, {
    coverage: check.coverage,
    requireReadManagementEvents: deps.config.cloudtrails.requireReadManagementEvents,
  });
  return { kind: 'judged', check, verdict };
}

/**
 * Checks one account and region and records the verdict (contract section 4):
 * an issue is merged with Hammer's rule; a region without issue resolves its
 * `open` issue; a region whose only trails have an unknown status, a region
 * not enabled and a failed check write nothing. Never throws: a failure is
 * logged with account, region, operation and error code.
 */
export async function identifyRegion(deps: RegionIdentificationDeps, reader: CloudTrailReader, region: string): Promise<RegionResult> {
  return (await identifyRegionInDetail(deps, reader, region)).result;
}

/** identifyRegion, also giving the judgement it recorded (remediation's rescans read the trails from it). */
export async function identifyRegionInDetail(deps: RegionIdentificationDeps, reader: CloudTrailReader, region: string): Promise<RegionIdentification> {
  const accountId = reader.accountId;
  const where = { account_id: accountId, region };
  let step = 'DescribeTrails';
  try {
    const judgement = await judgeRegionNow(deps, reader, region);
    if (judgement.kind === 'region-not-enabled') {
      deps.log.info('region not enabled in the account, skipped', { ...where, operation: 'DescribeTrails', error_code: judgement.errorCode });
      return { result: 'region-not-enabled', judgement };
    }
    const { check, verdict } = judgement;
    const summary = { ...where, trails: check.trails.length, unknown_trails: check.unknownTrails.map((trail) => trail.id) };
    if (verdict.kind === 'issue') {
      const finding = buildFinding({
        accountId,
        region,
        status: findingStatus(deps.config, accountId, region),
        disabled: verdict.disabled,
        deliveryErrors: verdict.deliveryErrors,
        trails: check.trails,
        unknownTrails: check.unknownTrails,
        notCovering: verdict.notCovering,
      });
      step = 'dynamodb:MergeIssue';
      const outcome = await deps.store.mergeFinding(finding, { issueEndpoints: deps.config.cloudtrails.issueEndpoints });
      const notCovering = Object.keys(verdict.notCovering);
      deps.log.info('CloudTrail issue found', {
        ...summary, status: finding.status, disabled: verdict.disabled, delivery_errors: Object.keys(verdict.deliveryErrors),
        ...(notCovering.length > 0 ? { not_covering: verdict.notCovering } : {}), outcome,
      });
      return { result: outcome, judgement };
    }
    if (verdict.kind === 'unknown') {
      deps.log.warn('region status unknown: no readable trail covers the region, some trails (status or event selectors) could not be read or judged; nothing written, open issue left as it is', summary);
      return { result: 'status-unknown', judgement };
    }
    step = 'dynamodb:ResolveIssue';
    const stored = await deps.store.get(accountId, region);
    if (stored?.status !== 'open') {
      deps.log.info('CloudTrail logging fine', { ...summary, outcome: 'no-issue' });
      return { result: 'no-issue', judgement };
    }
    const resolved = await deps.store.resolve(stored);
    deps.log.info(resolved ? 'CloudTrail logging fine again, issue resolved' : 'CloudTrail logging fine, issue no longer open (changed meanwhile)', { ...summary, outcome: resolved ? 'resolved' : 'no-issue' });
    return { result: resolved ? 'resolved' : 'no-issue', judgement };
  } catch (err: unknown) {
    const cause = err instanceof DescribeTrailsError ? err.cause : err;
    deps.log.error('CloudTrail check failed; nothing written for this region', { ...where, ...awsErrorFields(step, cause) });
    return { result: 'failed' };
  }
}
