import type { TrailEndpoint } from '../../config/hammerConfig.ts';
import type { DeliveryErrorEntry, TrailRecord } from '../issues/cloudTrailIssue.ts';
import { UNKNOWN_COVERAGE, coversRegion, notCoveringReason, type ManagementCoverage } from './managementEventCoverage.ts';
import type { UnknownTrail } from './regionCheck.ts';

export type RegionVerdict =
  /**
   * CloudTrail logging is disabled or delivery fails: an issue to store.
   * `notCovering`: when disabled although some trails log, why each logging
   * trail does not count (trail ARN -> sentence); empty otherwise.
   */
  | { kind: 'issue'; disabled: boolean; deliveryErrors: Record<string, DeliveryErrorEntry>; notCovering: Record<string, string> }
  /** A trail covers the region and no logging trail has an error on an issue endpoint: an open issue may be resolved. */
  | { kind: 'ok' }
  /** No trail is known to cover the region, but some might (status or selectors unknown): neither an issue nor proof of a fix. */
  | { kind: 'unknown' };

export interface CoverageRules {
  /** What each trail with a known status records of management events, by trail ARN (missing: unknown). */
  coverage: ReadonlyMap<string, ManagementCoverage>;
  /** cloudtrails.require_read_management_events: a covering trail must record read management events too. */
  requireReadManagementEvents: boolean;
}

/**
 * Judges a region from its trails. A trail COVERS the region when it is
 * logging and records write management events (with
 * `requireReadManagementEvents`, read ones too); see managementEventCoverage.ts.
 * - disabled = no trail covers the region AND no trail might (a trail whose
 *   status is unknown, e.g. an organization trail a member may not read, or a
 *   logging trail whose selectors are unknown, may well cover it). Hammer's
 *   "no trail is logging" is the case where no trail logs at all.
 * - delivery errors = the logging trails with an error on an endpoint of
 *   `cloudtrails.issue_endpoints`, as the documented map
 *   `{"<trail ARN>": {"errors": {...}, "events": <selectors>, "multi_region": bool}}`
 *   (errors = all the trail's errors). Errors of trails that are not logging
 *   are recorded in `trails` but are not delivery errors.
 * - ok: some trail covers the region and there are no delivery errors.
 */
export function judgeRegion(trails: readonly TrailRecord[], unknownTrails: readonly UnknownTrail[], issueEndpoints: readonly TrailEndpoint[], rules: CoverageRules): RegionVerdict {
  const logging = trails.filter((trail) => trail.enabled);
  const coverageOf = (trail: TrailRecord): ManagementCoverage => rules.coverage.get(trail.id) ?? UNKNOWN_COVERAGE;
  const covers = logging.map((trail) => coversRegion(coverageOf(trail), rules.requireReadManagementEvents));
  const covered = covers.includes('yes');
  const disabled = !covered && !covers.includes('unknown') && unknownTrails.length === 0;
  const deliveryErrors: Record<string, DeliveryErrorEntry> = {};
  for (const trail of logging) {
    const onIssueEndpoint = issueEndpoints.some((endpoint) => trail.errors[endpoint] !== undefined);
    if (onIssueEndpoint) deliveryErrors[trail.id] = { errors: trail.errors, events: trail.selectors, multi_region: trail.multi_region };
  }
  const notCovering: Record<string, string> = {};
  if (disabled) {
    for (const trail of logging) {
      const reason = notCoveringReason(coverageOf(trail), rules.requireReadManagementEvents);
      if (reason !== undefined) notCovering[trail.id] = reason;
    }
  }
  if (disabled || Object.keys(deliveryErrors).length > 0) return { kind: 'issue', disabled, deliveryErrors, notCovering };
  if (covered) return { kind: 'ok' };
  return { kind: 'unknown' };
}
