import type { Trail } from '@aws-sdk/client-cloudtrail';
import { awsErrorCode, awsErrorFields, isRegionNotEnabled } from '../aws/awsErrors.ts';
import type { TrailRecord } from '../issues/cloudTrailIssue.ts';
import type { CloudTrailReader } from '../aws/cloudTrailReader.ts';
import { UNKNOWN_SELECTORS, summariseEventSelectors, ALL_EVENTS } from './eventSelectorSummary.ts';
import { ALL_MANAGEMENT_EVENTS, UNKNOWN_COVERAGE, managementCoverage, type ManagementCoverage } from './managementEventCoverage.ts';
import type { Log } from '../runtime/logger.ts';
import { buildTrailRecord } from './trailRecord.ts';

/** A trail whose status could not be read: it proves nothing about the region. */
export interface UnknownTrail {
  /** The trail ARN. */
  id: string;
  /** The AWS error code GetTrailStatus answered, e.g. AccessDeniedException. */
  error: string;
}

export type RegionCheck =
  /**
   * The trails of the region: those with a known status, and those without;
   * and, by trail ARN, the management events each trail with a known status
   * records (from its event selectors; unknown when they could not be read).
   */
  | { outcome: 'checked'; trails: TrailRecord[]; unknownTrails: UnknownTrail[]; coverage: Map<string, ManagementCoverage> }
  /** The region is not enabled in the account (opt-in region): nothing to check. */
  | { outcome: 'region-not-enabled'; errorCode: string };

/** DescribeTrails failed: the region cannot be judged, nothing may be written for it. */
export class DescribeTrailsError extends Error {
  override readonly name = 'DescribeTrailsError';
  readonly errorCode: string;

  constructor(readonly accountId: string, readonly region: string, options: { cause: unknown }) {
    const errorCode = awsErrorCode(options.cause);
    super(`DescribeTrails failed in account ${accountId}, region ${region}: ${errorCode}`, options);
    this.errorCode = errorCode;
  }
}

export interface RegionCheckOptions {
  staleDeliveryHours?: number | undefined;
  now: Date;
  log: Log;
}

/** The region of an ARN (`arn:aws:cloudtrail:<region>:<account>:trail/<name>`), or undefined. */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

/**
 * Reads the trails of one account and region (contract section 4 with the
 * fixes of section 8): DescribeTrails with shadow trails; each trail's status
 * by ARN in its home region (the region in the ARN); event selectors, basic or
 * advanced, when the trail has custom ones (summarised in `selectors`, and
 * what they record of management events in `coverage`). A trail whose status
 * cannot be read is "status unknown" and kept apart. Throws DescribeTrailsError.
 */
export async function checkRegion(reader: CloudTrailReader, region: string, options: RegionCheckOptions): Promise<RegionCheck> {
  const accountId = reader.accountId;
  let described: Trail[];
  try {
    described = await reader.describeTrails(region);
  } catch (err: unknown) {
    if (isRegionNotEnabled(err)) return { outcome: 'region-not-enabled', errorCode: awsErrorCode(err) };
    throw new DescribeTrailsError(accountId, region, { cause: err });
  }

  const byArn = new Map<string, Trail>();
  for (const trail of described) {
    if (trail.TrailARN === undefined || trail.TrailARN === '') {
      options.log.warn('DescribeTrails listed a trail without an ARN; skipped', { account_id: accountId, region, trail_name: trail.Name });
      continue;
    }
    byArn.set(trail.TrailARN, trail);
  }

  const results = await Promise.all([...byArn.values()].map((trail) => readTrail(reader, region, trail, options)));
  const trails = results.flatMap((result) => ('record' in result ? [result.record] : []));
  const unknownTrails = results.flatMap((result) => ('unknown' in result ? [result.unknown] : []));
  const coverage = new Map(results.flatMap((result) => ('record' in result ? [[result.record.id, result.coverage] as const] : [])));
  trails.sort((a, b) => compareIds(a.id, b.id));
  unknownTrails.sort((a, b) => compareIds(a.id, b.id));
  return { outcome: 'checked', trails, unknownTrails, coverage };
}

type ReadTrail = { record: TrailRecord; coverage: ManagementCoverage } | { unknown: UnknownTrail };

async function readTrail(reader: CloudTrailReader, region: string, trail: Trail, options: RegionCheckOptions): Promise<ReadTrail> {
  const arn = trail.TrailARN as string;
  const homeRegion = regionOfArn(arn) ?? trail.HomeRegion ?? region;
  const where = { account_id: reader.accountId, region, trail_arn: arn, home_region: homeRegion };
  let status;
  try {
    status = await reader.trailStatus(homeRegion, arn);
  } catch (err: unknown) {
    options.log.warn('trail status unknown: it neither makes the region disabled nor resolves an open issue', { ...where, ...awsErrorFields('GetTrailStatus', err) });
    return { unknown: { id: arn, error: awsErrorCode(err) } };
  }
  // No custom selectors: AWS's default, all management events, read and write.
  let selectors = ALL_EVENTS;
  let coverage = ALL_MANAGEMENT_EVENTS;
  if (trail.HasCustomEventSelectors === true) {
    try {
      const answer = await reader.eventSelectors(homeRegion, arn);
      selectors = summariseEventSelectors(answer);
      coverage = managementCoverage(answer);
    } catch (err: unknown) {
      selectors = UNKNOWN_SELECTORS;
      coverage = UNKNOWN_COVERAGE;
      options.log.warn(`event selectors unreadable, recorded as "${UNKNOWN_SELECTORS}": the trail neither makes the region disabled nor resolves an open issue`, { ...where, ...awsErrorFields('GetEventSelectors', err) });
    }
  }
  return { record: buildTrailRecord(trail, status, selectors, { staleDeliveryHours: options.staleDeliveryHours, now: options.now }), coverage };
}

/** Python's sort order of ASCII strings (code points), as Hammer sorts trails by id. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
