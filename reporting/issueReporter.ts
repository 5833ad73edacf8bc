/**
 * Carries out what reporting/issueDecision.ts decides for one issue: JIRA
 * through the TicketTracker, Slack through the Notifier, and the state
 * change in the issues table, one step at a time, each step leaving its mark
 * in the item before or right after its effect outside the table:
 *
 *   new issue:  mark the creation (label, time) → create ticket → store
 *               `jira_details.ticket` → follow-ups (best-effort) → store
 *               `ticket_assignee_id` → Slack "Discovered" → set `reported`.
 *   backfill:   the same up to `ticket_assignee_id`, with Slack "Ticket
 *               filed ..." before it instead of "Discovered".
 *   no key after an earlier attempt: search JIRA for the label; adopt the
 *               ticket found, or clear the attempt and create.
 *   close:      mark `ticket_close_started` → (label) → close ticket → Slack
 *               → set `closed`.
 *
 * A step that prepares another (adopting a ticket, clearing a mark, starting
 * a new lifecycle) hands the updated item back and the next step is decided
 * from it in the same run.
 *
 * With a Slack digest (slack.digest_threshold), the "Discovered" and "Ticket
 * filed" messages of the owners in the run's digest are not sent one by one:
 * `reportOrDefer` stops right before the mark that follows the message
 * (`reported`, or `ticket_assignee_id` for a backfill) and hands back a
 * DeferredReport; the run sends the digest holding its line, then calls
 * `complete`, which writes the mark. So the mark is never set before the
 * message (or the digest holding it) went out; a run that stops between the
 * two leaves the issue at its ticket, and the next run sends it again. A JIRA error leaves the issue at the last mark, to
 * go on next run; a label or comment JIRA refuses for good (400, 403, 404) is
 * logged and skipped, never blocking the lifecycle. Every write is
 * conditional on what was read, so a concurrent identification write is
 * never overwritten.
 */
import { isJsonObject } from '../config/jsonFields.ts';
import type { HammerConfig } from '../config/hammerConfig.ts';
import { awsErrorCode } from '../library/aws/awsErrors.ts';
import { hasDeliveryErrors, type CloudTrailIssueItem, type JiraDetails } from '../library/issues/cloudTrailIssue.ts';
import type { Expectation } from '../library/issues/conditionalUpdate.ts';
import type { IssueChange, IssueStore } from '../library/issues/issueStore.ts';
import type { Log, LogFields } from '../library/runtime/logger.ts';
import { decideIssueAction, isLater, type CreationAttempt, type IssueAction } from './issueDecision.ts';
import type { Notifier } from './slack/slackNotifier.ts';
import {
  changedIssueComment,
  changedIssueMessage,
  closingComment,
  discoveredMessage,
  newTicketTexts,
  tempWhitelistComment,
  ticketFiledMessage,
  withTicketUrl,
  type IssueFacts,
} from './ticketTexts.ts';
import { isRefusal, TrackerError, type TicketRequest, type TicketTracker } from './ticketTracker.ts';

export type IssueOutcome =
  | 'reported'
  /** A ticket was filed for an issue reported without one (backfill). */
  | 'ticket-filed'
  | 'change-reported'
  | 'closed'
  | 'temp-whitelisted'
  | 'unchanged'
  /** An earlier creation attempt is too recent to search for its ticket; the next run goes on. */
  | 'waiting'
  /** A concurrent writer changed the item first; the next run decides again. */
  | 'changed-meanwhile'
  | 'failed';

export const ISSUE_OUTCOMES: readonly IssueOutcome[] = ['reported', 'ticket-filed', 'change-reported', 'closed', 'temp-whitelisted', 'unchanged', 'waiting', 'changed-meanwhile', 'failed'];

export interface IssueReporterDeps {
  config: HammerConfig;
  store: IssueStore;
  /** undefined when JIRA is off (jira.enabled false). */
  tracker: TicketTracker | undefined;
  /** undefined when Slack is off (slack.enabled false, or no token). */
  notifier: Notifier | undefined;
  log: Log;
}

export interface AccountRef {
  id: string;
  name: string;
}

