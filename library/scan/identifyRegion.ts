import type { HammerConfig } from '../../config/hammerConfig.ts';
import { awsErrorFields } from '../aws/awsErrors.ts';
import type { Clock } from '../runtime/clock.ts';
import { buildFinding, findingStatus } from './cloudTrailFinding.ts';
import type { CloudTrailReader } from '../aws/cloudTrailReader.ts';
import type { IssueStore, MergeOutcome } from '../issues/issueStore.ts';
import type { Log } from '../runtime/logger.ts';
import { DescribeTrailsError, checkRegion } from './regionCheck.ts';
import { judgeRegion } from './regionVerdict.ts';

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

/**
 * Checks one account and region and records the verdict (contract section 4):
 * an issue is merged with Hammer's rule; a region without issue resolves its
 * `open` issue; a region whose only trails have an unknown status, a region
 * not enabled and a failed check write nothing. Never throws: a failure is
 * logged with account, region, operation and error code.
 */
export async function identifyRegion(deps: RegionIdentificationDeps, reader: CloudTrailReader, region: string): Promise<RegionResult> {
  const accountId = reader.accountId;
  const where = { account_id: accountId, region };
  let step = 'DescribeTrails';
  try {
    const check = await checkRegion(reader, region, { staleDeliveryHours: deps.config.cloudtrails.staleDeliveryHours, now: deps.clock(), log: deps.log });
    if (check.outcome === 'region-not-enabled') {
      deps.log.info('region not enabled in the account, skipped', { ...where, operation: 'DescribeTrails', error_code: check.errorCode });
      return 'region-not-enabled';
    }
    const verdict = judgeRegion(check.trails, check.unknownTrails, deps.config.cloudtrails.issueEndpoints, {
      coverage: check.coverage,
      requireReadManagementEvents: deps.config.cloudtrails.requireReadManagementEvents,
    });
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
      return outcome;
    }
    if (verdict.kind === 'unknown') {
      deps.log.warn('region status unknown: no readable trail covers the region, some trails (status or event selectors) could not be read or judged; nothing written, open issue left as it is', summary);
      return 'status-unknown';
    }
    step = 'dynamodb:ResolveIssue';
    const stored = await deps.store.get(accountId, region);
    if (stored?.status !== 'open') {
      deps.log.info('CloudTrail logging fine', { ...summary, outcome: 'no-issue' });
      return 'no-issue';
    }
    const resolved = await deps.store.resolve(stored);
    deps.log.info(resolved ? 'CloudTrail logging fine again, issue resolved' : 'CloudTrail logging fine, issue no longer open (changed meanwhile)', { ...summary, outcome: resolved ? 'resolved' : 'no-issue' });
    return resolved ? 'resolved' : 'no-issue';
  } catch (err: unknown) {
    const cause = err instanceof DescribeTrailsError ? err.cause : err;
    deps.log.error('CloudTrail check failed; nothing written for this region', { ...where, ...awsErrorFields(step, cause) });
    return 'failed';
  }
}
