/**
 * The TicketTracker of reporting on JIRA's REST API v2, for Jira
 * Server/Data Center and Jira Cloud. Port of Hammer's JiraOperations /
 * JiraReporting (hammer/library/jiraoperations.py) with its defects fixed:
 * the key is returned as soon as the ticket exists and the follow-ups are
 * best-effort; users by accountId on Cloud; closing by a configured
 * transition or any transition into the done category; atomic label adds;
 * TLS always verified.
 */
import axios, { type AxiosInstance } from 'axios';
import type { JiraConfig } from '../../config/hammerConfig.ts';
import { ConfigError } from '../../config/configError.ts';
import { once } from '../../library/runtime/lambdaRuntime.ts';
import type { Log, LogFields } from '../../library/runtime/logger.ts';
import { isRefusal, TrackerError, type CloseOutcome, type CreatedTicket, type FoundTicket, type TicketFollowUp, type TicketRequest, type TicketState, type TicketTracker } from '../ticketTracker.ts';
import { describeJiraCredentials, type JiraCredentials } from './jiraCredentials.ts';
import { DEFAULT_RETRY_POLICY, JiraHttp, JiraResponseError, type JiraCall, type RetryPolicy } from './jiraHttp.ts';
import { jiraHttpsAgent } from './jiraTlsAgent.ts';
import { assignableSearchQuery, assigneeBody, pickUser, userId, type JiraDeployment, type JiraUser } from './jiraUsers.ts';
import { randomNonce } from './oauth1Signature.ts';

export interface JiraTrackerDeps {
  /** The transport; production: one axios instance per process. */
  http: AxiosInstance;
  sleep(ms: number): Promise<void>;
  /** Milliseconds since the epoch. */
  now(): number;
  /** OAuth nonces. */
  nonce(): string;
}

export interface JiraTrackerOptions {
  /** config.jira: server, close_transition, deployment, ca_bundle. */
  jira: Pick<JiraConfig, 'server' | 'closeTransition' | 'deployment' | 'caBundle'>;
  /** From the credentials table, through parseJiraCredentials. */
  credentials: JiraCredentials;
  /** The config folder (HammerConfig.dir): jira.ca_bundle is relative to it. */
  configDir: string;
  log: Log;
  deps?: Partial<JiraTrackerDeps> | undefined;
  /** Retries on HTTP 429/503 (defaults: 4 attempts, Retry-After up to 60 s, else 1 s, 2 s, 4 s). */
  retry?: Partial<RetryPolicy> | undefined;
  /** Per request (default 30 s). */
  timeoutMs?: number | undefined;
}

const defaultHttp = once(() => axios.create());

