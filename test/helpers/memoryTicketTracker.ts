/**
 * An in-memory TicketTracker that behaves like JIRA for the reporting flow:
 * keys `<PROJECT>-<n>`, comments, labels (atomic add), links, assignee and
 * watchers, statuses with a done category (a Closed ticket refuses labels and
 * comments with 400, as Jira's non-editable Closed status does), deleted
 * tickets (404), label search, and failure injection per operation. It records every call, so tests can assert what reporting asked
 * for. Used by the unit tests of the reporting flow's own logic; the real
 * JIRA client against the loopback fake JIRA is tested end to end in
 * test/integration/reportingEndToEnd.test.ts.
 */
import { TrackerError, type CloseOutcome, type CreatedTicket, type FoundTicket, type TicketFollowUp, type TicketRequest, type TicketState, type TicketTracker } from '../../reporting/ticketTracker.ts';

export type TrackerOperation = 'createTicket' | 'link' | 'assign' | 'watch' | 'addComment' | 'addLabel' | 'closeTicket' | 'findTickets' | 'ticketState' | 'assignToAuthenticatedUser';

export interface MemoryTicket {
  key: string;
  request: TicketRequest;
  status: 'Open' | 'Closed';
  labels: string[];
  comments: string[];
  links: string[];
  assignee: string | undefined;
  watchers: string[];
}

export interface TrackerCall {
  operation: TrackerOperation | 'completeTicket';
  key?: string;
  detail?: string;
}

export class MemoryTicketTracker implements TicketTracker {
  readonly tickets = new Map<string, MemoryTicket>();
  readonly calls: TrackerCall[] = [];
  private readonly failures = new Map<TrackerOperation, { status: number; remaining: number }>();
  private counter = 0;

  constructor(
    readonly server = 'https://jira.example.com',
    /** Users assignable in every project. */
    readonly assignableUsers: readonly string[] = ['Support-General', 'Support-Cloud', 'hammer-bot'],
    /** The authenticated user (the fallback assignee). */
    readonly currentUser = 'hammer-bot',
  ) {}

  /** The next `times` calls of `operation` fail with HTTP `status` (Infinity: always). */
  failOn(operation: TrackerOperation, status = 500, times = 1): void {
    this.failures.set(operation, { status, remaining: times });
  }

  ticket(key: string): MemoryTicket {
    const ticket = this.tickets.get(key);
    if (ticket === undefined) throw new Error(`no ticket ${key}`);
    return ticket;
  }

  callsOf(operation: TrackerCall['operation']): TrackerCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  async createTicket(request: TicketRequest): Promise<CreatedTicket> {
    this.calls.push({ operation: 'createTicket', detail: request.summary });
    this.maybeFail('createTicket');
    this.counter += 1;
    const key = `${request.project}-${this.counter}`;
    this.tickets.set(key, { key, request: structuredClone(request), status: 'Open', labels: [...request.labels], comments: [], links: [], assignee: undefined, watchers: [] });
    return { key };
  }

  /** Deletes a ticket (as a person would): later calls about it answer 404. */
  deleteTicket(key: string): void {
    this.tickets.delete(key);
  }

  async findTickets(label: string): Promise<FoundTicket[]> {
    this.calls.push({ operation: 'findTickets', detail: label });
    this.maybeFail('findTickets');
    return [...this.tickets.values()].filter((ticket) => ticket.labels.includes(label)).map((ticket) => ({ key: ticket.key, state: ticket.status === 'Closed' ? 'done' : 'open' }));
  }

  async ticketState(key: string): Promise<TicketState> {
    this.calls.push({ operation: 'ticketState', key });
    this.maybeFail('ticketState');
    const ticket = this.tickets.get(key);
    return ticket === undefined ? 'missing' : ticket.status === 'Closed' ? 'done' : 'open';
  }

  async completeTicket(key: string, request: TicketRequest): Promise<TicketFollowUp> {
    this.calls.push({ operation: 'completeTicket', key });
    const ticket = this.ticket(key);
    for (const other of [request.parentTicket, request.previousTicket]) {
      if (other === undefined) continue;
      this.attempt('link', key, other, () => {
        if (!ticket.links.includes(other)) ticket.links.push(other);
      });
    }
    const candidate = request.owner !== undefined && this.assignableUsers.includes(request.owner) ? request.owner : this.currentUser;
    const assigned = this.attempt('assign', key, candidate, () => {
      ticket.assignee = candidate;
    });
    if (assigned) this.attempt('watch', key, candidate, () => ticket.watchers.push(candidate));
    return { assigneeId: assigned ? candidate : undefined };
  }

  async assignToAuthenticatedUser(key: string): Promise<void> {
    this.calls.push({ operation: 'assignToAuthenticatedUser', key });
    this.maybeFail('assignToAuthenticatedUser');
    this.editableTicket(key, 'assignToAuthenticatedUser').assignee = this.currentUser;
  }

  async addComment(key: string, comment: string): Promise<void> {
    this.calls.push({ operation: 'addComment', key, detail: comment });
    this.maybeFail('addComment');
    this.editableTicket(key, 'addComment').comments.push(comment);
  }

  async addLabel(key: string, label: string): Promise<void> {
    this.calls.push({ operation: 'addLabel', key, detail: label });
    this.maybeFail('addLabel');
    const ticket = this.editableTicket(key, 'addLabel');
    if (!ticket.labels.includes(label)) ticket.labels.push(label);
  }

  async closeTicket(key: string, comment: string): Promise<CloseOutcome> {
    this.calls.push({ operation: 'closeTicket', key, detail: comment });
    this.maybeFail('closeTicket');
    const ticket = this.tickets.get(key);
    if (ticket === undefined) return 'missing';
    if (ticket.status === 'Closed') return 'already-closed';
    ticket.comments.push(comment);
    ticket.status = 'Closed';
    return 'closed';
  }

  ticketUrl(key: string): string {
    return `${this.server}/browse/${key}`;
  }

  /** The ticket, or JIRA's refusal: 404 when it does not exist, 400 when it is Closed (not editable). */
  private editableTicket(key: string, operation: TrackerOperation): MemoryTicket {
    const ticket = this.tickets.get(key);
    if (ticket === undefined) throw new TrackerError(`JIRA answered HTTP 404 to ${operation}: Issue Does Not Exist`, operation, 404);
    if (ticket.status === 'Closed') throw new TrackerError(`JIRA answered HTTP 400 to ${operation}: the ticket is not editable`, operation, 400);
    return ticket;
  }

  /** A best-effort follow-up: true when it worked, false when it failed (as the real client logs and goes on). */
  private attempt(operation: TrackerOperation, key: string, detail: string, effect: () => void): boolean {
    this.calls.push({ operation, key, detail });
    try {
      this.maybeFail(operation);
    } catch {
      return false;
    }
    effect();
    return true;
  }

  private maybeFail(operation: TrackerOperation): void {
    const failure = this.failures.get(operation);
    if (failure === undefined || failure.remaining <= 0) return;
    failure.remaining -= 1;
    throw new TrackerError(`JIRA answered HTTP ${failure.status} to ${operation}`, operation, failure.status);
  }
}
