/**
 * One CloudTrail issue as an AWS Security Finding Format (ASFF) finding, and
 * what decides whether it must be sent again. Pure: no AWS call, no clock.
 *
 * - `Id` is stable per account and region (`hammer-cloudtrails/<account>/<region>/cloudtrail-logging`):
 *   every lifecycle of the issue updates the same finding.
 * - The default product of the account (`arn:<partition>:securityhub:<import region>:<account>:product/<account>/default`):
 *   only the account itself may import into it, so the export calls
 *   BatchImportFindings in each controlled account (securityHubExport.ts).
 * - Severity and Types go through `FindingProviderFields`, the provider's
 *   own copy (the top-level ones belong to BatchUpdateFindings): a disabled
 *   region HIGH, delivery errors only MEDIUM, a resolved issue INFORMATIONAL.
 * - `open`/`tempwhitelist`: RecordState ACTIVE, Compliance FAILED;
 *   `resolved`: ARCHIVED, PASSED; `whitelisted`: ARCHIVED, FAILED (the region
 *   still fails the check; the exception is accepted). `Workflow` is never
 *   sent: BatchImportFindings ignores it on an existing finding, and on a new
 *   one a SUPPRESSED status would stick to this stable Id for good (Security
 *   Hub keeps SUPPRESSED when a finding goes from ARCHIVED back to ACTIVE), so
 *   a region reopened after leaving the whitelist would stay hidden. ARCHIVED
 *   takes a whitelisted issue out of the active view instead, and
 *   `ProductFields["hammer/issue_status"]` says why (see docs/security-hub.md).
 */
import { createHash } from 'node:crypto';
import type { AwsSecurityFinding, Partition, Resource } from '@aws-sdk/client-securityhub';
import type { TrailEndpoint } from '../../config/hammerConfig.ts';
import { isJsonObject } from '../../config/jsonFields.ts';
import { hasDeliveryErrors, type CloudTrailIssueItem, type TrailRecord } from '../../library/issues/cloudTrailIssue.ts';
import { parseTimestamp } from '../../library/runtime/clock.ts';
import { selectorsInWords } from '../../library/scan/eventSelectorSummary.ts';
import { isLater } from '../issueDecision.ts';
import { issueFacts, type AccountRef } from '../issueReporter.ts';
import { issueExplanation, newTicketSummary, notCoveringTrails, trailErrorTexts } from '../ticketTexts.ts';

export const SCHEMA_VERSION = '2018-10-08';
/** The check that makes the findings. */
export const GENERATOR_ID = 'hammer-cloudtrails/cloudtrail-logging';
export const BEST_PRACTICES_TYPE = 'Software and Configuration Checks/AWS Security Best Practices';
export const CIS_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark';

/**
 * The CIS AWS Foundations Benchmark recommendations a finding relates to,
 * named as Security Hub names them in its own control findings
 * (`Compliance.RelatedRequirements` of CloudTrail.1 and CloudTrail.5):
 *
 * - a disabled region fails "Ensure CloudTrail is enabled in all regions"
 *   (v1.2.0 2.1; v1.4.0, v3.0.0 and v5.0.0 3.1), whose audit asks for a
 *   logging multi-region trail recording read and write management events;
 * - a CloudWatch Logs delivery error fails "Ensure CloudTrail trails are
 *   integrated with CloudWatch Logs" (v1.2.0 2.4, v1.4.0 3.4), whose audit
 *   asks for a recent LatestCloudWatchLogsDeliveryTime; later versions dropped it.
 *
 * S3, SNS and digest delivery errors have no recommendation of their own (the
 * benchmark audits that log file validation is on, not that digests arrive).
 */
export const CIS_CLOUDTRAIL_ALL_REGIONS = [
  'CIS AWS Foundations Benchmark v1.2.0/2.1',
  'CIS AWS Foundations Benchmark v1.4.0/3.1',
  'CIS AWS Foundations Benchmark v3.0.0/3.1',
  'CIS AWS Foundations Benchmark v5.0.0/3.1',
];
export const CIS_CLOUDWATCH_LOGS = ['CIS AWS Foundations Benchmark v1.2.0/2.4', 'CIS AWS Foundations Benchmark v1.4.0/3.4'];

/** ASFF limits. */
const TITLE_LIMIT = 256;
const DESCRIPTION_LIMIT = 1024;
const RECOMMENDATION_LIMIT = 512;
const RESOURCE_LIMIT = 32;

