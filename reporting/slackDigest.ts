/**
 * The opt-in Slack digest (slack.digest_threshold): a Slack owner who would
 * get at least that many "Discovered" / "Ticket filed" messages in one run
 * gets one message listing them instead, one line per issue with its ticket
 * address, split into parts of at most 4,000 characters (Slack advises
 * keeping a message's text under 4,000 characters and cuts it at 40,000).
 * Changes, closes and temporary-whitelist notes still go one by one.
 *
 * Crash safety: the issues of a digest are reported up to their ticket
 * (`ticket_assignee_id`) and their owners outside the digest are messaged;
 * the mark that follows the message (`reported`, or for a backfill
 * `ticket_assignee_id`) is written for an issue only once every digest part
 * holding its line has been sent (issueReporter.ts DeferredReport). A run
 * that stops in between leaves those issues at their ticket: the next run
 * sends their messages again (in a digest or one by one), never a second
 * ticket. Sending is best-effort as for single messages: a part Slack
 * refuses is logged and its issues are still marked.
 */
import pLimit from 'p-limit';
import type { HammerConfig } from '../config/hammerConfig.ts';
import type { Log } from '../library/runtime/logger.ts';
import type { DeferredReport, IssueOutcome } from './issueReporter.ts';
import type { IssueAction } from './issueDecision.ts';
import type { Notifier } from './slack/slackNotifier.ts';

/** Characters of one digest part: Slack's advice for a message's text. */
export const DIGEST_PART_CHARACTERS = 4_000;

/** The decisions that lead to a "Discovered" or "Ticket filed" message in this run. */
const MESSAGE_ACTIONS: ReadonlySet<IssueAction['kind']> = new Set(['report', 'finish-report', 'find-ticket', 'backfill-ticket', 'finish-backfill']);

/**
 * The Slack owners whose messages of this run go into a digest: those
 * with at least `slack.digest_threshold` issues about to be reported (or
 * their ticket filed). Empty when the digest is off or Slack is off.
 */
export function digestOwners(config: HammerConfig, work: ReadonlyArray<{ accountId: string; action: IssueAction }>): Set<string> {
  const threshold = config.slack.digestThreshold;
  if (threshold === undefined || threshold <= 0) return new Set();
  const counts = new Map<string, number>();
  for (const { accountId, action } of work) {
    if (!MESSAGE_ACTIONS.has(action.kind)) continue;
    for (const owner of config.ticketOwners.slackRecipients({ accountId }, config.slack.notifyDefaultOwner)) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, count]) => count >= threshold).map(([owner]) => owner));
}

export interface DigestMessage {
  text: string;
  /** Issue lines in it. */
  lines: number;
}

/** The digest's messages: a header naming the part, then one line per issue, each message within `limit` characters. */
export function digestMessages(lines: readonly string[], limit = DIGEST_PART_CHARACTERS): DigestMessage[] {
  const header = (part: number, parts: number) => `CloudTrail logging issues of this run: ${lines.length} (digest, part ${part} of ${parts})`;
  // Room for the longest header there can be.
  const room = Math.max(80, limit - header(lines.length, lines.length).length - 1);
  const groups: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const raw of lines) {
    const line = fitLine(`• ${raw.replace(/\s*\n\s*/g, ' ')}`, room - 1);
    if (current.length > 0 && length + line.length + 1 > room) {
      groups.push(current);
      current = [];
      length = 0;
    }
    current.push(line);
    length += line.length + 1;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group, index) => ({ text: [header(index + 1, groups.length), ...group].join('\n'), lines: group.length }));
}

function fitLine(line: string, room: number): string {
  return line.length <= room ? line : `${line.slice(0, Math.max(1, room - 1))}…`;
}

export interface DigestRunResult {
  /** Each deferred report's outcome, in the order given. */
  outcomes: IssueOutcome[];
  /** Digest messages sent (parts), and those Slack did not take. */
  messages: number;
  failed: number;
}

/**
 * Sends each owner's digest (owners at once, an owner's parts in order),
 * and writes each issue's mark (`complete`) as soon as every part holding
 * its line has been sent, at most `concurrency` writes at once.
 */
export async function sendDigests(deferred: readonly DeferredReport[], notifier: Notifier, log: Log, concurrency: number): Promise<DigestRunResult> {
  const byOwner = new Map<string, number[]>();
  const partsLeft = deferred.map((report) => report.owners.length);
  deferred.forEach((report, index) => {
    for (const owner of report.owners) byOwner.set(owner, [...(byOwner.get(owner) ?? []), index]);
  });
  const writes = pLimit(Math.max(1, concurrency));
  const completions: Array<Promise<void>> = [];
  const outcomes: IssueOutcome[] = deferred.map(() => 'failed');
  let messages = 0;
  let failed = 0;

  const partSent = (indexes: readonly number[]) => {
    for (const index of indexes) {
      partsLeft[index] = (partsLeft[index] ?? 1) - 1;
      if (partsLeft[index] !== 0) continue;
      const report = deferred[index] as DeferredReport;
      completions.push(writes(async () => {
        outcomes[index] = await report.complete();
      }));
    }
  };

  await Promise.all([...byOwner].map(async ([owner, indexes]) => {
    // Sorted by account and region, so the digest reads the same whatever order the issues were reported in.
    const sorted = [...indexes].sort((a, b) => compareReports(deferred[a] as DeferredReport, deferred[b] as DeferredReport));
    const lines = sorted.map((index) => (deferred[index] as DeferredReport).text);
    const parts = digestMessages(lines);
    let from = 0;
    for (const [partIndex, part] of parts.entries()) {
      const delivered = await notifier.notifyOwners([owner], part.text, { operation: 'digest', recipient: owner, part: partIndex + 1, parts: parts.length, issues: part.lines });
      messages += 1;
      if (delivered === 0) failed += 1;
      partSent(sorted.slice(from, from + part.lines));
      from += part.lines;
    }
    log.info('sent the Slack digest of the run', { operation: 'chat.postMessage', recipient: owner, issues: lines.length, parts: parts.length });
  }));
  // Completions are added while the parts go out; all are in the list once every owner's parts are sent.
  await Promise.all(completions);
  return { outcomes, messages, failed };
}

function compareReports(a: DeferredReport, b: DeferredReport): number {
  return a.account.id.localeCompare(b.account.id) || a.region.localeCompare(b.region);
}
