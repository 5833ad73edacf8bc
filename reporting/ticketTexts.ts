/**
 * The texts reporting writes, word for word as Hammer's
 * create_cloudtrail_tickets.py writes them (contract section 6): JIRA
 * summaries, descriptions and comments in JIRA wiki markup, and Slack
 * messages. Two fixes: the Slack "issue is changed" text (Python: "ssue"), and
 * a blank line between the status line and the trails table in the
 * description (Python glued them: "*Status*: Disabled*Trails*:").
 */
import type { TrailRecord } from '../library/issues/cloudTrailIssue.ts';
import { selectorsInWords } from '../library/scan/eventSelectorSummary.ts';

/** The parts of an issue the texts describe. */
export interface IssueFacts {
  accountId: string;
  accountName: string;
  region: string;
  disabled: boolean;
  deliveryErrors: boolean;
  trails: readonly TrailRecord[];
}

export interface NewTicketTexts {
  summary: string;
  /** Wiki markup, within the character limit. */
  description: string;
}

/** JIRA rejects summaries longer than this. */
const SUMMARY_LIMIT = 255;
const ENDPOINT_ORDER = ['s3', 'cloudwatch', 'sns', 'digest'];

/** `Yes`/`No`, as Hammer's bool_converter. */
function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}

export function trailStatusLine(disabled: boolean, deliveryErrors: boolean): string {
  return `*Status*: ${disabled ? 'Disabled' : 'Enabled'}${deliveryErrors ? ', with logging errors' : ''}`;
}

export const TRAILS_TABLE_HEADER = '||Trail ARN||Enabled||Multi Region||Selectors||Errors||';

/** One row of the trails table: `|arn|Yes|No|All|s3[bucket, AccessDenied]|`. */
export function trailRow(trail: TrailRecord): string {
  const errors = trailErrorTexts(trail);
  return `|${trail.id}|${yesNo(trail.enabled)}|${yesNo(trail.multi_region)}|${trail.selectors}|${errors.length > 0 ? errors.join(', ') : '-'}|`;
}

/** A trail's endpoint errors as the tickets write them, `s3[bucket, AccessDenied]`, in endpoint order. */
export function trailErrorTexts(trail: TrailRecord): string[] {
  return Object.entries(trail.errors ?? {})
    .filter((entry): entry is [string, NonNullable<(typeof entry)[1]>] => entry[1] !== undefined && entry[1] !== null)
    .sort(([a], [b]) => endpointRank(a) - endpointRank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([endpoint, error]) => `${endpoint}[${error.resource ?? '-'}, ${error.error}]`);
}

function endpointRank(endpoint: string): number {
  const rank = ENDPOINT_ORDER.indexOf(endpoint);
  return rank === -1 ? ENDPOINT_ORDER.length : rank;
}

/** `*Trails*:` and the table (each row ending in a newline), or `*Trails*: not detected`. */
export function trailsTable(trails: readonly TrailRecord[]): string {
  if (trails.length === 0) return '*Trails*: not detected';
  return `*Trails*:\n${TRAILS_TABLE_HEADER}\n${trails.map((trail) => `${trailRow(trail)}\n`).join('')}`;
}

export function newTicketSummary(facts: IssueFacts): string {
  const where = `'${facts.accountName} / ${facts.accountId} / ${facts.region}'`;
  const summary = facts.disabled ? `Disabled CloudTrail in ${where}` : `CloudTrail logging issues in ${where}`;
  return summary.length > SUMMARY_LIMIT ? `${summary.slice(0, SUMMARY_LIMIT - 1)}…` : summary;
}

/** The trails whose `coverage_note` says why they do not cover a disabled region although they log. */
export function notCoveringTrails(trails: readonly TrailRecord[]): Array<TrailRecord & { coverage_note: string }> {
  return trails.filter((trail): trail is TrailRecord & { coverage_note: string } => typeof trail.coverage_note === 'string' && trail.coverage_note !== '');
}

/**
 * A blank line, `*Why disabled*:` and one line per logging trail that does
 * not cover the region (`* <ARN> (selectors: <summary>): <sentence>`, each
 * ending in a newline); empty when no trail has a `coverage_note` (every item
 * Hammer could write).
 */
export function whyDisabled(trails: readonly TrailRecord[]): string {
  const notCovering = notCoveringTrails(trails);
  if (notCovering.length === 0) return '';
  return `\n*Why disabled*:\n${notCovering.map((trail) => `* ${trail.id} (selectors: ${selectorsInWords(trail.selectors)}): ${trail.coverage_note}\n`).join('')}`;
}

/**
 * The summary and description of a new ticket. Over the limit (jira.text_field_character_limit,
 * 0 = none), trailing rows of the trails table are left out with a visible
 * marker; when even that is not enough, the text is cut with a marker.
 * A region disabled although trails log (their event selectors record no
 * write management events) says so, and why per trail.
 */
export function newTicketTexts(facts: IssueFacts, options: { whitelistingProcedureUrl?: string | undefined; characterLimit: number }): NewTicketTexts {
  const { description, recommendation } = issueExplanation(facts);
  const head =
    `${description}\n\n` +
    `*Risk*: High\n\n` +
    `*Account Name*: ${facts.accountName}\n` +
    `*Account ID*: ${facts.accountId}\n` +
    `*Region*: ${facts.region}\n` +
    `${trailStatusLine(facts.disabled, facts.deliveryErrors)}\n\n`;
  let tail = `${whyDisabled(facts.trails)}\n\n*Recommendation*: ${recommendation}. `;
  if (options.whitelistingProcedureUrl) {
    tail += `For any other exceptions, please follow the [whitelisting procedure|${options.whitelistingProcedureUrl}] and provide a strong business reasoning. `;
  }
  return {
    summary: newTicketSummary(facts),
    description: withTrailsWithinLimit(head, facts.trails, tail, options.characterLimit),
  };
}

