/**
 * Which regions of an account a CloudTrail call may have changed: only the
 * region of the call when it concerns a single-region trail, every checked
 * region of the account when the trail is multi-region or an organization
 * trail (one trail covers them all, and the call is made in its home region
 * only). When that cannot be known (the trail is gone after DeleteTrail, or
 * its account's trails could not be read), every region: one extra rescan of
 * an account is cheap, a region left stale for an hour is not.
 */
import type { Trail } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailApiCall } from './cloudTrailApiEvent.ts';

export interface RescanScope {
  scope: 'account' | 'region';
  /** Why, for the log. */
  reason: string;
}

/**
 * `trails`: DescribeTrails(includeShadowTrails) in the call's account and
 * region after the call, or undefined when it could not be read. Not needed
 * (nor read) when the call says its scope itself.
 */
export function rescanScope(call: Pick<CloudTrailApiCall, 'accountId' | 'region' | 'trail' | 'scopeHint' | 'eventName'>, trails: readonly Trail[] | undefined): RescanScope {
  if (call.scopeHint === 'account') return { scope: 'account', reason: `${call.eventName} makes or changes a multi-region or organization trail` };
  if (call.scopeHint === 'region') return { scope: 'region', reason: `${call.eventName} of a single-region trail` };
  if (call.trail === undefined) return { scope: 'account', reason: 'the call names no trail' };
  if (trails === undefined) return { scope: 'account', reason: 'the account\'s trails could not be read' };
  const trail = findNamedTrail(trails, call.trail, call.accountId, call.region);
  if (trail === undefined) return { scope: 'account', reason: `trail ${call.trail} is not there (deleted?)` };
  if (trail.IsOrganizationTrail === true) return { scope: 'account', reason: `${trail.TrailARN ?? call.trail} is an organization trail` };
  if (trail.IsMultiRegionTrail === true) return { scope: 'account', reason: `${trail.TrailARN ?? call.trail} is a multi-region trail` };
  return { scope: 'region', reason: `${trail.TrailARN ?? call.trail} is a single-region trail` };
}

/** An ARN names any trail seen in the region; a bare name, the account's own trail homed there (as CloudTrail reads names). */
export function findNamedTrail(trails: readonly Trail[], nameOrArn: string, accountId: string, region: string): Trail | undefined {
  if (nameOrArn.startsWith('arn:')) return trails.find((trail) => trail.TrailARN === nameOrArn);
  return trails.find((trail) => trail.Name === nameOrArn && trail.HomeRegion === region && (trail.TrailARN === undefined || trail.TrailARN.split(':')[4] === accountId));
}