const defaultDeps = (): JiraTrackerDeps => ({
  http: defaultHttp(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  nonce: randomNonce,
});

/**
 * A tracker for one reporting run (it caches the deployment type, the
 * authenticated user and the link type for the run). Throws ConfigError when
 * jira.server is missing or jira.ca_bundle cannot be read.
 */
export function createJiraTracker(options: JiraTrackerOptions): JiraTracker {
  return new JiraTracker(options);
}

const API = '/rest/api/2';
const RELATES = 'Relates';
/** Results per search page, and the most pages read (a lifecycle label is on one ticket, rarely a few). */
const SEARCH_PAGE_SIZE = 50;
const SEARCH_MAX_PAGES = 20;

interface SearchIssue {
  key?: string;
  fields?: IssueFields;
}

interface Transition {
  id: string;
  name: string;
  to?: { name?: string; statusCategory?: { key?: string } };
}

interface IssueFields {
  status?: { name?: string; statusCategory?: { key?: string } };
  assignee?: JiraUser | null;
}

interface LinkType {
  name?: string;
  inward?: string;
  outward?: string;
}

type AssigneeSource = 'owner' | 'authenticated user' | 'current assignee';

interface AssigneeChoice {
  id: string;
  source: AssigneeSource;
}

export class JiraTracker implements TicketTracker {
  private readonly server: string;
  private readonly http: JiraHttp;
  private readonly log: Log;
  private readonly closeTransition: string;
  private readonly configuredDeployment: JiraConfig['deployment'];
  private deploymentAnswer: Promise<JiraDeployment> | undefined;
  private myselfAnswer: Promise<JiraUser> | undefined;
  private linkTypeAnswer: Promise<string> | undefined;
  /** Set when /rest/api/2/search answered 410 Gone (a Cloud site configured as server): search /search/jql from then on. */
  private searchGone = false;

  constructor(options: JiraTrackerOptions) {
    const server = options.jira.server?.replace(/\/+$/, '');
    if (!server) throw new ConfigError('config.json', 'jira.server', 'the JIRA base URL, e.g. https://jira.example.com', 'nothing');
    if (!/^https?:\/\//i.test(server)) throw new ConfigError('config.json', 'jira.server', 'an http:// or https:// URL', JSON.stringify(server));
    const deps = { ...defaultDeps(), ...options.deps };
    this.server = server;
    this.log = options.log;
    this.closeTransition = options.jira.closeTransition;
    this.configuredDeployment = options.jira.deployment;
    this.http = new JiraHttp({
      server,
      credentials: options.credentials,
      http: deps.http,
      httpsAgent: jiraHttpsAgent(options.configDir, options.jira.caBundle),
      log: options.log,
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      timeoutMs: options.timeoutMs ?? 30_000,
      sleep: deps.sleep,
      now: deps.now,
      nonce: deps.nonce,
    });
    this.log.debug('JIRA client ready', { jira_server: server, jira_auth: describeJiraCredentials(options.credentials), jira_deployment: options.jira.deployment });
  }

  ticketUrl(key: string): string {
    return `${this.server}/browse/${key}`;
  }

  async createTicket(request: TicketRequest): Promise<CreatedTicket> {
    const operation = 'createTicket';
    const fields = {
      project: { key: request.project },
      summary: request.summary,
      description: request.description,
      issuetype: { name: request.issueType },
      priority: { name: request.priority },
      labels: request.labels,
    };
    const answer = await this.throwing({ operation, method: 'POST', path: `${API}/issue`, body: { fields } }, { project: request.project });
    const key = (answer.data as { key?: unknown } | undefined)?.key;
    if (typeof key !== 'string' || key === '') {
      const err = new TrackerError(`JIRA ${operation}: POST ${API}/issue answered HTTP ${answer.status} without an issue key`, operation, answer.status);
      this.log.error('JIRA request failed', { operation, project: request.project, http_status: answer.status, error_message: err.message });
      throw err;
    }
    this.log.info('created JIRA ticket', { operation, ticket_key: key, project: request.project, ticket_url: this.ticketUrl(key) });
    return { key };
  }

  async findTickets(label: string): Promise<FoundTicket[]> {
    const jql = `labels = "${label.replace(/["\\]/g, (c) => `\\${c}`)}" ORDER BY created ASC`;
    const deployment = await this.deployment();
    let issues: SearchIssue[] | undefined;
    if (deployment === 'server' && !this.searchGone) {
      try {
        issues = await this.searchServer(jql);
      } catch (err: unknown) {
        if (!(err instanceof TrackerError && err.status === 410)) throw err;
        this.searchGone = true;
        this.log.warn('JIRA answers 410 Gone on /rest/api/2/search, as Jira Cloud does: searching /search/jql (set jira.deployment to "cloud")', { operation: 'findTickets', http_status: 410 });
      }
    }
    issues ??= await this.searchCloud(jql);
    const found = issues
      .filter((issue): issue is SearchIssue & { key: string } => typeof issue.key === 'string' && issue.key !== '')
      .map((issue): FoundTicket => ({ key: issue.key, state: issue.fields?.status?.statusCategory?.key === 'done' ? 'done' : 'open' }));
    this.log.info('searched JIRA for the tickets of a label', { operation: 'findTickets', label, found: found.map((ticket) => ticket.key) });
    return found;
  }

  /** Jira Server/Data Center: /rest/api/2/search, paged by startAt. */
  private async searchServer(jql: string): Promise<SearchIssue[]> {
    const issues: SearchIssue[] = [];
    for (let page = 0; page < SEARCH_MAX_PAGES; page += 1) {
      const answer = await this.throwing({ operation: 'findTickets', method: 'GET', path: `${API}/search`, query: { jql, fields: 'status', startAt: String(issues.length), maxResults: String(SEARCH_PAGE_SIZE) } });
      const data = answer.data as { issues?: SearchIssue[]; total?: number } | undefined;
      const batch = Array.isArray(data?.issues) ? data.issues : [];
      issues.push(...batch);
      if (batch.length === 0 || typeof data?.total !== 'number' || issues.length >= data.total) break;
    }
    return issues;
  }

  /**
   * Jira Cloud: /rest/api/2/search/jql, paged by nextPageToken. Eventually
   * consistent; `reconcileIssues` would only help for issue ids already known,
   * and the ticket looked for is the one whose id never reached us, so
   * reporting waits before searching instead (reporting/issueDecision.ts).
   */
  private async searchCloud(jql: string): Promise<SearchIssue[]> {
    const issues: SearchIssue[] = [];
    let token: string | undefined;
    for (let page = 0; page < SEARCH_MAX_PAGES; page += 1) {
      const query: Record<string, string> = { jql, fields: 'status', maxResults: String(SEARCH_PAGE_SIZE), ...(token === undefined ? {} : { nextPageToken: token }) };
      const answer = await this.throwing({ operation: 'findTickets', method: 'GET', path: `${API}/search/jql`, query });
      const data = answer.data as { issues?: SearchIssue[]; nextPageToken?: string | null; isLast?: boolean } | undefined;
      issues.push(...(Array.isArray(data?.issues) ? data.issues : []));
      token = typeof data?.nextPageToken === 'string' && data.nextPageToken !== '' ? data.nextPageToken : undefined;
      if (token === undefined || data?.isLast === true) break;
    }
    return issues;
  }

  async ticketState(key: string): Promise<TicketState> {
    const status = await this.statusOf('ticketState', key);
    return status === 'missing' ? 'missing' : status?.statusCategory?.key === 'done' ? 'done' : 'open';
  }

  /** The ticket's status, or `missing` when JIRA answers 404 (deleted, or not visible to the bot). */
  private async statusOf(operation: string, key: string): Promise<IssueFields['status'] | 'missing'> {
    try {
      const issue = await this.http.call<{ fields?: IssueFields }>({ operation, ticketKey: key, method: 'GET', path: `${API}/issue/${encodeURIComponent(key)}`, query: { fields: 'status' } });
      return issue.data?.fields?.status;
    } catch (err: unknown) {
      if (err instanceof TrackerError && err.status === 404) {
        this.log.warn('JIRA ticket does not exist (deleted, or hidden from the bot)', { operation, ticket_key: key, http_status: 404 });
        return 'missing';
      }
      this.logFailure(err, operation, key);
      throw err;
    }
  }

  async completeTicket(key: string, request: TicketRequest): Promise<TicketFollowUp> {
    for (const [other, role] of [[request.parentTicket, 'parent'], [request.previousTicket, 'previous lifecycle']] as const) {
      if (!other) continue;
      await this.step('completeTicket.link', key, async () => {
        const type = await this.relatesLinkType();
        await this.http.call({ operation: 'completeTicket.link', ticketKey: key, method: 'POST', path: `${API}/issueLink`, body: { type: { name: type }, inwardIssue: { key }, outwardIssue: { key: other } } });
        return `linked to ${other} (${type}, ${role})`;
      });
    }

    const assignee = await this.step('completeTicket.chooseAssignee', key, () => this.chooseAssignee(key, request), (choice) =>
      choice ? `${choice.source} ${choice.id}` : 'nobody assignable and no current assignee',
    );
    if (assignee === undefined || assignee === null) return { assigneeId: undefined };

    let assigneeId: string | undefined = assignee.id;
    if (assignee.source !== 'current assignee') {
      const assigned = await this.step('completeTicket.assign', key, async () => {
        const deployment = await this.deployment();
        await this.http.call({ operation: 'completeTicket.assign', ticketKey: key, method: 'PUT', path: `${API}/issue/${encodeURIComponent(key)}/assignee`, body: assigneeBody(assignee.id, deployment) });
        return `assigned to ${assignee.id}`;
      });
      if (assigned === undefined) assigneeId = undefined;
    }
    await this.step('completeTicket.watch', key, async () => {
      // The body is the user as a JSON string: the name on Server, the accountId on Cloud.
      await this.http.call({ operation: 'completeTicket.watch', ticketKey: key, method: 'POST', path: `${API}/issue/${encodeURIComponent(key)}/watchers`, body: assignee.id });
      return `watcher ${assignee.id} added`;
    });
    return { assigneeId };
  }

  async assignToAuthenticatedUser(key: string): Promise<void> {
    const operation = 'assignToAuthenticatedUser';
    let me: string | undefined;
    let deployment: JiraDeployment;
    try {
      deployment = await this.deployment();
      me = userId(await this.myself(), deployment);
    } catch (err: unknown) {
      this.logFailure(err, operation, key);
      throw err;
    }
    if (me === undefined) throw new TrackerError(`JIRA ${operation} (${key}): the authenticated user has no ${deployment === 'cloud' ? 'accountId' : 'name'}`, operation);
    await this.throwing({ operation, ticketKey: key, method: 'PUT', path: `${API}/issue/${encodeURIComponent(key)}/assignee`, body: assigneeBody(me, deployment) });
    this.log.info('assigned JIRA ticket to the authenticated user', { operation, ticket_key: key });
  }

  async addComment(key: string, comment: string): Promise<void> {
    await this.throwing({ operation: 'addComment', ticketKey: key, method: 'POST', path: `${API}/issue/${encodeURIComponent(key)}/comment`, body: { body: comment } });
    this.log.info('commented on JIRA ticket', { operation: 'addComment', ticket_key: key });
  }

  async addLabel(key: string, label: string): Promise<void> {
    // One atomic update: no read-modify-write of the whole list as Hammer did.
    await this.throwing({ operation: 'addLabel', ticketKey: key, method: 'PUT', path: `${API}/issue/${encodeURIComponent(key)}`, body: { update: { labels: [{ add: label }] } } });
    this.log.info('added label to JIRA ticket', { operation: 'addLabel', ticket_key: key, label });
  }

  async closeTicket(key: string, comment: string): Promise<CloseOutcome> {
    const operation = 'closeTicket';
    const issuePath = `${API}/issue/${encodeURIComponent(key)}`;
    const status = await this.statusOf(operation, key);
    if (status === 'missing') return 'missing';
    if (status?.statusCategory?.key === 'done') {
      this.log.info('JIRA ticket is already closed; left alone', { operation, ticket_key: key, jira_status: status.name });
      return 'already-closed';
    }

    const answer = await this.throwing({ operation, ticketKey: key, method: 'GET', path: `${issuePath}/transitions` });
    const transitions = ((answer.data as { transitions?: Transition[] } | undefined)?.transitions ?? []).filter((t) => typeof t.id === 'string');
    const wanted = this.closeTransition.trim().toLowerCase();
    const transition =
      transitions.find((t) => t.name?.trim().toLowerCase() === wanted) ?? transitions.find((t) => t.to?.statusCategory?.key === 'done');
    if (transition === undefined) {
      const available = transitions.map((t) => JSON.stringify(t.name)).join(', ') || 'none';
      const err = new TrackerError(`JIRA ${operation} (${key}): no transition named ${JSON.stringify(this.closeTransition)} (jira.close_transition) nor any into a done status from ${JSON.stringify(status?.name ?? 'its status')}; available: ${available}`, operation);
      this.log.error('JIRA ticket cannot be closed', { operation, ticket_key: key, jira_status: status?.name, error_message: err.message });
      throw err;
    }

    const transitionPath = `${issuePath}/transitions`;
    try {
      await this.http.call({ operation, ticketKey: key, method: 'POST', path: transitionPath, body: { transition: { id: transition.id }, update: { comment: [{ add: { body: comment } }] } } });
    } catch (err: unknown) {
      // A transition without a screen refuses the comment field: comment first, then transition alone.
      if (!(err instanceof TrackerError && err.status === 400 && commentRefused(err))) {
        this.logFailure(err, operation, key);
        throw err;
      }
      this.log.info('JIRA transition takes no comment; commenting separately', { operation, ticket_key: key, transition: transition.name });
      try {
        await this.addComment(key, comment);
      } catch (commentErr: unknown) {
        // A comment JIRA refuses for good never keeps the ticket open.
        if (!(commentErr instanceof TrackerError && isRefusal(commentErr.status))) throw commentErr;
        this.log.warn('JIRA refused the closing comment; closing the ticket without it', { operation, ticket_key: key, http_status: commentErr.status });
      }
      await this.throwing({ operation, ticketKey: key, method: 'POST', path: transitionPath, body: { transition: { id: transition.id } } });
    }
    this.log.info('closed JIRA ticket', { operation, ticket_key: key, transition: transition.name, jira_status: transition.to?.name });
    return 'closed';
  }

  /**
   * Server or Cloud: jira.deployment, or for "auto" serverInfo's
   * deploymentType, asked once per tracker (run). When serverInfo cannot be
   * read, the shape of /myself decides (Cloud users have an accountId and no name).
   */
  deployment(): Promise<JiraDeployment> {
    if (this.configuredDeployment !== 'auto') return Promise.resolve(this.configuredDeployment);
    this.deploymentAnswer ??= this.detectDeployment().catch((err: unknown) => {
      this.deploymentAnswer = undefined;
      throw err;
    });
    return this.deploymentAnswer;
  }

  private async detectDeployment(): Promise<JiraDeployment> {
    const operation = 'detectDeployment';
    try {
      const info = await this.http.call<{ deploymentType?: string }>({ operation, method: 'GET', path: `${API}/serverInfo` });
      const deployment: JiraDeployment = info.data?.deploymentType?.toLowerCase() === 'cloud' ? 'cloud' : 'server';
      this.log.info('JIRA deployment detected', { operation, jira_deployment: deployment, deployment_type: info.data?.deploymentType });
      return deployment;
    } catch (err: unknown) {
      this.logFailure(err, operation, undefined, 'warn');
      const myself = await this.myself();
      const deployment: JiraDeployment = myself.accountId !== undefined && myself.name === undefined ? 'cloud' : 'server';
      this.log.info('JIRA deployment taken from the authenticated user', { operation, jira_deployment: deployment });
      return deployment;
    }
  }

  /** The authenticated user (GET /myself), once per tracker. */
  private myself(): Promise<JiraUser> {
    this.myselfAnswer ??= this.http.call<JiraUser>({ operation: 'myself', method: 'GET', path: `${API}/myself` }).then(
      (answer) => answer.data,
      (err: unknown) => {
        this.myselfAnswer = undefined;
        throw err;
      },
    );
    return this.myselfAnswer;
  }

  /** The name of the link type "relates to" (Jira's default "Relates"), looked up once. */
  private relatesLinkType(): Promise<string> {
    this.linkTypeAnswer ??= this.http.call<{ issueLinkTypes?: LinkType[] }>({ operation: 'completeTicket.link', method: 'GET', path: `${API}/issueLinkType` }).then(
      (answer) => {
        const types = answer.data?.issueLinkTypes ?? [];
        const same = (value: string | undefined, wanted: string) => value?.trim().toLowerCase() === wanted;
        const found = types.find((t) => same(t.name, 'relates')) ?? types.find((t) => same(t.inward, 'relates to') || same(t.outward, 'relates to'));
        return found?.name ?? RELATES;
      },
      () => RELATES,
    );
    return this.linkTypeAnswer;
  }

  /**
   * Hammer's order: the owner from ticket_owners.json when assignable in the
   * project, else the authenticated user when assignable, else whoever JIRA
   * assigned the ticket to (the project's default assignee). A lookup that
   * fails is logged and the next candidate is tried.
   */
  private async chooseAssignee(key: string, request: TicketRequest): Promise<AssigneeChoice | null> {
    const operation = 'completeTicket.chooseAssignee';
    const deployment = await this.deployment();
    const candidates: Array<[AssigneeSource, () => Promise<string | undefined>]> = [
      ['owner', async () => (request.owner ? this.assignable(key, request.project, request.owner, deployment) : undefined)],
      ['authenticated user', async () => {
        const me = userId(await this.myself(), deployment);
        return me === undefined ? undefined : this.assignable(key, request.project, me, deployment);
      }],
      ['current assignee', async () => {
        const issue = await this.http.call<{ fields?: IssueFields }>({ operation, ticketKey: key, method: 'GET', path: `${API}/issue/${encodeURIComponent(key)}`, query: { fields: 'assignee' } });
        const current = issue.data?.fields?.assignee;
        return current ? userId(current, deployment) : undefined;
      }],
    ];
    for (const [source, find] of candidates) {
      try {
        const id = await find();
        if (id !== undefined) return { id, source };
        if (source === 'owner' && request.owner) {
          this.log.info('JIRA owner is not assignable in the project; trying the authenticated user', { operation, ticket_key: key, project: request.project, owner: request.owner });
        }
      } catch (err: unknown) {
        this.logFailure(err, operation, key, 'warn', { assignee_source: source });
      }
    }
    return null;
  }

  private async assignable(key: string, project: string, wanted: string, deployment: JiraDeployment): Promise<string | undefined> {
    const answer = await this.http.call<JiraUser[]>({ operation: 'completeTicket.chooseAssignee', ticketKey: key, method: 'GET', path: `${API}/user/assignable/search`, query: assignableSearchQuery(project, wanted, deployment) });
    const users = Array.isArray(answer.data) ? answer.data : [];
    const user = pickUser(users, wanted, deployment);
    return user === undefined ? undefined : userId(user, deployment);
  }

  /** A best-effort step: its outcome logged, its failure logged and swallowed (undefined). */
  private async step<T>(operation: string, key: string, run: () => Promise<T>, describe: (result: T) => string = String): Promise<T | undefined> {
    try {
      const result = await run();
      this.log.info(`JIRA ${operation}: ${describe(result)}`, { operation, ticket_key: key });
      return result;
    } catch (err: unknown) {
      this.logFailure(err, operation, key);
      return undefined;
    }
  }

  /** A call whose failure is logged and thrown to the caller. */
  private async throwing(call: JiraCall, fields: LogFields = {}) {
    try {
      return await this.http.call<unknown>(call);
    } catch (err: unknown) {
      this.logFailure(err, call.operation, call.ticketKey, 'error', fields);
      throw err;
    }
  }

  private logFailure(err: unknown, operation: string, key: string | undefined, level: 'warn' | 'error' = 'error', fields: LogFields = {}): void {
    const cause = err instanceof Error ? err.cause : undefined;
    this.log[level]('JIRA request failed', {
      ...fields,
      operation,
      ticket_key: key,
      http_status: err instanceof TrackerError ? err.status : undefined,
      error_code: cause instanceof JiraResponseError ? (cause.code ?? (cause.status === undefined ? undefined : `HTTP${cause.status}`)) : err instanceof Error ? err.name : 'UnknownError',
      // TrackerError messages hold the method, path, status and JIRA's error text, never a header.
      error_message: err instanceof Error ? err.message : String(err),
    });
  }
}

function commentRefused(err: TrackerError): boolean {
  return err.cause instanceof JiraResponseError && err.cause.errorFields.includes('comment');
}
