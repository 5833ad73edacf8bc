/**
 * A region's assessment in words, for a person: the status a row shows and
 * what is wrong, as the scan command's table and the demo print them.
 */
import type { TrailEndpoint } from '../../config/hammerConfig.ts';
import type { CloudTrailIssueDetails, TrailRecord } from '../issues/cloudTrailIssue.ts';
import type { RegionAssessment } from './identifyRegion.ts';
import { selectorsInWords } from './eventSelectorSummary.ts';
import { regionOfArn } from './regionCheck.ts';

/**
 * The status of a row: the item's status for an issue (`open`,
 * `whitelisted`, `tempwhitelist`), else `ok`, `status-unknown`,
 * `region-not-enabled` or `failed` (the region could not be checked).
 */
export type AssessmentStatus = 'open' | 'whitelisted' | 'tempwhitelist' | 'ok' | 'status-unknown' | 'region-not-enabled' | 'failed';

export function assessmentStatus(assessment: RegionAssessment): AssessmentStatus {
  if (assessment.kind === 'issue') {
    const { status } = assessment.finding;
    return status === 'whitelisted' || status === 'tempwhitelist' ? status : 'open';
  }
  return assessment.kind;
}

const ENDPOINT_WORDS: Record<TrailEndpoint, string> = {
  s3: 'S3 delivery',
  cloudwatch: 'CloudWatch Logs delivery',
  sns: 'SNS notification',
  digest: 'digest delivery',
};

/** The name of a trail from its ARN (`arn:aws:cloudtrail:<region>:<account>:trail/<name>`). */
export function trailName(arn: string): string {
  const slash = arn.lastIndexOf('/');
  return slash < 0 ? arn : arn.slice(slash + 1);
}

/** "name", or "name (multi-region, from us-east-1)" for a trail seen outside its home region. */
function trailLabel(trail: Pick<TrailRecord, 'id' | 'multi_region'>, region: string): string {
  const home = regionOfArn(trail.id);
  if (home !== undefined && home !== region) return `${trailName(trail.id)} (multi-region, from ${home})`;
  return trailName(trail.id);
}

function unknownTrailsOf(details: CloudTrailIssueDetails): Array<{ id: string; error: string }> {
  return Array.isArray(details.unknown_trails) ? (details.unknown_trails as Array<{ id: string; error: string }>) : [];
}

/** What is wrong in a region, in one line (an ok region says which trails log). */
export function whatIsWrong(assessment: RegionAssessment, region: string): string {
  switch (assessment.kind) {
    case 'region-not-enabled':
      return 'region not enabled in the account';
    case 'failed':
      return `could not check: ${assessment.operation} answered ${assessment.errorCode}`;
    case 'status-unknown': {
      const unknown = unknownTrailsOf(assessment.details).map((trail) => `${trailLabel({ id: trail.id, multi_region: true }, region)}${trail.error === '' ? '' : `: ${trail.error}`}`);
      return `unknown: no readable trail logs; unreadable: ${unknown.join(', ')}`;
    }
    case 'ok': {
      const logging = assessment.details.trails.filter((trail) => trail.enabled).map((trail) => trailLabel(trail, region));
      return `nothing: ${logging.join(', ')} ${logging.length === 1 ? 'logs' : 'log'}`;
    }
    case 'issue':
      return issueWords(assessment.finding.issue_details, region);
  }
}

function issueWords(details: CloudTrailIssueDetails, region: string): string {
  if (details.disabled) {
    if (details.trails.length === 0) return 'logging disabled: no trail in this region';
    const parts: string[] = [];
    const stopped = details.trails.filter((trail) => !trail.enabled).map((trail) => trailLabel(trail, region));
    if (stopped.length > 0) parts.push(`${stopped.join(', ')} ${stopped.length === 1 ? 'is' : 'are'} stopped`);
    // A trail that logs yet leaves the region disabled: its selectors miss what the verdict requires.
    for (const trail of details.trails.filter((candidate) => candidate.enabled)) {
      // Its coverage_note says what it misses (write or, with require_read_management_events, read events).
      const why = trail.coverage_note ?? 'logs, but its selectors do not cover the management events required';
      parts.push(`${trailLabel(trail, region)} ${why} (selectors: ${selectorsInWords(trail.selectors)})`);
    }
    return `logging disabled: ${parts.join('; ')}`;
  }
  const failing: string[] = [];
  for (const trail of details.trails) {
    if (!trail.enabled) continue;
    for (const [endpoint, error] of Object.entries(trail.errors) as Array<[TrailEndpoint, { resource: string | null; error: string }]>) {
      const resource = error.resource === null ? '' : `, ${endpoint === 'cloudwatch' ? 'log group' : endpoint === 'sns' ? 'topic' : 'bucket'} ${shortResource(error.resource)}`;
      failing.push(`${ENDPOINT_WORDS[endpoint]} fails for ${trailLabel(trail, region)} (${error.error}${resource})`);
    }
  }
  return failing.length > 0 ? failing.join('; ') : 'delivery errors';
}

/** A log group ARN shortened to the group's name; a bucket or topic name as it is. */
function shortResource(resource: string): string {
  const logGroup = /:log-group:([^:]+)/.exec(resource);
  return logGroup?.[1] ?? resource;
}
