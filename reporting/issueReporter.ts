/**
 * Carries out the action decided for one issue (reporting/issueDecision.ts):
 * JIRA through the TicketTracker, Slack through the Notifier, and the state
 * change in the issues table, in an order that lets a run stop anywhere and
 * the next one finish without a second ticket:
 *
 *   create ticket → store `jira_details.ticket` at once → follow-ups
 *   (best-effort) → store `ticket_assignee_id` → Slack "Discovered" → set
 *   `timestamps.reported`.
 *
 * A JIRA call that fails before the state change leaves the issue as it was
 * (tried again next run; JIRA steps before it are idempotent: adding a label
 * that is there, closing a closed ticket). Every write is conditional on what
 * was read, so a concurrent identification write is never overwritten.
 */
import { isJsonObject } from '../config/jsonFields.ts';
import type { HammerConfig } from '../config/hammerConfig.ts';
import { awsErrorCode } from '../library/aws/awsErrors.ts';
import { hasDeliveryErrors, type CloudTrailIssueItem } from '../library/issues/cloudTrailIssue.ts';
import type { Expectation } from '../library/issues/conditionalUpdate.ts';
import type { IssueChange, IssueStore } from '../library/issues/issueStore.ts';
import type { Log, LogFields } from '../library/runtime/logger.ts';
import { decideIssueAction, type IssueAction } from './issueDecision.ts';
import type { Notifier } from './slack/slackNotifier.ts';
import {
  changedIssueComment,
  changedIssueMessage,
  closingComment,
  discoveredMessage,
  newTicketTexts,
  tempWhitelistComment,
  withTicketUrl,
  type IssueFacts,
} from './ticketTexts.ts';
import { TrackerError, type TicketRequest, type TicketTracker } from './ticketTracker.ts';

export type IssueOutcome =
  | 'reported'
  | 'change-reported'
  | 'closed'
  | 'temp-whitelisted'
  | 'unchanged'
  /** A concurrent writer changed the item first; the next run decides again. */
  | 'changed-meanwhile'
  | 'failed';

export interface IssueReporterDeps {
  config: HammerConfig;
  store: IssueStore;
  /** undefined when JIRA is off (jira.enabled false, or no credentials). */
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

export class IssueReporter {
  constructor(private readonly deps: IssueReporterDeps) {}

  /**
   * Reports one issue. `reportedAt` is the time the account's issues were
   * read: a change identification writes after that read is newer than it,
   * so it is reported by the next run instead of being lost.
   */
  async report(issue: CloudTrailIssueItem, account: AccountRef, reportedAt: string): Promise<IssueOutcome> {
    const fields: LogFields = { account_id: account.id, region: issue.issue_id };
    const action = decideIssueAction(issue, { inTempWhitelist: this.deps.config.tempWhitelist.has(account.id, issue.issue_id) });
    try {
      return await this.apply(action, issue, account, reportedAt, fields);
    } catch (err: unknown) {
      this.deps.log.error('could not report the issue; it is left as it was and tried again next run', { ...fields, ...failureFields(err), action: action.kind });
      return 'failed';
    }
  }

