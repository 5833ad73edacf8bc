import type { TrailEndpoint } from '../../config/hammerConfig.ts';
import type { DeliveryErrorEntry, TrailRecord } from '../issues/cloudTrailIssue.ts';
import type { UnknownTrail } from './regionCheck.ts';

export type RegionVerdict =
  /** CloudTrail logging is disabled or delivery fails: an issue to store. */
  | { kind: 'issue'; disabled: boolean; deliveryErrors: Record<string, DeliveryErrorEntry> }
  /** A known trail logs without errors on an issue endpoint: an open issue may be resolved. */
  | { kind: 'ok' }
  /** No known trail logs, but some trails' status is unknown: neither an issue nor proof of a fix. */
  | { kind: 'unknown' };

/**
 * Judges a region from its trails:
 * - disabled = no trail with a known status is logging AND no trail has an
 *   unknown status (an unreadable organization trail may well be logging);
 * - delivery errors = the logging trails with an error on an endpoint of
 *   `cloudtrails.issue_endpoints`, as the documented map
 *   `{"<trail ARN>": {"errors": {...}, "events": <selectors>, "multi_region": bool}}`
 *   (errors = all the trail's errors). Errors of trails that are not logging
 *   are recorded in `trails` but are not delivery errors.
 */
export function judgeRegion(trails: readonly TrailRecord[], unknownTrails: readonly UnknownTrail[], issueEndpoints: readonly TrailEndpoint[]): RegionVerdict {
  const logging = trails.filter((trail) => trail.enabled);
  const disabled = logging.length === 0 && unknownTrails.length === 0;
  const deliveryErrors: Record<string, DeliveryErrorEntry> = {};
  for (const trail of logging) {
    const onIssueEndpoint = issueEndpoints.some((endpoint) => trail.errors[endpoint] !== undefined);
    if (onIssueEndpoint) deliveryErrors[trail.id] = { errors: trail.errors, events: trail.selectors, multi_region: trail.multi_region };
  }
  if (disabled || Object.keys(deliveryErrors).length > 0) return { kind: 'issue', disabled, deliveryErrors };
  if (logging.length > 0) return { kind: 'ok' };
  return { kind: 'unknown' };
}