/** One step of a report that failed; names the operation for the log line. */
export class ReportStepError extends Error {
  override readonly name = 'ReportStepError';
  constructor(readonly operation: string, readonly errorCode: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A report done up to its message to the owners in the run's Slack digest:
 * the run puts `text` in the digest of each of `owners`, sends it, then calls
 * `complete` (the mark after the message; never throws, a failure is logged
 * and gives `failed`).
 */
export interface DeferredReport {
  kind: 'deferred';
  owners: string[];
  /** The message the owners would have had alone, ticket address included. */
  text: string;
  account: AccountRef;
  region: string;
  complete(): Promise<IssueOutcome>;
}

const NO_DIGEST: ReadonlySet<string> = new Set();

/** What applying one action gives: the issue's outcome for this run, the item to decide the next step from, or a report waiting for the digest. */
type StepResult = IssueOutcome | { next: CloudTrailIssueItem } | DeferredReport;

/** More steps than any issue needs in one run (find, new lifecycle, report): a loop would be a bug. */
const MAX_STEPS = 4;

export class IssueReporter {
  constructor(private readonly deps: IssueReporterDeps) {}

  /** The next step for the issue, as the decision sees it now. */
  decide(issue: CloudTrailIssueItem, accountId: string): IssueAction {
    return decideIssueAction(issue, {
      inTempWhitelist: this.deps.config.tempWhitelist.has(accountId, issue.issue_id),
      ticketing: this.deps.tracker !== undefined,
      now: this.deps.store.timestamp(),
    });
  }

  /**
   * Reports one issue. `reportedAt` is the time the issues were read: a
   * change identification writes after that read is newer than it, so it is
   * reported by the next run instead of being lost.
   */
  async report(issue: CloudTrailIssueItem, account: AccountRef, reportedAt: string): Promise<IssueOutcome> {
    const result = await this.reportOrDefer(issue, account, reportedAt, NO_DIGEST);
    return typeof result === 'string' ? result : result.complete();
  }

  /**
   * Reports one issue as `report` does, except that a "Discovered" or
   * "Ticket filed" message to an owner in `digestOwners` is left for the
   * run's digest: the report stops before the mark that follows the message
   * and comes back as a DeferredReport.
   */
  async reportOrDefer(issue: CloudTrailIssueItem, account: AccountRef, reportedAt: string, digestOwners: ReadonlySet<string>): Promise<IssueOutcome | DeferredReport> {
    const fields: LogFields = { account_id: account.id, region: issue.issue_id };
    let current = issue;
    for (let step = 0; step < MAX_STEPS; step += 1) {
      const action = this.decide(current, account.id);
      let result: StepResult;
      try {
        result = await this.apply(action, current, account, reportedAt, fields, digestOwners);
      } catch (err: unknown) {
        this.deps.log.error('could not report the issue; it is left at its last mark and taken up again next run', { ...fields, ...failureFields(err), action: action.kind });
        return 'failed';
      }
      if (typeof result === 'string') return result;
      if ('kind' in result) return result;
      current = result.next;
    }
    this.deps.log.error('the issue needed more steps than any report does; left for the next run', { ...fields, operation: 'report', error_code: 'TooManySteps' });
    return 'failed';
  }

  private async apply(action: IssueAction, issue: CloudTrailIssueItem, account: AccountRef, reportedAt: string, fields: LogFields, digest: ReadonlySet<string>): Promise<StepResult> {
    const facts = issueFacts(issue, account);
    switch (action.kind) {
      case 'report':
        return this.reportNew(issue, facts, action.label, reportedAt, fields, digest);
      case 'finish-report':
        this.deps.log.info('finishing the report of an issue whose ticket an earlier run created', { ...fields, ticket: action.ticket });
        return this.finishReport(issue, facts, action.ticket, reportedAt, fields, digest);
      case 'find-ticket':
        return this.findTicket(issue, action.attempt, fields);
      case 'await-search-index':
        this.deps.log.info('an earlier run started creating this issue\'s ticket moments ago; searching for it waits for the next run (Jira Cloud\'s search is eventually consistent)', {
          ...fields, label: action.attempt.label, creation_started: action.attempt.startedAt,
        });
        return 'waiting';
      case 'backfill-ticket':
        return this.backfillTicket(issue, facts, action.label, fields, digest);
      case 'finish-backfill':
        this.deps.log.info('finishing the ticket an earlier run filed for an issue reported without one', { ...fields, ticket: action.ticket });
        return this.finishBackfill(issue, facts, action.ticket, fields, digest);
      case 'close-unreported':
        return this.closeUnreported(issue, fields);
      case 'close':
        return this.close(issue, facts, action.status, fields);
      case 'reopened-while-closing':
        return this.reopenedWhileClosing(issue, action.ticket, reportedAt, fields);
      case 'report-change':
        return this.reportChange(issue, facts, fields);
      case 'temp-whitelist':
        return this.reportTempWhitelist(issue, facts, fields);
      case 'nothing':
        this.deps.log.debug('no changes for the issue', fields);
        return 'unchanged';
      case 'invalid':
        this.deps.log.error(`cannot report the issue: ${action.reason}`, { ...fields, operation: 'report', error_code: 'InvalidIssue', status: issue.status });
        return 'failed';
    }
  }

  private async reportNew(issue: CloudTrailIssueItem, facts: IssueFacts, label: string, reportedAt: string, fields: LogFields, digest: ReadonlySet<string>): Promise<StepResult> {
    if (this.deps.tracker === undefined) return this.finishReport(issue, facts, undefined, reportedAt, fields, digest);
    const filed = await this.fileTicket(issue, facts, label, [notReported], fields);
    if (typeof filed === 'string') return filed;
    return this.finishReport(filed, facts, ticketOf(filed), reportedAt, fields, digest);
  }

  private async backfillTicket(issue: CloudTrailIssueItem, facts: IssueFacts, label: string, fields: LogFields, digest: ReadonlySet<string>): Promise<StepResult> {
    this.deps.log.info('the issue was reported without a ticket (JIRA off, or by the Python module); filing its ticket', fields);
    const filed = await this.fileTicket(issue, facts, label, [{ path: ['status'], equals: 'open' }, { path: ['timestamps', 'reported'], equals: issue.timestamps.reported }], fields);
    if (typeof filed === 'string') return filed;
    return this.finishBackfill(filed, facts, ticketOf(filed) as string, fields, digest);
  }

  /**
   * Marks the creation, creates the ticket and stores its key. The mark
   * (label, time) is written first, so a run killed after JIRA created the
   * ticket, or a reply lost on the way back, leaves a trace the next run
   * follows (find-ticket) instead of creating a second ticket. Returns the
   * item with its ticket, or the outcome when it stopped.
   */
  private async fileTicket(issue: CloudTrailIssueItem, facts: IssueFacts, label: string, expect: readonly Expectation[], fields: LogFields): Promise<CloudTrailIssueItem | IssueOutcome> {
    const { tracker, store, log } = this.deps;
    if (tracker === undefined) throw new Error('fileTicket needs JIRA');
    const request = this.ticketRequest(facts, label, issue);
    if (request === undefined) {
      log.error('no jira_project for the account in ticket_owners.json; the issue gets no ticket until one is set', { ...fields, operation: 'createTicket', error_code: 'NoJiraProject' });
      return 'failed';
    }

    const started = store.timestamp();
    const jira = jiraDetailsOf(issue);
    const mark: IssueChange = jira === undefined
      ? { set: [[['jira_details'], { ticket_label: label, ticket_creation_started: started }]], expect: [{ path: ['jira_details'], isNullOrAbsent: true }, ...expect] }
      : {
          set: [[['jira_details', 'ticket_label'], label], [['jira_details', 'ticket_creation_started'], started]],
          expect: [{ path: ['jira_details', 'ticket'], isNullOrAbsent: true }, { path: ['jira_details', 'ticket_creation_started'], isNullOrAbsent: true }, ...expect],
        };
    if (!(await step('UpdateItem', () => store.tryUpdate(issue, mark)))) return this.changedMeanwhile('ticket_creation_started', fields);
    const marked = withJira(issue, { ticket_label: label, ticket_creation_started: started });

    const created = await step('createTicket', () => tracker.createTicket(request));
    log.info('created ticket', { ...fields, ticket: created.key, label });

    // Stored before anything else, so no later failure can lead to a second ticket.
    let stored: boolean;
    try {
      stored = await store.tryUpdate(issue, {
        set: [[['jira_details', 'ticket'], created.key]],
        expect: [{ path: ['jira_details', 'ticket'], isNullOrAbsent: true }, { path: ['jira_details', 'ticket_label'], equals: label }],
      });
    } catch (err: unknown) {
      log.error('created a ticket but could not store its key in the issue; the next run finds it by its label', {
        ...fields, ticket: created.key, label, operation: 'UpdateItem', error_code: awsErrorCode(err),
      });
      return 'failed';
    }
    if (!stored) {
      log.error('created a ticket but the issue got another ticket or a new lifecycle meanwhile; the new ticket is not stored and should be closed by hand', {
        ...fields, ticket: created.key, operation: 'UpdateItem', error_code: 'ConditionalCheckFailedException',
      });
      return 'changed-meanwhile';
    }
    return withJira(marked, { ticket: created.key });
  }

  /**
   * An earlier creation attempt left no key: the ticket it may have created
   * carries its label. Adopt the oldest found (a second one would be a
   * duplicate from before this mechanism: logged for a person to close), or
   * clear the attempt so the next step creates one.
   */
  private async findTicket(issue: CloudTrailIssueItem, attempt: CreationAttempt, fields: LogFields): Promise<StepResult> {
    const { tracker, store, log } = this.deps;
    if (tracker === undefined) throw new Error('findTicket needs JIRA');
    const found = await step('findTickets', () => tracker.findTickets(attempt.label));
    const expect: Expectation[] = [{ path: ['jira_details', 'ticket'], isNullOrAbsent: true }, { path: ['jira_details', 'ticket_creation_started'], equals: attempt.startedAt }];
    const [chosen, ...others] = found;
    if (chosen === undefined) {
      log.info('no ticket carries the label of an earlier creation attempt; creating one', { ...fields, label: attempt.label, creation_started: attempt.startedAt });
      const cleared = await step('UpdateItem', () => store.tryUpdate(issue, { set: [[['jira_details', 'ticket_creation_started'], null]], expect }));
      if (!cleared) return this.changedMeanwhile('ticket_creation_started', fields);
      return { next: withJira(issue, { ticket_creation_started: null }) };
    }
    if (others.length > 0) {
      log.warn('several tickets carry the label of one issue lifecycle; the oldest is kept, close the others by hand', { ...fields, label: attempt.label, ticket: chosen.key, duplicates: others.map((ticket) => ticket.key) });
    }
    const adopted = await step('UpdateItem', () => store.tryUpdate(issue, { set: [[['jira_details', 'ticket'], chosen.key]], expect }));
    if (!adopted) return this.changedMeanwhile('ticket', fields);
    log.info('adopted the ticket an earlier creation attempt filed without its key reaching the table', { ...fields, ticket: chosen.key, label: attempt.label, jira_state: chosen.state });
    return { next: withJira(issue, { ticket: chosen.key }) };
  }

  private async finishReport(issue: CloudTrailIssueItem, facts: IssueFacts, ticket: string | undefined, reportedAt: string, fields: LogFields, digest: ReadonlySet<string>): Promise<IssueOutcome | DeferredReport> {
    const { store, log } = this.deps;
    const ticketFields = ticket === undefined ? fields : { ...fields, ticket };
    if (ticket !== undefined) await this.finishFollowUps(issue, facts, ticket, ticketFields);

    const { summary } = newTicketTexts(facts, { characterLimit: 0 });
    const text = withTicketUrl(discoveredMessage(summary, facts.trails), this.ticketUrl(ticket));
    const inDigest = await this.notify(text, facts, ticketFields, digest);

    const markReported = async (): Promise<IssueOutcome> => {
      const done = await step('UpdateItem', () => store.tryUpdate(issue, {
        set: [[['timestamps', 'reported'], reportedAt]],
        expect: [notReported, ticket === undefined ? { path: ['jira_details', 'ticket'], isNullOrAbsent: true } : { path: ['jira_details', 'ticket'], equals: ticket }],
      }));
      if (!done) return this.changedMeanwhile('reported', ticketFields);
      log.info('reported the issue', ticketFields);
      return 'reported';
    };
    if (inDigest.length > 0) return this.deferred(inDigest, text, facts, 'reported', ticketFields, markReported);
    return markReported();
  }

  /**
   * The end of a backfill: follow-ups, the owners' "Ticket filed" message,
   * then the `ticket_assignee_id` mark; and, when the issue had an unreported
   * change, "updated reported" (the new ticket's description already shows it).
   */
  private async finishBackfill(issue: CloudTrailIssueItem, facts: IssueFacts, ticket: string, fields: LogFields, digest: ReadonlySet<string>): Promise<IssueOutcome | DeferredReport> {
    const ticketFields = { ...fields, ticket };
    const assigneeId = await this.completeTicket(ticket, facts, issue, ticketFields);
    const { summary } = newTicketTexts(facts, { characterLimit: 0 });
    const text = withTicketUrl(ticketFiledMessage(summary), this.ticketUrl(ticket));
    const inDigest = await this.notify(text, facts, ticketFields, digest);
    const markFiled = () => this.markBackfillDone(issue, ticket, assigneeId, ticketFields);
    if (inDigest.length > 0) return this.deferred(inDigest, text, facts, 'ticket_assignee_id', ticketFields, markFiled);
    return markFiled();
  }

  /** The `ticket_assignee_id` mark that ends a backfill, and "updated reported" when a change was pending. */
  private async markBackfillDone(issue: CloudTrailIssueItem, ticket: string, assigneeId: string | undefined, ticketFields: LogFields): Promise<IssueOutcome> {
    const { store, log } = this.deps;
    const done = await step('UpdateItem', () => store.tryUpdate(issue, {
      set: [[['jira_details', 'ticket_assignee_id'], assigneeId ?? null]],
      expect: [{ path: ['jira_details', 'ticket'], equals: ticket }],
    }));
    if (!done) return this.changedMeanwhile('ticket_assignee_id', ticketFields);

    const { updated, reported } = issue.timestamps;
    if (typeof updated === 'string' && typeof reported === 'string' && isLater(updated, reported)) {
      await step('UpdateItem', () => store.tryUpdate(issue, {
        set: [[['timestamps', 'updated'], reported]],
        expect: [{ path: ['timestamps', 'updated'], equals: updated }, { path: ['timestamps', 'reported'], equals: reported }],
      }));
    }
    log.info('filed the ticket of an issue reported without one', ticketFields);
    return 'ticket-filed';
  }

  /** Link, assign and watch, unless the `ticket_assignee_id` mark says they are done; then the mark. */
  private async finishFollowUps(issue: CloudTrailIssueItem, facts: IssueFacts, ticket: string, fields: LogFields): Promise<void> {
    if (this.deps.tracker === undefined || hasAssigneeMark(issue)) return;
    const assigneeId = await this.completeTicket(ticket, facts, issue, fields);
    // null marks "follow-ups done, nobody assigned", so a later run does not repeat them.
    await step('UpdateItem', () => this.deps.store.tryUpdate(issue, {
      set: [[['jira_details', 'ticket_assignee_id'], assigneeId ?? null]],
      expect: [{ path: ['jira_details', 'ticket'], equals: ticket }],
    }));
  }

  private async completeTicket(ticket: string, facts: IssueFacts, issue: CloudTrailIssueItem, fields: LogFields): Promise<string | undefined> {
    const { tracker } = this.deps;
    const request = this.ticketRequest(facts, undefined, issue);
    if (tracker === undefined || request === undefined) return undefined;
    try {
      const followUp = await tracker.completeTicket(ticket, request);
      return followUp.assigneeId;
    } catch (err: unknown) {
      // completeTicket is best-effort by contract; a throw is logged like its own failures.
      this.deps.log.warn('the follow-ups of a new ticket failed (links, assignee, watcher)', { ...fields, ...failureFields(err) });
      return undefined;
    }
  }

  private async closeUnreported(issue: CloudTrailIssueItem, fields: LogFields): Promise<IssueOutcome> {
    const done = await step('UpdateItem', () => this.deps.store.tryUpdate(issue, {
      set: [[['status'], 'closed'], [['timestamps', 'closed'], this.deps.store.timestamp()]],
      expect: [{ path: ['status'], equals: 'whitelisted' }, notReported, { path: ['jira_details', 'ticket'], isNullOrAbsent: true }],
    }));
    if (!done) return this.changedMeanwhile('closed', fields);
    this.deps.log.info('closed a whitelisted issue that was never reported', fields);
    return 'closed';
  }

  /**
   * Closes a resolved or whitelisted issue. With a ticket, `ticket_close_started`
   * is written first: if identification reopens the issue before the
   * `closed` write, the next run knows the ticket's lifecycle may be over
   * (reopenedWhileClosing). A refused label never stops the close; a ticket
   * already closed or gone counts as closed.
   */
  private async close(issue: CloudTrailIssueItem, facts: IssueFacts, status: 'resolved' | 'whitelisted', fields: LogFields): Promise<IssueOutcome> {
    const { tracker, store, log } = this.deps;
    const ticket = ticketOf(issue);
    const ticketFields = ticket === undefined ? fields : { ...fields, ticket };
    const comment = closingComment(status, facts);
    if (ticket !== undefined && tracker !== undefined) {
      if (!hasMark(issue, 'ticket_close_started')) {
        const marked = await step('UpdateItem', () => store.tryUpdate(issue, {
          set: [[['jira_details', 'ticket_close_started'], store.timestamp()]],
          expect: [{ path: ['status'], equals: status }, { path: ['jira_details', 'ticket'], equals: ticket }],
        }));
        if (!marked) return this.changedMeanwhile('ticket_close_started', ticketFields);
      }
      if (status === 'whitelisted') await this.followUp('addLabel', ticketFields, () => tracker.addLabel(ticket, 'whitelisted'));
      const outcome = await step('closeTicket', () => tracker.closeTicket(ticket, comment));
      log.info(outcome === 'closed' ? 'closed the ticket' : outcome === 'already-closed' ? 'the ticket was already closed' : 'the ticket no longer exists; counted as closed', ticketFields);
    }
    await this.notify(withTicketUrl(comment, this.ticketUrl(ticket)), facts, ticketFields);
    const done = await step('UpdateItem', () => store.tryUpdate(issue, {
      set: [[['status'], 'closed'], [['timestamps', 'closed'], store.timestamp()]],
      expect: [{ path: ['status'], equals: status }],
    }));
    if (!done) return this.changedMeanwhile('closed', ticketFields);
    log.info(`closed the ${status} issue`, ticketFields);
    return 'closed';
  }

  /**
   * Identification reopened the issue while its ticket was being closed. If
   * JIRA closed the ticket (or it is gone), that lifecycle is over: a new one
   * starts, as Hammer starts one when a closed issue comes back (`identified`
   * and `updated` = this run's read time, not reported, `previous_ticket` =
   * the old ticket, which the new ticket links to). If the ticket is still
   * open, the close never happened: the mark is cleared and the same ticket
   * goes on (its "changed" comment follows).
   */
  private async reopenedWhileClosing(issue: CloudTrailIssueItem, ticket: string, readAt: string, fields: LogFields): Promise<StepResult> {
    const { tracker, store, log } = this.deps;
    if (tracker === undefined) throw new Error('reopenedWhileClosing needs JIRA');
    const ticketFields = { ...fields, ticket };
    const state = await step('ticketState', () => tracker.ticketState(ticket));
    const closeStarted = (jiraDetailsOf(issue) ?? {}).ticket_close_started;
    const expect: Expectation[] = [{ path: ['status'], equals: issue.status }, { path: ['jira_details', 'ticket'], equals: ticket }, { path: ['jira_details', 'ticket_close_started'], equals: closeStarted }];
    if (state === 'open') {
      const cleared = await step('UpdateItem', () => store.tryUpdate(issue, { set: [[['jira_details', 'ticket_close_started'], null]], expect }));
      if (!cleared) return this.changedMeanwhile('ticket_close_started', ticketFields);
      log.info('the issue came back before its ticket was closed; going on with the same ticket', ticketFields);
      return { next: withJira(issue, { ticket_close_started: null }) };
    }
    const timestamps = { identified: readAt, updated: readAt, reported: null, remediated: null, closed: null };
    const jiraDetails = { previous_ticket: ticket };
    const restarted = await step('UpdateItem', () => store.tryUpdate(issue, { set: [[['timestamps'], timestamps], [['jira_details'], jiraDetails]], expect }));
    if (!restarted) return this.changedMeanwhile('a new lifecycle', ticketFields);
    log.info(`the issue came back while its ticket was being closed (the ticket is ${state === 'done' ? 'closed' : 'gone'}); a new lifecycle starts with a new ticket`, { ...ticketFields, previous_ticket: ticket });
    return { next: { ...issue, timestamps, jira_details: jiraDetails } };
  }

  private async reportChange(issue: CloudTrailIssueItem, facts: IssueFacts, fields: LogFields): Promise<IssueOutcome> {
    const { tracker, store, config, log } = this.deps;
    const ticket = ticketOf(issue);
    const ticketFields = ticket === undefined ? fields : { ...fields, ticket };
    if (ticket !== undefined && tracker !== undefined) {
      const comment = changedIssueComment(facts, config.jira.textFieldCharacterLimit);
      await this.followUp('addComment', ticketFields, () => tracker.addComment(ticket, comment));
    }
    await this.notify(withTicketUrl(changedIssueMessage(facts), this.ticketUrl(ticket)), facts, ticketFields);
    // "updated reported": updated = reported, only if identification did not change the issue again meanwhile.
    const done = await step('UpdateItem', () => store.tryUpdate(issue, {
      set: [[['timestamps', 'updated'], issue.timestamps.reported]],
      expect: [{ path: ['timestamps', 'updated'], equals: issue.timestamps.updated }, { path: ['timestamps', 'reported'], equals: issue.timestamps.reported }],
    }));
    if (!done) return this.changedMeanwhile('updated', ticketFields);
    log.info('reported the changed issue', ticketFields);
    return 'change-reported';
  }

  private async reportTempWhitelist(issue: CloudTrailIssueItem, facts: IssueFacts, fields: LogFields): Promise<IssueOutcome> {
    const { tracker, store, log } = this.deps;
    const ticket = ticketOf(issue);
    const ticketFields = ticket === undefined ? fields : { ...fields, ticket };
    const comment = tempWhitelistComment(facts);
    if (ticket !== undefined && tracker !== undefined) await this.followUp('addComment', ticketFields, () => tracker.addComment(ticket, comment));
    await this.notify(withTicketUrl(comment, this.ticketUrl(ticket)), facts, ticketFields);
    const done = await step('UpdateItem', () => store.tryUpdate(issue, {
      set: [[['timestamps', 'temp_whitelisted'], store.timestamp()]],
      expect: [{ path: ['timestamps', 'temp_whitelisted'], isNullOrAbsent: true }, { path: ['timestamps', 'reported'], equals: issue.timestamps.reported }],
    }));
    if (!done) return this.changedMeanwhile('temp_whitelisted', ticketFields);
    log.info('reported the issue as temporarily whitelisted', ticketFields);
    return 'temp-whitelisted';
  }

  /**
   * A label or comment: JIRA refusing it for good (400, e.g. a Closed ticket
   * that is not editable; 403; 404, a deleted ticket) is logged and skipped,
   * so the lifecycle goes on; any other failure (5xx, no answer) stops the
   * step, to be tried again next run.
   */
  private async followUp(operation: string, fields: LogFields, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err: unknown) {
      if (!(err instanceof TrackerError && isRefusal(err.status))) throw stepError(operation, err);
      this.deps.log.warn(`JIRA refused the ${operation === 'addLabel' ? 'label' : 'comment'}; skipped, the issue goes on`, { ...fields, ...failureFields(new ReportStepError(operation, `HTTP ${err.status}`, err.message)) });
    }
  }

  private changedMeanwhile(what: string, fields: LogFields): IssueOutcome {
    this.deps.log.info(`the issue changed while it was being reported; ${what} not set, the next run decides again`, fields);
    return 'changed-meanwhile';
  }

  /**
   * Sends `text` to the issue's Slack owners, except those in `digest`;
   * resolves with the owners left for the run's digest.
   */
  private async notify(text: string, facts: IssueFacts, fields: LogFields, digest: ReadonlySet<string> = NO_DIGEST): Promise<string[]> {
    const { notifier, config } = this.deps;
    if (notifier === undefined) return [];
    const owners = config.ticketOwners.slackRecipients({ accountId: facts.accountId }, config.slack.notifyDefaultOwner);
    if (owners.length === 0) {
      this.deps.log.debug('no Slack owners for the account', fields);
      return [];
    }
    const alone = owners.filter((owner) => !digest.has(owner));
    if (alone.length > 0) await notifier.notifyOwners(alone, text, fields);
    return owners.filter((owner) => digest.has(owner));
  }

  /**
   * The report, done up to the message to the digest's owners: `complete`
   * writes `mark` once the run has sent the digest. Its failure is logged
   * like any step's and leaves the issue for the next run.
   */
  private deferred(owners: string[], text: string, facts: IssueFacts, mark: string, fields: LogFields, write: () => Promise<IssueOutcome>): DeferredReport {
    this.deps.log.debug(`the message goes into the run's Slack digest; ${mark} is set once the digest is sent`, { ...fields, recipients: owners });
    return {
      kind: 'deferred',
      owners,
      text,
      account: { id: facts.accountId, name: facts.accountName },
      region: facts.region,
      complete: async () => {
        try {
          return await write();
        } catch (err: unknown) {
          this.deps.log.error('could not report the issue; it is left at its last mark and taken up again next run', { ...fields, ...failureFields(err), action: `digest-${mark}` });
          return 'failed';
        }
      },
    };
  }

  /** `<server>/browse/<KEY>`; from jira.server when JIRA is off for this run, as Hammer does. */
  private ticketUrl(ticket: string | undefined): string | undefined {
    if (ticket === undefined) return undefined;
    if (this.deps.tracker !== undefined) return this.deps.tracker.ticketUrl(ticket);
    const server = this.deps.config.jira.server;
    return server === undefined ? undefined : `${server}/browse/${ticket}`;
  }

  /** The new ticket's fields; `label` (the lifecycle label) is added to cloudtrails.labels. */
  private ticketRequest(facts: IssueFacts, label: string | undefined, issue: CloudTrailIssueItem): TicketRequest | undefined {
    const { config } = this.deps;
    const scope = { accountId: facts.accountId };
    const project = config.ticketOwners.jiraProject(scope);
    if (project === undefined) return undefined;
    const texts = newTicketTexts(facts, { whitelistingProcedureUrl: config.whitelistingProcedureUrl, characterLimit: config.jira.textFieldCharacterLimit });
    const previous = (jiraDetailsOf(issue) ?? {}).previous_ticket;
    return {
      project,
      summary: texts.summary,
      description: texts.description,
      issueType: config.jira.issueType,
      priority: config.jira.priority,
      labels: label === undefined ? [...config.cloudtrails.labels] : [...new Set([...config.cloudtrails.labels, label])],
      parentTicket: config.ticketOwners.jiraParentTicket(scope),
      owner: config.ticketOwners.jiraOwner(scope),
      previousTicket: typeof previous === 'string' && previous !== '' ? previous : undefined,
    };
  }
}

const notReported: Expectation = { path: ['timestamps', 'reported'], isNullOrAbsent: true };

export function issueFacts(issue: CloudTrailIssueItem, account: AccountRef): IssueFacts {
  const trails = [...issue.issue_details.trails].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    accountId: account.id,
    accountName: account.name,
    region: issue.issue_id,
    disabled: issue.issue_details.disabled,
    deliveryErrors: hasDeliveryErrors(issue.issue_details),
    trails,
  };
}