  private async apply(action: IssueAction, issue: CloudTrailIssueItem, account: AccountRef, reportedAt: string, fields: LogFields): Promise<IssueOutcome> {
    const facts = issueFacts(issue, account);
    switch (action.kind) {
      case 'report':
        return this.reportNew(issue, facts, reportedAt, fields);
      case 'finish-report':
        this.deps.log.info('finishing the report of an issue whose ticket an earlier run created', { ...fields, ticket: action.ticket });
        return this.finishReport(issue, facts, action.ticket, reportedAt, fields);
      case 'close-unreported':
        return this.closeUnreported(issue, fields);
      case 'close':
        return this.close(issue, facts, action.status, fields);
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

  private async reportNew(issue: CloudTrailIssueItem, facts: IssueFacts, reportedAt: string, fields: LogFields): Promise<IssueOutcome> {
    const { tracker, log } = this.deps;
    if (tracker === undefined) return this.finishReport(issue, facts, undefined, reportedAt, fields);

    const request = this.ticketRequest(facts);
    if (request === undefined) {
      log.error('no jira_project for the account in ticket_owners.json; the issue is not reported until one is set', { ...fields, operation: 'createTicket', error_code: 'NoJiraProject' });
      return 'failed';
    }
    const created = await step('createTicket', () => tracker.createTicket(request));
    log.info('created ticket', { ...fields, ticket: created.key });

    // Stored before anything else, so no later failure can lead to a second ticket.
    const jiraDetails = isJsonObject(issue.jira_details) ? issue.jira_details : undefined;
    const change: IssueChange = jiraDetails === undefined
      ? { set: [[['jira_details'], { ticket: created.key }]], expect: [{ path: ['jira_details'], isNullOrAbsent: true }, notReported] }
      : { set: [[['jira_details', 'ticket'], created.key]], expect: [{ path: ['jira_details', 'ticket'], isNullOrAbsent: true }, notReported] };
    let stored: boolean;
    try {
      stored = await this.deps.store.tryUpdate(issue, change);
    } catch (err: unknown) {
      log.error('created a ticket but could not store its key in the issue: set jira_details.ticket by hand or close the ticket, else the next run files another', {
        ...fields, ticket: created.key, operation: 'UpdateItem', error_code: awsErrorCode(err),
      });
      return 'failed';
    }
    if (!stored) {
      log.error('created a ticket but the issue got a ticket or a report meanwhile; the new ticket is not stored and should be closed by hand', {
        ...fields, ticket: created.key, operation: 'UpdateItem', error_code: 'ConditionalCheckFailedException',
      });
      return 'changed-meanwhile';
    }
    const withTicket: CloudTrailIssueItem = { ...issue, jira_details: { ...(jiraDetails ?? {}), ticket: created.key } };
    return this.finishReport(withTicket, facts, created.key, reportedAt, fields);
  }

  private async finishReport(issue: CloudTrailIssueItem, facts: IssueFacts, ticket: string | undefined, reportedAt: string, fields: LogFields): Promise<IssueOutcome> {
    const { tracker, store, log } = this.deps;
    const ticketFields = ticket === undefined ? fields : { ...fields, ticket };
    if (ticket !== undefined && tracker !== undefined && !hasAssigneeMark(issue)) {
      const assigneeId = await this.completeTicket(tracker, ticket, facts, ticketFields);
      // null marks "follow-ups done, nobody assigned", so a later run does not repeat them.
      await step('UpdateItem', () => store.tryUpdate(issue, {
        set: [[['jira_details', 'ticket_assignee_id'], assigneeId ?? null]],
        expect: [{ path: ['jira_details', 'ticket'], equals: ticket }],
      }));
    }

    const { summary } = newTicketTexts(facts, { characterLimit: 0 });
    await this.notify(withTicketUrl(discoveredMessage(summary, facts.trails), this.ticketUrl(ticket)), facts, ticketFields);

    const done = await step('UpdateItem', () => store.tryUpdate(issue, {
      set: [[['timestamps', 'reported'], reportedAt]],
      expect: [notReported, ticket === undefined ? { path: ['jira_details', 'ticket'], isNullOrAbsent: true } : { path: ['jira_details', 'ticket'], equals: ticket }],
    }));
    if (!done) return this.changedMeanwhile('reported', ticketFields);
    log.info('reported the issue', ticketFields);
    return 'reported';
  }

  private async completeTicket(tracker: TicketTracker, ticket: string, facts: IssueFacts, fields: LogFields): Promise<string | undefined> {
    const request = this.ticketRequest(facts);
    if (request === undefined) return undefined;
    try {
      const followUp = await tracker.completeTicket(ticket, request);
      return followUp.assigneeId;
    } catch (err: unknown) {
      // completeTicket is best-effort by contract; a throw is logged like its own failures.
      this.deps.log.warn('the follow-ups of a new ticket failed (link, assignee, watcher)', { ...fields, ...failureFields(err) });
      return undefined;
    }
  }

  private async closeUnreported(issue: CloudTrailIssueItem, fields: LogFields): Promise<IssueOutcome> {
    const done = await step('UpdateItem', () => this.deps.store.tryUpdate(issue, {
      set: [[['status'], 'closed'], [['timestamps', 'closed'], this.deps.store.timestamp()]],
      expect: [{ path: ['status'], equals: 'whitelisted' }, notReported, { path: ['jira_details', 'ticket'], isNullOrAbsent: true }],
    }));
    if (!done) return this.changedMeanwhile('closed', fields);
    this.deps.log.info('closed a whitelisted issue that was never reported, without a ticket or a message', fields);
    return 'closed';
  }

  private async close(issue: CloudTrailIssueItem, facts: IssueFacts, status: 'resolved' | 'whitelisted', fields: LogFields): Promise<IssueOutcome> {
    const { tracker, store, log } = this.deps;
    const ticket = ticketOf(issue);
    const ticketFields = ticket === undefined ? fields : { ...fields, ticket };
    const comment = closingComment(status, facts);
    if (ticket !== undefined && tracker !== undefined) {
      if (status === 'whitelisted') await step('addLabel', () => tracker.addLabel(ticket, 'whitelisted'));
      const outcome = await step('closeTicket', () => tracker.closeTicket(ticket, comment));
      log.info(outcome === 'closed' ? 'closed the ticket' : 'the ticket was already closed', ticketFields);
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

  private async reportChange(issue: CloudTrailIssueItem, facts: IssueFacts, fields: LogFields): Promise<IssueOutcome> {
    const { tracker, store, config, log } = this.deps;
    const ticket = ticketOf(issue);
    const ticketFields = ticket === undefined ? fields : { ...fields, ticket };
    if (ticket !== undefined && tracker !== undefined) {
      const comment = changedIssueComment(facts, config.jira.textFieldCharacterLimit);
      await step('addComment', () => tracker.addComment(ticket, comment));
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
    if (ticket !== undefined && tracker !== undefined) await step('addComment', () => tracker.addComment(ticket, comment));
    await this.notify(withTicketUrl(comment, this.ticketUrl(ticket)), facts, ticketFields);
    const done = await step('UpdateItem', () => store.tryUpdate(issue, {
      set: [[['timestamps', 'temp_whitelisted'], store.timestamp()]],
      expect: [{ path: ['timestamps', 'temp_whitelisted'], isNullOrAbsent: true }, { path: ['timestamps', 'reported'], equals: issue.timestamps.reported }],
    }));
    if (!done) return this.changedMeanwhile('temp_whitelisted', ticketFields);
    log.info('reported the issue as temporarily whitelisted', ticketFields);
    return 'temp-whitelisted';
  }

  private changedMeanwhile(what: string, fields: LogFields): IssueOutcome {
    this.deps.log.info(`the issue changed while it was being reported; ${what} not set, the next run decides again`, fields);
    return 'changed-meanwhile';
  }

  private async notify(text: string, facts: IssueFacts, fields: LogFields): Promise<void> {
    const { notifier, config } = this.deps;
    if (notifier === undefined) return;
    const owners = config.ticketOwners.slackRecipients({ accountId: facts.accountId }, config.slack.notifyDefaultOwner);
    if (owners.length === 0) {
      this.deps.log.debug('no Slack owners for the account', fields);
      return;
    }
    await notifier.notifyOwners(owners, text, fields);
  }

  /** `<server>/browse/<KEY>`; from jira.server when JIRA is off for this run, as Hammer does. */
  private ticketUrl(ticket: string | undefined): string | undefined {
    if (ticket === undefined) return undefined;
    if (this.deps.tracker !== undefined) return this.deps.tracker.ticketUrl(ticket);
    const server = this.deps.config.jira.server;
    return server === undefined ? undefined : `${server}/browse/${ticket}`;
  }

  private ticketRequest(facts: IssueFacts): TicketRequest | undefined {
    const { config } = this.deps;
    const scope = { accountId: facts.accountId };
    const project = config.ticketOwners.jiraProject(scope);
    if (project === undefined) return undefined;
    const texts = newTicketTexts(facts, { whitelistingProcedureUrl: config.whitelistingProcedureUrl, characterLimit: config.jira.textFieldCharacterLimit });
    return {
      project,
      summary: texts.summary,
      description: texts.description,
      issueType: config.jira.issueType,
      priority: config.jira.priority,
      labels: [...config.cloudtrails.labels],
      parentTicket: config.ticketOwners.jiraParentTicket(scope),
      owner: config.ticketOwners.jiraOwner(scope),
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

function ticketOf(issue: CloudTrailIssueItem): string | undefined {
  const ticket = isJsonObject(issue.jira_details) ? issue.jira_details.ticket : undefined;
  return typeof ticket === 'string' && ticket !== '' ? ticket : undefined;
}

/** `ticket_assignee_id` present (even null): the follow-ups of the ticket are done. */
function hasAssigneeMark(issue: CloudTrailIssueItem): boolean {
  return isJsonObject(issue.jira_details) && Object.hasOwn(issue.jira_details, 'ticket_assignee_id');
}


/** Runs one step, turning its failure into a ReportStepError naming the operation. */
async function step<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err: unknown) {
    if (err instanceof ReportStepError) throw err;
    const code = err instanceof TrackerError ? (err.status === undefined ? err.name : `HTTP ${err.status}`) : awsErrorCode(err);
    throw new ReportStepError(err instanceof TrackerError ? err.operation || operation : operation, code, err instanceof Error ? err.message : String(err), { cause: err });
  }
}

/** operation, error_code and error_message of a failure, for its log line. */
export function failureFields(err: unknown): LogFields {
  if (err instanceof ReportStepError) return { operation: err.operation, error_code: err.errorCode, error_message: err.message };
  return { operation: 'report', error_code: awsErrorCode(err), error_message: err instanceof Error ? err.message : String(err) };
}
