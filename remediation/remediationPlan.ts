/**
 * What remediation may do about one region, decided from the rescan's
 * judgement (the identification code's trails and verdict). Remediation
 * only ever restarts logging: StartLogging on a stopped trail that belongs to
 * the account, by its ARN, in its home region. It never creates a trail or
 * a bucket, never changes event selectors (PutEventSelectors), and never
 * touches a trail of another account, such as an organization trail the
 * account sees as a shadow (only the organization's management account may
 * start it; CloudTrail refuses a member). Everything else is "not
 * remediable", with the reason, for a person to fix.
 */
import type { TrailRecord } from '../library/issues/cloudTrailIssue.ts';
import type { RegionJudgement } from '../library/scan/identifyRegion.ts';
import { UNKNOWN_COVERAGE, coversRegion, notCoveringReason } from '../library/scan/managementEventCoverage.ts';
import { regionOfArn } from '../library/scan/regionCheck.ts';

/** A stopped trail to start. */
export interface TrailToStart {
  arn: string;
  /** The region in its ARN: StartLogging must be called there. */
  homeRegion: string;
}

/** A trail remediation leaves as it is, and why (a sentence for the ticket). */
export interface TrailLeftAlone {
  arn: string;
  why: string;
}

export type RemediationPlan =
  /** Some trail covers the region and nothing is wrong any more: fixed by someone. */
  | { kind: 'fixed' }
  /** No readable trail covers the region but some might: nothing can be decided. */
  | { kind: 'status-unknown' }
  /** Logging trails with delivery errors, none stopped that matters: not what restarting logging fixes. */
  | { kind: 'delivery-errors' }
  /** Start these trails; the others are left alone. */
  | { kind: 'start'; trails: TrailToStart[]; leftAlone: TrailLeftAlone[] }
  /** Disabled, and no trail of the account can be started to cover it. */
  | { kind: 'not-remediable'; reason: string; leftAlone: TrailLeftAlone[] };

/** The account in a trail ARN (`arn:aws:cloudtrail:<region>:<account>:trail/<name>`). */
export function ownerOfTrailArn(arn: string): string | undefined {
  const owner = arn.split(':')[4];
  return owner === undefined || owner === '' ? undefined : owner;
}

export function planRemediation(judgement: Extract<RegionJudgement, { kind: 'judged' }>, accountId: string, requireReadManagementEvents: boolean): RemediationPlan {
  const { check, verdict } = judgement;
  if (verdict.kind === 'ok') return { kind: 'fixed' };
  if (verdict.kind === 'unknown') return { kind: 'status-unknown' };
  if (!verdict.disabled) return { kind: 'delivery-errors' };

  const trails: TrailToStart[] = [];
  const leftAlone: TrailLeftAlone[] = [];
  for (const trail of check.trails) {
    if (trail.enabled) {
      const note = verdict.notCovering[trail.id];
      leftAlone.push({ arn: trail.id, why: `trail ${trail.id} is ${note ?? 'logging, but does not cover the region'} (hammer does not change event selectors)` });
      continue;
    }
    const why = whyNotStart(trail, accountId, check.coverage.get(trail.id) ?? UNKNOWN_COVERAGE, requireReadManagementEvents);
    if (why !== undefined) {
      leftAlone.push({ arn: trail.id, why });
      continue;
    }
    trails.push({ arn: trail.id, homeRegion: regionOfArn(trail.id) as string });
  }
  if (trails.length > 0) return { kind: 'start', trails, leftAlone };
  const reason = check.trails.length === 0
    ? 'no trail logs the region and there is no trail to start (hammer does not create trails or buckets)'
    : leftAlone.map((trail) => trail.why).join('; ');
  return { kind: 'not-remediable', reason, leftAlone };
}

/** Why a stopped trail is not started, or undefined when it is. */
function whyNotStart(trail: TrailRecord, accountId: string, coverage: Parameters<typeof coversRegion>[0], requireRead: boolean): string | undefined {
  const owner = ownerOfTrailArn(trail.id);
  if (owner !== accountId) {
    return `trail ${trail.id} belongs to account ${owner ?? 'unknown'} (an organization trail), which alone can start it`;
  }
  if (regionOfArn(trail.id) === undefined) return `trail ${trail.id} has no region in its ARN`;
  if (coversRegion(coverage, requireRead) === 'no') {
    const reason = (notCoveringReason(coverage, requireRead) ?? 'does not record the management events it must').replace(/^logging, but /, '');
    return `stopped trail ${trail.id} ${reason}, so starting it would not cover the region`;
  }
  return undefined;
}
