/**
 * What reporting needs of an issue tracker (JIRA). Reporting builds the texts
 * and decides what to do; the tracker talks to the server. The JIRA
 * implementation lives in reporting/jira/ and works against Jira
 * Server/Data Center (users by `name`) and Jira Cloud (users by `accountId`).
 */

export interface TicketRequest {
  /** JIRA project key, from ticket_owners.json. */
  project: string;
  summary: string;
  /** JIRA wiki markup, already within jira.text_field_character_limit. */
  description: string;
  /** jira.issue_type. */
  issueType: string;
  /** jira.priority: a priority name of the project's scheme (Hammer's "Major" by default). */
  priority: string;
  /** cloudtrails.labels. */
  labels: string[];
  /** jira_parent_ticket from ticket_owners.json: linked "relates to" after creation. */
  parentTicket?: string | undefined;
  /** jira_owner from ticket_owners.json: a user name (Server) or account id / e-mail / name (Cloud). */
  owner?: string | undefined;
  /** The ticket of the issue's previous lifecycle (closed while the issue came back): linked "relates to" after creation. */
  previousTicket?: string | undefined;
}

export interface CreatedTicket {
  /** The issue key, e.g. AWSSEC-123. */
  key: string;
}

export interface TicketFollowUp {
  /** The assignee set on the ticket (Server: name; Cloud: accountId), when any could be set. */
  assigneeId: string | undefined;
}

/** `missing`: the ticket no longer exists (deleted): nothing left to close. */
export type CloseOutcome = 'closed' | 'already-closed' | 'missing';

/** Where a ticket stands: `done` = a status of the done category; `missing` = it no longer exists. */
export type TicketState = 'open' | 'done' | 'missing';

/** A ticket a search found. */
export interface FoundTicket {
  key: string;
  state: Exclude<TicketState, 'missing'>;
}

export interface TicketTracker {
  /**
   * Creates the ticket (project, type, summary, description, priority, labels).
   * Resolves as soon as the ticket exists; throws a TrackerError when it does not.
   */
  createTicket(request: TicketRequest): Promise<CreatedTicket>;
  /**
   * The tickets carrying `label`, oldest first: how reporting finds a ticket
   * an earlier attempt created when its key never reached the issues table
   * (a crash, a lost reply). Jira Server/Data Center: GET /rest/api/2/search;
   * Jira Cloud: GET /rest/api/2/search/jql (eventually consistent: a ticket
   * created moments ago may not be found yet). Throws TrackerError.
   */
  findTickets(label: string): Promise<FoundTicket[]>;
  /** The ticket's state (GET issue): open, done, or missing (404). Throws TrackerError otherwise. */
  ticketState(key: string): Promise<TicketState>;
  /**
   * The follow-ups after creation, each best-effort and logged, never thrown:
   * link to the parent and to the previous lifecycle's ticket ("relates to"),
   * choose the assignee (the owner when assignable in the project, else the
   * authenticated user), assign, add the assignee as watcher. Repeating them
   * on a ticket that has them changes nothing.
   */
  completeTicket(key: string, request: TicketRequest): Promise<TicketFollowUp>;
  /**
   * Assigns the ticket to the authenticated user (the bot), as Hammer's
   * remediation does when it fixed an issue (`remediate_issue(reassign=True)`).
   * Throws TrackerError on failure.
   */
  assignToAuthenticatedUser(key: string): Promise<void>;
  /** Adds a comment (wiki markup). Throws TrackerError on failure. */
  addComment(key: string, comment: string): Promise<void>;
  /** Adds one label atomically (`update: {labels: [{add}]}`). Throws TrackerError on failure. */
  addLabel(key: string, label: string): Promise<void>;
  /**
   * Closes the ticket with a comment through the transition named in
   * jira.close_transition, else any transition into the "done" status
   * category; a ticket already in a done status is left alone; a ticket
   * that no longer exists is `missing`. A closing comment JIRA refuses is
   * logged and the ticket still closed. Throws TrackerError on failure.
   */
  closeTicket(key: string, comment: string): Promise<CloseOutcome>;
  /** `<server>/browse/<KEY>`. */
  ticketUrl(key: string): string;
}

/** A tracker call that failed; `status` is the HTTP status when there was an answer. */
export class TrackerError extends Error {
  override readonly name = 'TrackerError';
  constructor(message: string, readonly operation: string, readonly status?: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A definitive refusal (400: invalid for this ticket, e.g. a status that is
 * not editable; 403: not allowed; 404: the ticket is gone): repeating the
 * call cannot help.
 */
export function isRefusal(status: number | undefined): boolean {
  return status === 400 || status === 403 || status === 404;
}