/**
 * Security Hub deletes an active finding 90 days after its last update: an
 * unchanged active finding is sent again after this long, well before that.
 */
export const REFRESH_AFTER_MS = 30 * 24 * 3600_000;
/**
 * An issue closed longer ago than this, never recorded as exported, is left
 * alone: any active finding sent for it was last updated before it closed,
 * and Security Hub has deleted it since.
 */
export const CLOSED_EXPORT_WINDOW_MS = 90 * 24 * 3600_000;

/** The status a finding shows: the issue's, or for a `closed` issue the one it was closed from. */
export type ExportedStatus = 'open' | 'tempwhitelist' | 'resolved' | 'whitelisted';
export type RecordState = 'ACTIVE' | 'ARCHIVED';

/**
 * What was last sent for the issue, kept in the item's top-level
 * `securityhub` key (Hammer's Python module neither reads nor compares it;
 * identification's merge keeps it on an update and drops it with a new
 * lifecycle, whose finding must be sent anyway).
 */
export interface SecurityHubRecord {
  /** The finding's Id. */
  id: string;
  /** sha256 of the finding as sent, without UpdatedAt. */
  hash: string;
  /** The region it was imported in. */
  region: string;
  /** Its RecordState. */
  state: RecordState;
  /** Its UpdatedAt (ISO 8601). */
  updated: string;
}

export interface FindingContext {
  account: AccountRef;
  /** The region the finding is imported in (the issue's, or cloudtrails.securityhub_region). */
  importRegion: string;
  status: ExportedStatus;
  /** cloudtrails.issue_endpoints: a CloudWatch Logs error counts only when it makes an issue. */
  issueEndpoints: readonly TrailEndpoint[];
  /** The JIRA ticket's address, when the issue has a ticket and jira.server is set. */
  ticketUrl: string | undefined;
  /** UpdatedAt (ISO 8601). */
  updatedAt: string;
}

export function findingId(accountId: string, region: string): string {
  return `hammer-cloudtrails/${accountId}/${region}/cloudtrail-logging`;
}

