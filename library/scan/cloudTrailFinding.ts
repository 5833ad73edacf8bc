import type { HammerConfig } from '../../config/hammerConfig.ts';
import type { CloudTrailFinding, CloudTrailIssueDetails, DeliveryErrorEntry, IssueStatus, TrailRecord } from '../issues/cloudTrailIssue.ts';
import type { UnknownTrail } from './regionCheck.ts';

/** `tempwhitelist` when in temp_whitelist_issues.json, else `whitelisted` when in whitelist.json, else `open`. */
export function findingStatus(config: Pick<HammerConfig, 'whitelist' | 'tempWhitelist'>, accountId: string, region: string): IssueStatus {
  if (config.tempWhitelist.has(accountId, region)) return 'tempwhitelist';
  if (config.whitelist.has(accountId, region)) return 'whitelisted';
  return 'open';
}

export interface FindingInput {
  accountId: string;
  region: string;
  status: IssueStatus;
  disabled: boolean;
  deliveryErrors: Record<string, DeliveryErrorEntry>;
  /** Trails with a known status, sorted by id. */
  trails: readonly TrailRecord[];
  /** Trails whose status could not be read. */
  unknownTrails: readonly UnknownTrail[];
  /** Why each logging trail does not cover the region (trail ARN -> sentence), when that made it disabled. */
  notCovering?: Readonly<Record<string, string>>;
}

/**
 * The finding of one region, in the item shape Hammer stores. Trails whose
 * status is unknown are not in `trails` (Hammer's trail shape has no place
 * for them); they go in the extra key `unknown_trails` (`[{id, error}]`),
 * present only when there are any, which Python readers ignore. A logging
 * trail that does not cover a disabled region carries the sentence why in
 * `coverage_note` (another extra key, absent everywhere else).
 */
export function buildFinding(input: FindingInput): CloudTrailFinding {
  const notCovering = input.notCovering ?? {};
  const details: CloudTrailIssueDetails = {
    disabled: input.disabled,
    delivery_errors: input.deliveryErrors,
    trails: input.trails.map((trail) => {
      const note = Object.hasOwn(notCovering, trail.id) ? notCovering[trail.id] : undefined;
      return note === undefined ? trail : { ...trail, coverage_note: note };
    }),
  };
  if (input.unknownTrails.length > 0) details.unknown_trails = input.unknownTrails.map((trail) => ({ id: trail.id, error: trail.error }));
  return { account_id: input.accountId, issue_id: input.region, status: input.status, issue_details: details };
}