function jiraDetailsOf(issue: CloudTrailIssueItem): JiraDetails | undefined {
  return isJsonObject(issue.jira_details) ? issue.jira_details : undefined;
}

/** The item as it is after a write of these jira_details keys. */
function withJira(issue: CloudTrailIssueItem, change: JiraDetails): CloudTrailIssueItem {
  return { ...issue, jira_details: { ...(jiraDetailsOf(issue) ?? {}), ...change } };
}

function ticketOf(issue: CloudTrailIssueItem): string | undefined {
  const ticket = jiraDetailsOf(issue)?.ticket;
  return typeof ticket === 'string' && ticket !== '' ? ticket : undefined;
}

function hasMark(issue: CloudTrailIssueItem, key: string): boolean {
  const value = jiraDetailsOf(issue)?.[key];
  return typeof value === 'string' && value !== '';
}

/** `ticket_assignee_id` present (even null): the follow-ups of the ticket are done. */
function hasAssigneeMark(issue: CloudTrailIssueItem): boolean {
  const jira = jiraDetailsOf(issue);
  return jira !== undefined && Object.hasOwn(jira, 'ticket_assignee_id');
}

/** Runs one step, turning its failure into a ReportStepError naming the operation. */
async function step<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err: unknown) {
    throw stepError(operation, err);
  }
}

function stepError(operation: string, err: unknown): ReportStepError {
  if (err instanceof ReportStepError) return err;
  const code = err instanceof TrackerError ? (err.status === undefined ? err.name : `HTTP ${err.status}`) : awsErrorCode(err);
  return new ReportStepError(err instanceof TrackerError ? err.operation || operation : operation, code, err instanceof Error ? err.message : String(err), { cause: err });
}

/** operation, error_code and error_message of a failure, for its log line. */
export function failureFields(err: unknown): LogFields {
  if (err instanceof ReportStepError) return { operation: err.operation, error_code: err.errorCode, error_message: err.message };
  return { operation: 'report', error_code: awsErrorCode(err), error_message: err instanceof Error ? err.message : String(err) };
}
