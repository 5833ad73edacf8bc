import type { HammerConfig } from '../../config/hammerConfig.ts';
import { awsErrorCode, awsErrorFields } from '../aws/awsErrors.ts';
import type { Clock } from '../runtime/clock.ts';
import { buildFinding, findingStatus } from './cloudTrailFinding.ts';
import type { CloudTrailReader } from '../aws/cloudTrailReader.ts';
import type { CloudTrailFinding, CloudTrailIssueDetails } from '../issues/cloudTrailIssue.ts';
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

/**
 * What the check of one account and region found, before anything is
 * written: what the Lambda merges into the table, and what the scan command
 * prints (it writes only with --write).
 */
export type RegionAssessment =
  /** CloudTrail logging is disabled or delivery fails: the finding to merge (status open, whitelisted or tempwhitelist). */
  | { kind: 'issue'; finding: CloudTrailFinding }
  /** A trail with a known status logs without errors on an issue endpoint (details: the trails seen). */
  | { kind: 'ok'; details: CloudTrailIssueDetails }
  /** No trail is known to cover the region but some might (status or selectors unknown): neither an issue nor proof of a fix. */
  | { kind: 'status-unknown'; details: CloudTrailIssueDetails }
  /** The region is not enabled in the account. */
  | { kind: 'region-not-enabled'; errorCode: string }
  /** The check failed (the AWS operation and its error code). */
  | { kind: 'failed'; operation: string; errorCode: string; errorMessage: string };

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
 * logged with account, region, operation and error code. Every region ends
 * with one log line carrying account_id, region and its `outcome` (a
 * RegionResult; the demo reads them from the built Lambda's output), plus
 * `status` for an issue and `logging_trails` for a region without one.
 */
export async function identifyRegion(deps: RegionIdentificationDeps, reader: CloudTrailReader, region: string): Promise<RegionResult> {
  return (await identifyRegionInDetail(deps, reader, region)).result;
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

/** identifyRegion, also giving the judgement it recorded (remediation's rescans read the trails from it). */
export async function identifyRegionInDetail(deps: RegionIdentificationDeps, reader: CloudTrailReader, region: string): Promise<RegionIdentification> {
  const { assessment, judgement } = await assessAndJudge(deps, reader, region);
  const result = await recordAssessment(deps, reader.accountId, region, assessment);
  return judgement === undefined ? { result } : { result, judgement };
}

/**
 * Reads and judges one account and region, writing nothing (remediation's dry
 * run uses it alone). Throws DescribeTrailsError when DescribeTrails fails.
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
 * The check of one account and region and its verdict, without writing:
 * reads the trails (regionCheck), judges them (regionVerdict) and builds the
 * finding with its status from the whitelists. Never throws: a failed check is
 * logged with account, region, operation and error code, and assessed `failed`.
 */
export async function assessRegion(deps: Pick<RegionIdentificationDeps, 'config' | 'clock' | 'log'>, reader: CloudTrailReader, region: string): Promise<RegionAssessment> {
  return (await assessAndJudge(deps, reader, region)).assessment;
}

async function assessAndJudge(deps: Pick<RegionIdentificationDeps, 'config' | 'clock' | 'log'>, reader: CloudTrailReader, region: string): Promise<{ assessment: RegionAssessment; judgement?: RegionJudgement }> {
  const accountId = reader.accountId;
  try {
    const judgement = await judgeRegionNow(deps, reader, region);
    if (judgement.kind === 'region-not-enabled') return { assessment: { kind: 'region-not-enabled', errorCode: judgement.errorCode }, judgement };
    const { check, verdict } = judgement;
    const finding = buildFinding({
      accountId,
      region,
      status: verdict.kind === 'issue' ? findingStatus(deps.config, accountId, region) : 'open',
      disabled: verdict.kind === 'issue' ? verdict.disabled : false,
      deliveryErrors: verdict.kind === 'issue' ? verdict.deliveryErrors : {},
      trails: check.trails,
      unknownTrails: check.unknownTrails,
      notCovering: verdict.kind === 'issue' ? verdict.notCovering : {},
    });
    if (verdict.kind === 'issue') return { assessment: { kind: 'issue', finding }, judgement };
    return { assessment: { kind: verdict.kind === 'ok' ? 'ok' : 'status-unknown', details: finding.issue_details }, judgement };
  } catch (err: unknown) {
    const cause = err instanceof DescribeTrailsError ? err.cause : err;
    const fields = awsErrorFields('DescribeTrails', cause);
    deps.log.error('CloudTrail check failed; nothing written for this region', { account_id: accountId, region, ...fields, outcome: 'failed' });
    return { assessment: { kind: 'failed', operation: 'DescribeTrails', errorCode: awsErrorCode(cause), errorMessage: String(fields.error_message) } };
  }
}

/**
 * Records an assessment in the issues table as the Lambda does: an issue is
 * merged with Hammer's rule, a region without issue resolves its `open` issue,
 * anything else writes nothing. Never throws: a failed write is logged and
 * gives `failed`.
 */
export async function recordAssessment(deps: Pick<RegionIdentificationDeps, 'config' | 'store' | 'log'>, accountId: string, region: string, assessment: RegionAssessment): Promise<RegionResult> {
  const where = { account_id: accountId, region };
  switch (assessment.kind) {
    case 'failed':
      return 'failed';
    case 'region-not-enabled':
      deps.log.info('region not enabled in the account, skipped', { ...where, operation: 'DescribeTrails', error_code: assessment.errorCode, outcome: 'region-not-enabled' });
      return 'region-not-enabled';
    case 'status-unknown':
      deps.log.warn('region status unknown: no readable trail covers the region, some trails (status or event selectors) could not be read or judged; nothing written, open issue left as it is', { ...summaryOf(where, assessment.details), outcome: 'status-unknown' });
      return 'status-unknown';
    default:
      break;
  }
  let step = 'dynamodb:MergeIssue';
  try {
    if (assessment.kind === 'issue') {
      const { finding } = assessment;
      const outcome = await deps.store.mergeFinding(finding, { issueEndpoints: deps.config.cloudtrails.issueEndpoints });
      const details = finding.issue_details;
      const deliveryErrors = typeof details.delivery_errors === 'object' ? Object.keys(details.delivery_errors) : [];
      const notCovering = Object.fromEntries(details.trails.flatMap((trail) => (trail.coverage_note === undefined ? [] : [[trail.id, trail.coverage_note]])));
      deps.log.info('CloudTrail issue found', {
        ...summaryOf(where, details), status: finding.status, disabled: details.disabled, delivery_errors: deliveryErrors,
        ...(Object.keys(notCovering).length > 0 ? { not_covering: notCovering } : {}), outcome,
      });
      return outcome;
    }
    step = 'dynamodb:ResolveIssue';
    const summary = { ...summaryOf(where, assessment.details), logging_trails: assessment.details.trails.filter((trail) => trail.enabled).map((trail) => trail.id) };
    const stored = await deps.store.get(accountId, region);
    if (stored?.status !== 'open') {
      deps.log.info('CloudTrail logging fine', { ...summary, outcome: 'no-issue' });
      return 'no-issue';
    }
    const resolved = await deps.store.resolve(stored);
    deps.log.info(resolved ? 'CloudTrail logging fine again, issue resolved' : 'CloudTrail logging fine, issue no longer open (changed meanwhile)', { ...summary, outcome: resolved ? 'resolved' : 'no-issue' });
    return resolved ? 'resolved' : 'no-issue';
  } catch (err: unknown) {
    deps.log.error('CloudTrail check failed; nothing written for this region', { ...where, ...awsErrorFields(step, err), outcome: 'failed' });
    return 'failed';
  }
}

/** The log keys summing up a region's trails: how many have a known status, and the ARNs of those without. */
function summaryOf(where: { account_id: string; region: string }, details: CloudTrailIssueDetails): Record<string, unknown> {
  const unknown = Array.isArray(details.unknown_trails) ? (details.unknown_trails as Array<{ id: string }>).map((trail) => trail.id) : [];
  return { ...where, trails: details.trails.length, unknown_trails: unknown };
}
