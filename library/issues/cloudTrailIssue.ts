/**
 * The CloudTrail issue item, field for field as Hammer's Python module stores
 * it in the issues table (contract section 5), and the comparison that
 * decides whether a new finding changes a stored issue (issueComparisonKey).
 */
import type { TrailEndpoint } from '../../config/hammerConfig.ts';

export type IssueStatus = 'open' | 'whitelisted' | 'resolved' | 'closed' | 'tempwhitelist' | 'unknown';

export const ISSUE_STATUSES: readonly IssueStatus[] = ['open', 'whitelisted', 'resolved', 'closed', 'tempwhitelist', 'unknown'];

/** One endpoint's delivery problem: `{resource: "bucket", error: "AccessDenied"}`. */
export interface EndpointError {
  resource: string | null;
  error: string;
}

export type TrailErrors = Partial<Record<TrailEndpoint, EndpointError>>;

/** One trail in `issue_details.trails`. */
export interface TrailRecord {
  /** The trail ARN. */
  id: string;
  /** IsLogging. */
  enabled: boolean;
  /** IsMultiRegionTrail. */
  multi_region: boolean;
  /** Comma-joined ReadWriteType of the event selectors, `All`, or a summary of advanced selectors. */
  selectors: string;
  /** Endpoints with a delivery error. */
  errors: TrailErrors;
  /**
   * Beyond Hammer, only on a logging trail of a region found disabled because
   * no trail records write management events: why this trail does not count,
   * e.g. "logging, but records no write management events". Decided from the
   * trail's event selectors (summarised in `selectors`) and the config, and
   * present only where `disabled` is true although the trail is `enabled`:
   * it is never a reason of its own to rewrite an item (compare `disabled`,
   * `enabled` and `selectors`, which it follows from).
   */
  coverage_note?: string;
}

/** One entry of the documented `delivery_errors` map, keyed by trail ARN. */
export interface DeliveryErrorEntry {
  errors: TrailErrors;
  events: string;
  multi_region: boolean;
}

export interface CloudTrailIssueDetails {
  /** No trail of the region is logging. */
  disabled: boolean;
  /** Trails that log with delivery errors: the documented map; Hammer's Python writes a boolean. */
  delivery_errors: Record<string, DeliveryErrorEntry> | boolean;
  /** Every trail seen in the region, sorted by id. */
  trails: TrailRecord[];
  [extra: string]: unknown;
}

export interface IssueTimestamps {
  identified: string;
  updated: string;
  reported: string | null;
  remediated: string | null;
  closed: string | null;
  resolved?: string | null;
  [extra: string]: string | null | undefined;
}

export interface JiraDetails {
  ticket?: string | null;
  ticket_assignee_id?: string | null;
  [extra: string]: unknown;
}

export interface CloudTrailIssueItem {
  account_id: string;
  /** The region. */
  issue_id: string;
  status: IssueStatus;
  issue_details: CloudTrailIssueDetails;
  timestamps: IssueTimestamps;
  jira_details: JiraDetails;
}

/** What identification found in one account and region, before it meets the table. */
export interface CloudTrailFinding {
  account_id: string;
  issue_id: string;
  status: IssueStatus;
  issue_details: CloudTrailIssueDetails;
}

/** True when the details carry delivery errors, in either stored form. */
export function hasDeliveryErrors(details: Pick<CloudTrailIssueDetails, 'delivery_errors'>): boolean {
  const value = details.delivery_errors as unknown;
  if (typeof value === 'boolean') return value;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/** A new item for a finding, with Hammer's initial timestamps and empty jira details. */
export function newIssueItem(finding: CloudTrailFinding, now: string): CloudTrailIssueItem {
  return {
    account_id: finding.account_id,
    issue_id: finding.issue_id,
    status: finding.status,
    issue_details: finding.issue_details,
    timestamps: { identified: now, updated: now, reported: null, remediated: null, closed: null },
    jira_details: {},
  };
}

/** What decides whether a finding changes a stored issue: config that shapes the comparison. */
export interface IssueComparison {
  /** cloudtrails.issue_endpoints: only errors on these endpoints are compared. */
  issueEndpoints: readonly TrailEndpoint[];
}

/**
 * The per-trail fields compared, an explicit list: a key added to the trail
 * records later (a fact derived from `selectors`, say) is written with the
 * item but changes nothing until it is added here on purpose.
 */
export const COMPARED_TRAIL_FIELDS = ['id', 'enabled', 'multi_region', 'selectors'] as const;

/**
 * The comparison string of an issue: what identification compares to decide
 * whether a finding changes the stored item (a write, a new `updated`, a
 * "changed" report). Hammer compared the whole item as JSON with sorted keys
 * (`Issue.as_string`); this compares only what makes or changes an issue, an
 * explicit list:
 *
 * - `account_id`, `issue_id`, `status`, `issue_details.disabled`;
 * - per trail (sorted by id): the fields of COMPARED_TRAIL_FIELDS, and its
 *   errors on the endpoints of `cloudtrails.issue_endpoints` (resource and error).
 *
 * Not compared, on purpose: errors on other endpoints (`sns`, `digest` by
 * default: recorded only; AWS sets the digest error beside every S3 delivery
 * error when log file validation is on, and items written by the Python
 * module have no such key), `delivery_errors` (derived from the trails;
 * Hammer's boolean and our map), `unknown_trails`, and any other key. They
 * are written when the item is written for another reason, never a reason to
 * write. Key order never matters.
 */
export function issueComparisonKey(issue: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id' | 'status' | 'issue_details'>, comparison: IssueComparison): string {
  const details = issue.issue_details as Partial<CloudTrailIssueDetails> | undefined;
  const trails = (Array.isArray(details?.trails) ? details.trails : [])
    .map((trail) => comparedTrail(trail, comparison.issueEndpoints))
    .sort((a, b) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));
  return sortedJson({ account_id: issue.account_id, issue_id: issue.issue_id, status: issue.status, disabled: details?.disabled === true, trails });
}

export function sameIssue(
  a: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id' | 'status' | 'issue_details'>,
  b: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id' | 'status' | 'issue_details'>,
  comparison: IssueComparison,
): boolean {
  return issueComparisonKey(a, comparison) === issueComparisonKey(b, comparison);
}

/** The compared part of one trail record. */
function comparedTrail(trail: TrailRecord, issueEndpoints: readonly TrailEndpoint[]): Record<string, unknown> {
  const compared: Record<string, unknown> = {};
  for (const field of COMPARED_TRAIL_FIELDS) compared[field] = trail[field] ?? null;
  const errors: Record<string, unknown> = {};
  const stored = (trail.errors ?? {}) as TrailErrors;
  for (const endpoint of issueEndpoints) {
    const error = stored[endpoint];
    if (error !== undefined && error !== null) errors[endpoint] = { resource: error.resource ?? null, error: error.error ?? null };
  }
  compared.errors = errors;
  return compared;
}

function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return Object.fromEntries(entries);
  });
}