/** The partition of a region: aws-cn for cn-*, aws-us-gov for us-gov-*, else aws. */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function defaultProductArn(accountId: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

export function recordStateOf(status: ExportedStatus): RecordState {
  return status === 'open' || status === 'tempwhitelist' ? 'ACTIVE' : 'ARCHIVED';
}

/** The record of the last export, when the item holds a well-formed one. */
export function recordOf(issue: CloudTrailIssueItem): SecurityHubRecord | undefined {
  const value = (issue as unknown as Record<string, unknown>).securityhub;
  if (!isJsonObject(value)) return undefined;
  const { id, hash, region, state, updated } = value;
  if (typeof id !== 'string' || typeof hash !== 'string' || typeof region !== 'string' || typeof updated !== 'string') return undefined;
  if (state !== 'ACTIVE' && state !== 'ARCHIVED') return undefined;
  return { id, hash, region, state, updated };
}

export type ExportDecision = { export: true; status: ExportedStatus } | { export: false; reason: string };

/**
 * Whether the issue has a finding to export, and with what status. A
 * `closed` issue's finding is its last state: nothing more once that was
 * recorded as sent (ARCHIVED); otherwise (closed before it was exported, or
 * its record was lost) it is sent once more as `resolved` or `whitelisted`
 * (closedFrom), unless it closed too long ago to matter.
 */
export function exportDecision(issue: CloudTrailIssueItem, record: SecurityHubRecord | undefined, nowMs: number): ExportDecision {
  switch (issue.status) {
    case 'open':
    case 'tempwhitelist':
      if (!issue.issue_details.disabled && !hasDeliveryErrors(issue.issue_details)) return { export: false, reason: 'the item records neither a disabled region nor delivery errors' };
      return { export: true, status: issue.status };
    case 'resolved':
    case 'whitelisted':
      return { export: true, status: issue.status };
    case 'closed': {
      if (record?.state === 'ARCHIVED') return { export: false, reason: 'its final state was exported' };
      const closed = typeof issue.timestamps?.closed === 'string' ? parseTimestamp(issue.timestamps.closed) : Number.NaN;
      if (record === undefined && !Number.isNaN(closed) && nowMs - closed > CLOSED_EXPORT_WINDOW_MS) {
        return { export: false, reason: 'closed more than 90 days ago and never exported' };
      }
      return { export: true, status: closedFrom(issue) };
    }
    default:
      return { export: false, reason: `status ${String(issue.status)} has no finding` };
  }
}

/**
 * The status a `closed` issue was closed from: reporting closes only
 * resolved and whitelisted issues. Resolving sets `timestamps.resolved`
 * (here and in the Python module) and leaves `updated`; identification
 * setting an issue whitelisted moves `updated`. So: resolved when
 * `timestamps.resolved` is set and nothing changed after it, else whitelisted.
 */
export function closedFrom(issue: CloudTrailIssueItem): 'resolved' | 'whitelisted' {
  const resolved = issue.timestamps?.resolved;
  if (typeof resolved !== 'string' || resolved === '') return 'whitelisted';
  const updated = issue.timestamps.updated;
  return typeof updated === 'string' && isLater(updated, resolved) ? 'whitelisted' : 'resolved';
}

/** The ASFF finding of the issue (UpdatedAt from the context). */
export function buildFinding(issue: CloudTrailIssueItem, context: FindingContext): AwsSecurityFinding {
  const accountId = context.account.id;
  const region = issue.issue_id;
  const facts = issueFacts(issue, context.account);
  const explanation = issueExplanation(facts);
  const state = recordStateOf(context.status);
  const requirements = relatedRequirements(issue, context.issueEndpoints);
  const createdAt = isoTime(issue.timestamps?.identified) ?? context.updatedAt;
  const ticket = ticketOf(issue);
  const productFields: Record<string, string> = { 'hammer/issue_status': context.status };
  if (context.account.name !== '') productFields['hammer/account_name'] = context.account.name;
  if (ticket !== undefined) productFields['hammer/ticket'] = ticket;
  return {
    SchemaVersion: SCHEMA_VERSION,
    Id: findingId(accountId, region),
    ProductArn: defaultProductArn(accountId, context.importRegion),
    GeneratorId: GENERATOR_ID,
    AwsAccountId: accountId,
    CreatedAt: createdAt,
    FirstObservedAt: createdAt,
    UpdatedAt: context.updatedAt,
    Title: cut(newTicketSummary(facts), TITLE_LIMIT),
    Description: cut(findingDescription(issue, context.account), DESCRIPTION_LIMIT),
    Remediation: { Recommendation: { Text: cut(`${explanation.recommendation}.`, RECOMMENDATION_LIMIT) } },
    ...(context.ticketUrl === undefined ? {} : { SourceUrl: context.ticketUrl }),
    ProductFields: productFields,
    Resources: findingResources(issue, accountId),
    Compliance: { Status: context.status === 'resolved' ? 'PASSED' : 'FAILED', ...(requirements.length > 0 ? { RelatedRequirements: requirements } : {}) },
    RecordState: state,
    FindingProviderFields: {
      Severity: severityOf(issue, context.status),
      Types: requirements.length > 0 ? [BEST_PRACTICES_TYPE, CIS_TYPE] : [BEST_PRACTICES_TYPE],
    },
  };
}

/** sha256 of the finding without UpdatedAt, keys sorted: what decides whether it changed. */
export function findingHash(finding: AwsSecurityFinding): string {
  const { UpdatedAt: _updated, ...content } = finding;
  return createHash('sha256').update(sortedJson(content)).digest('hex');
}

/** Why the finding must be sent now, or undefined when Security Hub has it already. */
export function sendReason(record: SecurityHubRecord | undefined, hash: string, state: RecordState, nowMs: number): 'new' | 'changed' | 'refresh' | undefined {
  if (record === undefined) return 'new';
  if (record.hash !== hash) return 'changed';
  if (state === 'ACTIVE') {
    const updated = Date.parse(record.updated);
    if (Number.isNaN(updated) || nowMs - updated >= REFRESH_AFTER_MS) return 'refresh';
  }
  return undefined;
}

/**
 * The UpdatedAt of the next send: now, or just after the last one when the
 * clock is behind it (Security Hub ignores an update whose UpdatedAt is not
 * later than the finding's).
 */
export function nextUpdatedAt(record: SecurityHubRecord | undefined, now: Date): string {
  const last = record === undefined ? Number.NaN : Date.parse(record.updated);
  return new Date(Number.isNaN(last) ? now.getTime() : Math.max(now.getTime(), last + 1)).toISOString();
}

function severityOf(issue: CloudTrailIssueItem, status: ExportedStatus): { Label: 'HIGH' | 'MEDIUM' | 'INFORMATIONAL'; Original: string } {
  if (status === 'resolved') return { Label: 'INFORMATIONAL', Original: 'resolved' };
  return issue.issue_details.disabled ? { Label: 'HIGH', Original: 'CloudTrail disabled' } : { Label: 'MEDIUM', Original: 'CloudTrail logging errors' };
}

function relatedRequirements(issue: CloudTrailIssueItem, issueEndpoints: readonly TrailEndpoint[]): string[] {
  const requirements: string[] = [];
  if (issue.issue_details.disabled) requirements.push(...CIS_CLOUDTRAIL_ALL_REGIONS);
  const cloudWatchError = issueEndpoints.includes('cloudwatch') && issue.issue_details.trails.some((trail) => trail.enabled && trail.errors?.cloudwatch != null);
  if (cloudWatchError) requirements.push(...CIS_CLOUDWATCH_LOGS);
  return requirements;
}

/**
 * The trails as AwsCloudTrailTrail resources (in their home region), those
 * with something wrong first; an AwsAccount resource when there is no trail.
 * ASFF takes at most 32.
 */
function findingResources(issue: CloudTrailIssueItem, accountId: string): Resource[] {
  const trails = [...issue.issue_details.trails].sort((a, b) => Number(isHealthy(a)) - Number(isHealthy(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const resources: Resource[] = trails.slice(0, RESOURCE_LIMIT).map((trail) => {
    const [, , , region = issue.issue_id] = trail.id.split(':');
    return { Type: 'AwsCloudTrailTrail', Id: trail.id, Partition: partitionOf(region), Region: region };
  });
  if (resources.length > 0) return resources;
  return [{ Type: 'AwsAccount', Id: `AWS::::Account:${accountId}`, Partition: partitionOf(issue.issue_id), Region: issue.issue_id }];
}

function isHealthy(trail: TrailRecord): boolean {
  return trail.enabled && trailErrorTexts(trail).length === 0 && !(typeof trail.coverage_note === 'string' && trail.coverage_note !== '');
}

/**
 * The ticket's description in plain text (ASFF shows no wiki markup): what
 * is wrong, account, region and status, every trail with its errors, and why
 * a region with logging trails is disabled.
 */
export function findingDescription(issue: CloudTrailIssueItem, account: AccountRef): string {
  const facts = issueFacts(issue, account);
  const lines = [issueExplanation(facts).description.replace(/\*/g, '')];
  lines.push(`Account: ${account.name === '' ? account.id : `${account.name} / ${account.id}`}. Region: ${facts.region}. Status: ${facts.disabled ? 'Disabled' : 'Enabled'}${facts.deliveryErrors ? ', with logging errors' : ''}.`);
  if (facts.trails.length === 0) {
    lines.push('Trails: not detected.');
  } else {
    const described = facts.trails.map((trail) => {
      const errors = trailErrorTexts(trail);
      return `${trail.id} (logging: ${trail.enabled ? 'Yes' : 'No'}, multi-region: ${trail.multi_region ? 'Yes' : 'No'}, selectors: ${trail.selectors}${errors.length > 0 ? `, errors: ${errors.join(', ')}` : ''})`;
    });
    lines.push(`Trails: ${described.join('; ')}.`);
  }
  const notCovering = notCoveringTrails(facts.trails);
  if (notCovering.length > 0) lines.push(`Why disabled: ${notCovering.map((trail) => `${trail.id} (selectors: ${selectorsInWords(trail.selectors)}): ${trail.coverage_note}`).join('; ')}.`);
  return lines.join('\n');
}

function ticketOf(issue: CloudTrailIssueItem): string | undefined {
  const ticket = isJsonObject(issue.jira_details) ? issue.jira_details.ticket : undefined;
  return typeof ticket === 'string' && ticket !== '' ? ticket : undefined;
}

/** A stored timestamp as ASFF writes times (ISO 8601, UTC), or undefined when it does not parse. */
function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = parseTimestamp(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** At most `limit` characters, ending with `…` when cut (never splitting a surrogate pair). */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.entries(inner as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  });
}