/**
 * The first sentence of a new ticket's description and its recommendation
 * (without the final period): what is wrong with the region and what to do.
 * A region disabled although trails log points at *Why disabled*.
 */
export function issueExplanation(facts: Pick<IssueFacts, 'disabled' | 'trails'>): { description: string; recommendation: string } {
  if (facts.disabled && notCoveringTrails(facts.trails).length > 0) {
    return {
      description: 'CloudTrail is logging in the region, but no trail records the management events it must (see *Why disabled*).',
      recommendation: 'Set the event selectors of a trail of the region to record read and write management events',
    };
  }
  return facts.disabled
    ? { description: 'No enabled CloudTrails for region available.', recommendation: 'Create CloudTrail for region' }
    : { description: 'CloudTrail has issues with logging.', recommendation: 'Check policies for CloudTrail logging' };
}

/** The comment on a ticket whose issue details changed. */
export function changedIssueComment(facts: IssueFacts, characterLimit: number): string {
  const head = `Issue details are changed, please check again.\n${trailStatusLine(facts.disabled, facts.deliveryErrors)}\n\n`;
  return withTrailsWithinLimit(head, facts.trails, whyDisabled(facts.trails), characterLimit);
}

/** The JIRA comment and Slack text when a resolved or whitelisted issue is closed. */
export function closingComment(status: string, facts: Pick<IssueFacts, 'accountId' | 'accountName' | 'region'>): string {
  return `Closing ${status} issue with '${facts.region}' CloudTrail logging in '${facts.accountName} / ${facts.accountId}'`;
}

/** The JIRA comment and Slack text when an issue enters the temporary whitelist. */
export function tempWhitelistComment(facts: Pick<IssueFacts, 'accountId' | 'accountName' | 'region'>): string {
  return `CloudTrail logging issue with '${facts.region}' in '${facts.accountName} / ${facts.accountId}' account is added to temporary whitelist.`;
}

/**
 * `Discovered <summary>`; when logging trails do not cover the region, why:
 * `...: <ARN> [<selectors>] logging, but records no write management events`
 * (trails joined by `; `).
 */
export function discoveredMessage(summary: string, trails: readonly TrailRecord[] = []): string {
  const notCovering = notCoveringTrails(trails);
  if (notCovering.length === 0) return `Discovered ${summary}`;
  return `Discovered ${summary}: ${notCovering.map((trail) => `${trail.id} [${selectorsInWords(trail.selectors)}] ${trail.coverage_note}`).join('; ')}`;
}

/**
 * Slack, when a ticket is filed for an issue that was reported without one
 * (while JIRA was off, or by the Python module): the owners already had
 * "Discovered", so they get the ticket's address instead of a second one.
 */
export function ticketFiledMessage(summary: string): string {
  return `Ticket filed for the already reported ${summary}`;
}

export function changedIssueMessage(facts: Pick<IssueFacts, 'accountId' | 'accountName' | 'region'>): string {
  return `CloudTrail logging '${facts.region}' issue is changed in '${facts.accountName} / ${facts.accountId}'`;
}

/** A Slack text with ` (<ticket url>)` appended when there is a ticket. */
export function withTicketUrl(text: string, url: string | undefined): string {
  return url === undefined ? text : `${text} (${url})`;
}

export function omittedTrailsMarker(omitted: number, limit: number): string {
  return `_… ${omitted} more trail${omitted === 1 ? '' : 's'} not shown (jira.text_field_character_limit is ${limit})_\n`;
}

export function truncationMarker(limit: number): string {
  return `\n… [truncated to jira.text_field_character_limit of ${limit} characters]`;
}

function withTrailsWithinLimit(head: string, trails: readonly TrailRecord[], tail: string, limit: number): string {
  const full = `${head}${trailsTable(trails)}${tail}`;
  if (limit <= 0 || full.length <= limit) return full;
  // Leave out trailing rows (keeping the table valid markup) until it fits.
  const rows = trails.map((trail) => `${trailRow(trail)}\n`);
  const fixed = `${head}*Trails*:\n${TRAILS_TABLE_HEADER}\n`;
  let length = fixed.length + tail.length;
  let shown = 0;
  for (const row of rows) {
    const markerLength = omittedTrailsMarker(rows.length - shown - 1, limit).length;
    if (length + row.length + (shown + 1 < rows.length ? markerLength : 0) > limit) break;
    length += row.length;
    shown += 1;
  }
  if (shown > 0) return `${fixed}${rows.slice(0, shown).join('')}${omittedTrailsMarker(rows.length - shown, limit)}${tail}`;
  return truncateText(full, limit);
}

/** Cuts a text to `limit` characters, ending with a visible marker. */
export function truncateText(text: string, limit: number): string {
  if (limit <= 0 || text.length <= limit) return text;
  const marker = truncationMarker(limit);
  if (marker.length >= limit) return cutAt(text, limit);
  return `${cutAt(text, limit - marker.length)}${marker}`;
}

/** The first `length` UTF-16 units, not splitting a surrogate pair. */
function cutAt(text: string, length: number): string {
  const last = text.charCodeAt(length - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? length - 1 : length;
  return text.slice(0, end);
}
