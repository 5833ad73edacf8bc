/**
 * The CloudTrail issue item, field for field as Hammer's Python module stores
 * it in the issues table (contract section 5), and the comparison of meaning
 * that decides whether a new finding changes a stored issue.
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

/**
 * The comparison string of an issue, as Hammer's `Issue.as_string` builds it
 * (JSON with sorted keys, without timestamps and jira_details), except that
 * `delivery_errors` compares by truth: Hammer's boolean equals our map when
 * the trails (which the map is derived from) are the same.
 */
export function issueComparisonKey(issue: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id' | 'status' | 'issue_details'>): string {
  const details = { ...issue.issue_details, delivery_errors: hasDeliveryErrors(issue.issue_details) };
  return sortedJson({ account_id: issue.account_id, issue_id: issue.issue_id, issue_details: details, status: issue.status });
}

export function sameIssue(
  a: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id' | 'status' | 'issue_details'>,
  b: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id' | 'status' | 'issue_details'>,
): boolean {
  return issueComparisonKey(a) === issueComparisonKey(b);
}

function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return Object.fromEntries(entries);
  });
}
