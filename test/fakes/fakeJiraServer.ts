/**
 * A loopback fake of Jira's REST API v2 (127.0.0.1, a free port), answering
 * the calls reporting makes as Jira Server/Data Center (`flavour: 'server'`:
 * users by `name`/`key`, searches by `username=`) or Jira Cloud
 * (`flavour: 'cloud'`: users by `accountId`, no `name`, searches by `query=`
 * or `accountId=`, serverInfo `deploymentType: "Cloud"`; Cloud refuses
 * `username` and `{name}` as GDPR strict mode does).
 *
 * - Issues live in memory with status and status category, comments, labels,
 *   links, watchers and assignee. Workflows: `classic` (Jira's default: Open,
 *   In Progress, Resolved, Reopened, Closed; "Close Issue" -> Closed, done)
 *   and `simple` (To Do, In Progress, Done; only "Done" reaches done). A
 *   project with `commentOnTransition: false` refuses `update.comment` on a
 *   transition (a transition without a screen).
 * - Every call but serverInfo needs auth: OAuth 1.0a RSA-SHA1 (the signature is
 *   verified against the consumer's public key over the RFC 5849 base string;
 *   nonces are single-use, timestamps within 5 minutes), basic, or bearer;
 *   anything else gets 401 (with `oauth_problem` for OAuth).
 * - Every request is recorded (method, path, query, JSON body, auth kind and
 *   whether it passed) in `requests`.
 * - New issues are validated as Jira does (project, summary, issue type,
 *   labels, text limit, and the priority against `priorities` when given).
 * - `failOn` injects an answer (status N, optionally Retry-After) for
 *   method + path, once, n times or always, before or after the effect; or
 *   no answer at all (`reply: 'drop'` closes the connection, `reply: 'hang'`
 *   never answers), as a lost reply or a killed client sees it.
 * - Statuses that are not editable (the classic workflow's Closed, as Jira's
 *   `jira.issue.editable=false` step property) refuse edits, comments and
 *   assignment with Jira's 400 answers; `deleteIssue` makes every later call
 *   about the issue answer 404 "Issue Does Not Exist".
 * - JQL search, each flavour as the real one: Server/Data Center answers
 *   GET/POST /rest/api/2/search (startAt, maxResults, total); Cloud answers
 *   410 Gone there (and on /rest/api/3/search), as since CHANGE-2046, and
 *   GET/POST /rest/api/{2,3}/search/jql (nextPageToken paging, `isLast`,
 *   only issue ids unless `fields` are asked; an unbounded query is refused).
 *   Cloud's search is eventually consistent: with `searchIndexLagMs`, a new
 *   issue is found only that long after its creation (by `clock`), unless its
 *   id is in `reconcileIssues`. The JQL understood is the subset reporting
 *   uses (`labels = "x"`, `project = X`, joined by AND, `ORDER BY created|key
 *   ASC|DESC`); anything else is answered 400 as a JQL error.
 * - `latencyMs` delays every answer (a real JIRA takes 100-300 ms); the
 *   requests in progress at once are counted, overall and by the project
 *   they are about (`maxConcurrentRequests`, `maxConcurrentByProject`), so a
 *   test can see how many a client sends at once.
 *
 *   const jira = await startFakeJira({ flavour: 'server', users, projects: [{ key: 'AWSSEC' }], credentials });
 *   // … point the client at jira.url …
 *   jira.issue('AWSSEC-1')?.assignee; jira.requestsTo('PUT', /assignee$/);
 *   await jira.stop();
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export type FakeJiraFlavour = 'server' | 'cloud';

export interface FakeJiraUser {
  /** The user name (Server); also the id this fake keeps users by. */
  name: string;
  /** The Cloud account id. */
  accountId: string;
  displayName: string;
  emailAddress?: string;
  active?: boolean;
}

export type FakeJiraWorkflow = 'classic' | 'simple';

export interface FakeJiraProject {
  key: string;
  /** Default `classic`. */
  workflow?: FakeJiraWorkflow;
  /** Names of the users assignable in the project (default: every active user). */
  assignable?: string[];
  /** The project's default assignee (a user name) given to new issues; default none. */
  defaultAssignee?: string;
  /** False: transitions refuse `update.comment` (no screen). Default true. */
  commentOnTransition?: boolean;
}

export type FakeJiraCredential =
  | { kind: 'oauth'; consumerKey: string; publicKey: KeyObject | string; accessToken: string; user: string }
  | { kind: 'basic'; username: string; password: string; user: string }
  | { kind: 'bearer'; token: string; user: string };

export interface FakeJiraOptions {
  flavour: FakeJiraFlavour;
  users: FakeJiraUser[];
  projects: FakeJiraProject[];
  /** Accepted credentials, each acting as one of `users` (by name). */
  credentials: FakeJiraCredential[];
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  tls?: { key: string; cert: string };
  /** Longest description accepted (Jira's text field limit; default 32767). */
  textFieldLimit?: number;
  /**
   * The priority names new issues may have (the site's priority scheme, e.g.
   * SERVER_DEFAULT_PRIORITIES or CLOUD_DEFAULT_PRIORITIES); default: any name.
   */
  priorities?: readonly string[];
  /**
   * Cloud only: how long after its creation a new issue becomes visible to
   * /search/jql (Jira Cloud's search is eventually consistent); default 0.
   */
  searchIndexLagMs?: number;
  /** The fake's clock in ms since the epoch, for the search index lag (default Date.now). */
  clock?: () => number;
  /** Delay of every answer, ms (default 0). */
  latencyMs?: number;
}

/** The default priority scheme of Jira Server/Data Center. */
export const SERVER_DEFAULT_PRIORITIES: readonly string[] = ['Blocker', 'Critical', 'Major', 'Minor', 'Trivial'];
/** The default priority scheme of Jira Cloud: no "Major". */
export const CLOUD_DEFAULT_PRIORITIES: readonly string[] = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];

export type FakeJiraAuthKind = 'oauth' | 'basic' | 'bearer' | 'none';

export interface RecordedJiraRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, undefined when there was none. */
  body: unknown;
  auth: FakeJiraAuthKind;
  /** Whether the credentials were accepted. */
  authenticated: boolean;
  /** The user the credentials act as. */
  user: string | undefined;
  /** Why authentication failed (e.g. the oauth_problem). */
  authProblem: string | undefined;
  /** The injected status, when a failure was injected. */
  injectedStatus: number | undefined;
  /** The raw Authorization header, for assertions on what a client sends. */
  authorization: string | undefined;
}

export interface FakeJiraFailure {
  method: string;
  /** The exact path, or a pattern tested against it. */
  path: string | RegExp;
  status: number;
  /** How many matching requests get it (default 1), or 'always'. */
  times?: number | 'always';
  /** Adds `Retry-After: <seconds>`. */
  retryAfterSeconds?: number;
  /** The answer body (default a Jira error body naming the injected failure). */
  body?: unknown;
  /** True: the request takes effect, then the failure is answered (a lost answer). */
  afterEffect?: boolean;
  /**
   * Instead of answering `status`: 'drop' closes the connection without an
   * answer (the client sees a reset), 'hang' never answers (until `stop`).
   */
  reply?: 'drop' | 'hang';
}

export type FakeStatusCategory = 'new' | 'indeterminate' | 'done';

export interface FakeJiraComment {
  id: string;
  body: string;
  /** User name of the author. */
  author: string;
}

export interface FakeJiraLink {
  type: string;
  inward: string;
  outward: string;
}

export interface FakeJiraIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  description: string;
  issueType: string;
  priority: string | undefined;
  labels: string[];
  status: string;
  statusCategory: FakeStatusCategory;
  /** User name of the assignee. */
  assignee: string | null;
  reporter: string;
  /** User names. */
  watchers: string[];
  comments: FakeJiraComment[];
  links: FakeJiraLink[];
  /** Names of the transitions applied, in order. */
  transitions: string[];
}

export interface FakeJiraIssueInit {
  project: string;
  summary?: string;
  status?: string;
  labels?: string[];
  assignee?: string | null;
}

export interface FakeJira {
  /** Base URL, e.g. http://127.0.0.1:41234 (use as jira.server). */
  readonly url: string;
  readonly requests: RecordedJiraRequest[];
  issue(key: string): FakeJiraIssue | undefined;
  issues(): FakeJiraIssue[];
  /** Puts an issue in place (a parent ticket, a ticket closed by hand). */
  addIssue(init: FakeJiraIssueInit): FakeJiraIssue;
  /** Moves an issue to a status of its project's workflow (as a person would). */
  setStatus(key: string, status: string): void;
  /** Deletes an issue (as a person would): every later call about it answers 404. */
  deleteIssue(key: string): void;
  failOn(failure: FakeJiraFailure): void;
  clearFailures(): void;
  requestsTo(method: string, path: string | RegExp): RecordedJiraRequest[];
  /** The most requests in progress at once. */
  readonly maxConcurrentRequests: number;
  /** By project key: the most requests about that project (its issues, a create in it, its assignable users) in progress at once. */
  readonly maxConcurrentByProject: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

interface WorkflowStatus {
  name: string;
  category: FakeStatusCategory;
  /** False: the step property jira.issue.editable=false (no edit, comment or assignment). */
  editable?: false;
}

interface WorkflowTransition {
  id: string;
  name: string;
  from: string[] | 'any';
  to: string;
}

interface Workflow {
  initial: string;
  statuses: WorkflowStatus[];
  transitions: WorkflowTransition[];
}

const WORKFLOWS: Record<FakeJiraWorkflow, Workflow> = {
  classic: {
    initial: 'Open',
    statuses: [
      { name: 'Open', category: 'new' },
      { name: 'In Progress', category: 'indeterminate' },
      { name: 'Reopened', category: 'new' },
      { name: 'Resolved', category: 'done' },
      { name: 'Closed', category: 'done', editable: false },
    ],
    transitions: [
      { id: '4', name: 'Start Progress', from: ['Open', 'Reopened'], to: 'In Progress' },
      { id: '301', name: 'Stop Progress', from: ['In Progress'], to: 'Open' },
      { id: '5', name: 'Resolve Issue', from: ['Open', 'In Progress', 'Reopened'], to: 'Resolved' },
      { id: '2', name: 'Close Issue', from: ['Open', 'In Progress', 'Reopened'], to: 'Closed' },
      { id: '701', name: 'Close Issue', from: ['Resolved'], to: 'Closed' },
      { id: '3', name: 'Reopen Issue', from: ['Resolved', 'Closed'], to: 'Reopened' },
    ],
  },
  simple: {
    initial: 'To Do',
    statuses: [
      { name: 'To Do', category: 'new' },
      { name: 'In Progress', category: 'indeterminate' },
      { name: 'Done', category: 'done' },
    ],
    transitions: [
      { id: '11', name: 'To Do', from: 'any', to: 'To Do' },
      { id: '21', name: 'In Progress', from: 'any', to: 'In Progress' },
      { id: '31', name: 'Done', from: 'any', to: 'Done' },
    ],
  },
};

const CATEGORIES: Record<FakeStatusCategory, { id: number; key: FakeStatusCategory; name: string; colorName: string }> = {
  new: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, key: 'done', name: 'Done', colorName: 'green' },
};

const LINK_TYPES = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
];

const OAUTH_SKEW_SECONDS = 300;

/** What Jira Cloud answers on the search endpoints it removed (CHANGE-2046). */
export const CLOUD_SEARCH_GONE = {
  errorMessages: ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046'],
  errors: {},
};

/** Jira's answer to an edit of an issue in a status that is not editable: every field named is "not on the screen". */
function notEditableFieldError(field: string): string {
  return `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A parsed JQL query of the subset the fake understands. */
interface JqlQuery {
  labels: string[];
  projects: string[];
  order: { field: 'created' | 'key'; descending: boolean } | undefined;
}

interface Caller {
  user: FakeJiraUser;
}

function jiraError(status: number, messages: string[], errors: Record<string, string> = {}): Reply {
  return { status, body: { errorMessages: messages, errors } };
}

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeJira(options: FakeJiraOptions): Promise<FakeJira> {
  const fake = new FakeJiraServer(options);
  await fake.listen();
  return fake;
}

class FakeJiraServer implements FakeJira {
  readonly requests: RecordedJiraRequest[] = [];
  private readonly server: Server;
  private readonly issuesByKey = new Map<string, FakeJiraIssue>();
  private readonly counters = new Map<string, number>();
  private readonly failures: Array<FakeJiraFailure & { left: number }> = [];
  private readonly usedNonces = new Set<string>();
  private readonly publicKeys = new Map<string, KeyObject>();
  private nextId = 10000;
  private nextCommentId = 20000;
  private baseUrl = '';
  /** When each issue was created, by the fake's clock (for the Cloud search index lag). */
  private readonly createdAt = new Map<string, number>();
  private inFlight = 0;
  private readonly inFlightByProject = new Map<string, number>();
  maxConcurrentRequests = 0;
  readonly maxConcurrentByProject = new Map<string, number>();

  constructor(private readonly options: FakeJiraOptions) {
    for (const credential of options.credentials) {
      if (!options.users.some((user) => user.name === credential.user)) throw new Error(`fake JIRA: credential for unknown user ${credential.user}`);
      if (credential.kind === 'oauth') {
        this.publicKeys.set(credential.consumerKey, typeof credential.publicKey === 'string' ? createPublicKey(credential.publicKey) : credential.publicKey);
      }
    }
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.inFlight += 1;
      this.maxConcurrentRequests = Math.max(this.maxConcurrentRequests, this.inFlight);
      res.once('close', () => {
        this.inFlight -= 1;
      });
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errorMessages: [`fake JIRA crashed: ${err instanceof Error ? err.message : String(err)}`], errors: {} }));
      });
    };
    this.server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
  }

  get url(): string {
    return this.baseUrl;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        const { port } = this.server.address() as AddressInfo;
        this.baseUrl = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }

  issue(key: string): FakeJiraIssue | undefined {
    return this.issuesByKey.get(key);
  }

  issues(): FakeJiraIssue[] {
    return [...this.issuesByKey.values()];
  }

  addIssue(init: FakeJiraIssueInit): FakeJiraIssue {
    const project = this.project(init.project);
    if (project === undefined) throw new Error(`fake JIRA: unknown project ${init.project}`);
    const reporter = this.options.users[0]?.name ?? 'admin';
    const issue = this.newIssue(project, {
      summary: init.summary ?? `Existing issue in ${project.key}`,
      description: '',
      issueType: 'Task',
      priority: undefined,
      labels: init.labels ?? [],
      reporter,
    });
    if (init.assignee !== undefined) issue.assignee = init.assignee;
    if (init.status !== undefined) this.setStatus(issue.key, init.status);
    return issue;
  }

  deleteIssue(key: string): void {
    if (!this.issuesByKey.delete(key)) throw new Error(`fake JIRA: no issue ${key}`);
    for (const issue of this.issuesByKey.values()) issue.links = issue.links.filter((link) => link.inward !== key && link.outward !== key);
  }

  setStatus(key: string, status: string): void {
    const issue = this.issuesByKey.get(key);
    if (issue === undefined) throw new Error(`fake JIRA: no issue ${key}`);
    const found = this.workflow(issue).statuses.find((s) => s.name === status);
    if (found === undefined) throw new Error(`fake JIRA: no status ${status} in the workflow of ${key}`);
    issue.status = found.name;
    issue.statusCategory = found.category;
  }

  failOn(failure: FakeJiraFailure): void {
    this.failures.push({ ...failure, left: failure.times === 'always' ? Number.POSITIVE_INFINITY : (failure.times ?? 1) });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  requestsTo(method: string, path: string | RegExp): RecordedJiraRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  // ---- request handling ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const target = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = target.pathname;
    const query = Object.fromEntries(new URLSearchParams(target.search));
    const authorization = req.headers.authorization;
    const auth = this.authenticate(method, req.url ?? '/', authorization);
    const record: RecordedJiraRequest = {
      method,
      path,
      query,
      body: undefined,
      auth: auth.kind,
      authenticated: auth.caller !== undefined,
      user: auth.caller?.user.name,
      authProblem: auth.problem,
      injectedStatus: undefined,
      authorization,
    };
    this.requests.push(record);

    if (raw.length > 0) {
      try {
        record.body = JSON.parse(raw);
      } catch {
        return send(res, jiraError(400, ['Unexpected character: the body is not JSON']));
      }
    }
    this.countProject(projectOfRequest(path, query, record.body), res);
    const latency = this.options.latencyMs ?? 0;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const anonymousAllowed = method === 'GET' && path === '/rest/api/2/serverInfo';
    if (auth.caller === undefined && !anonymousAllowed) {
      const headers: Record<string, string> = auth.kind === 'oauth' ? { 'WWW-Authenticate': `OAuth realm="${this.baseUrl}", oauth_problem="${auth.problem ?? 'unknown'}"` } : {};
      return send(res, { ...jiraError(401, ['You are not authenticated. Authentication required to perform this operation.']), headers });
    }

    const failure = this.failures.find((f) => f.left > 0 && f.method.toUpperCase() === method && (typeof f.path === 'string' ? f.path === path : f.path.test(path)));
    if (failure !== undefined) {
      failure.left -= 1;
      record.injectedStatus = failure.status;
      if (failure.reply !== undefined) {
        if (failure.afterEffect) this.route(method, path, query, record.body, auth.caller);
        if (failure.reply === 'drop') req.socket.destroy();
        return;
      }
      const injected: Reply = {
        status: failure.status,
        body: failure.body ?? { errorMessages: [`Injected failure ${failure.status} on ${method} ${path}`], errors: {} },
        headers: failure.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(failure.retryAfterSeconds) },
      };
      if (failure.afterEffect) this.route(method, path, query, record.body, auth.caller);
      return send(res, injected);
    }
    send(res, this.route(method, path, query, record.body, auth.caller));
  }

  /** Counts the request as in progress for `project` until its answer is sent. */
  private countProject(project: string | undefined, res: ServerResponse): void {
    if (project === undefined) return;
    const now = (this.inFlightByProject.get(project) ?? 0) + 1;
    this.inFlightByProject.set(project, now);
    this.maxConcurrentByProject.set(project, Math.max(this.maxConcurrentByProject.get(project) ?? 0, now));
    res.once('close', () => this.inFlightByProject.set(project, (this.inFlightByProject.get(project) ?? 1) - 1));
  }

  private route(method: string, path: string, query: Record<string, string>, body: unknown, caller: Caller | undefined): Reply {
    const api = '/rest/api/2';
    if (method === 'GET' && path === `${api}/serverInfo`) return this.serverInfo();
    if (caller === undefined) return jiraError(401, ['You are not authenticated.']);
    if (method === 'GET' && path === `${api}/myself`) return { status: 200, body: this.userJson(caller.user) };
    if (method === 'POST' && path === `${api}/issue`) return this.createIssue(body, caller);
    if (method === 'GET' && path === `${api}/issueLinkType`) return { status: 200, body: { issueLinkTypes: LINK_TYPES.map((t) => ({ ...t, self: `${this.baseUrl}${api}/issueLinkType/${t.id}` })) } };
    if (method === 'POST' && path === `${api}/issueLink`) return this.createLink(body);
    if (method === 'GET' && path === `${api}/user/assignable/search`) return this.assignableSearch(query);
    const search = /^\/rest\/api\/(2|3)\/search(\/jql)?$/.exec(path);
    if (search && (method === 'GET' || method === 'POST')) return this.search(search[1] === '3', search[2] !== undefined, method === 'GET' ? query : body);

    const match = /^\/rest\/api\/2\/issue\/([^/]+)(?:\/(assignee|watchers|comment|transitions))?$/.exec(path);
    if (match) {
      const issue = this.issuesByKey.get(decodeURIComponent(match[1] ?? ''));
      if (issue === undefined) return jiraError(404, ['Issue Does Not Exist']);
      const sub = match[2];
      if (sub === undefined && method === 'GET') return { status: 200, body: this.issueJson(issue, query.fields) };
      if (sub === undefined && method === 'PUT') return this.editable(issue) ? this.editIssue(issue, body) : this.refuseEdit(body);
      if (sub === 'assignee' && method === 'PUT') return this.editable(issue) ? this.assign(issue, body) : jiraError(400, [], { assignee: notEditableFieldError('assignee') });
      if (sub === 'watchers' && method === 'GET') return { status: 200, body: { watchCount: issue.watchers.length, watchers: issue.watchers.map((name) => this.userJson(this.user(name))) } };
      if (sub === 'watchers' && method === 'POST') return this.addWatcher(issue, body);
      if (sub === 'comment' && method === 'GET') return { status: 200, body: { comments: issue.comments.map((c) => this.commentJson(c)), total: issue.comments.length } };
      if (sub === 'comment' && method === 'POST') {
        return this.editable(issue) ? this.addComment(issue, body, caller) : jiraError(400, ['You do not have the permission to comment on this issue.']);
      }
      if (sub === 'transitions' && method === 'GET') return { status: 200, body: { expand: 'transitions', transitions: this.available(issue).map((t) => this.transitionJson(issue, t)) } };
      if (sub === 'transitions' && method === 'POST') return this.transition(issue, body, caller);
      return jiraError(405, [`${method} is not allowed on ${path}`]);
    }
    return jiraError(404, [`null for uri: ${this.baseUrl}${path}`]);
  }

  private serverInfo(): Reply {
    const cloud = this.options.flavour === 'cloud';
    return {
      status: 200,
      body: {
        baseUrl: this.baseUrl,
        version: cloud ? '1001.0.0-SNAPSHOT' : '9.12.2',
        versionNumbers: cloud ? [1001, 0, 0] : [9, 12, 2],
        deploymentType: cloud ? 'Cloud' : 'Server',
        buildNumber: cloud ? 100280 : 9120002,
        serverTitle: 'Jira',
      },
    };
  }

  private createIssue(body: unknown, caller: Caller): Reply {
    const fields = objectAt(body, 'fields');
    if (fields === undefined) return jiraError(400, ['Field "fields" is required.']);
    const projectKey = stringAt(objectAt(fields, 'project'), 'key');
    const project = projectKey === undefined ? undefined : this.project(projectKey);
    const errors: Record<string, string> = {};
    if (project === undefined) errors.project = 'valid project is required';
    const summary = stringAt(fields, 'summary');
    if (summary === undefined || summary.trim() === '') errors.summary = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    const issueType = stringAt(objectAt(fields, 'issuetype'), 'name');
    if (issueType === undefined) errors.issuetype = 'issue type is required';
    const description = fields.description;
    const limit = this.options.textFieldLimit ?? 32767;
    if (description !== undefined && typeof description !== 'string') errors.description = 'Operation value must be a string';
    else if (typeof description === 'string' && description.length > limit) errors.description = `The entered text is too long. It exceeds the allowed limit of ${limit} characters.`;
    const priority = stringAt(objectAt(fields, 'priority'), 'name');
    const priorities = this.options.priorities;
    if (priority !== undefined && priorities !== undefined && !priorities.includes(priority)) errors.priority = "Specify a valid 'id' or 'name' for Priority";
    const labels = fields.labels ?? [];
    if (!Array.isArray(labels) || labels.some((label) => typeof label !== 'string')) errors.labels = 'data was not an array of strings';
    else for (const label of labels as string[]) if (/\s/.test(label)) errors.labels = `The label '${label}' contains spaces which is invalid.`;
    if (Object.keys(errors).length > 0 || project === undefined) return jiraError(400, [], errors);
    const issue = this.newIssue(project, {
      summary: summary ?? '',
      description: typeof description === 'string' ? description : '',
      issueType: issueType ?? 'Task',
      priority,
      labels: [...new Set(labels as string[])],
      reporter: caller.user.name,
    });
    return { status: 201, body: { id: issue.id, key: issue.key, self: `${this.baseUrl}/rest/api/2/issue/${issue.id}` } };
  }

  private newIssue(project: FakeJiraProject, fields: Pick<FakeJiraIssue, 'summary' | 'description' | 'issueType' | 'priority' | 'labels' | 'reporter'>): FakeJiraIssue {
    const number = (this.counters.get(project.key) ?? 0) + 1;
    this.counters.set(project.key, number);
    const workflow = WORKFLOWS[project.workflow ?? 'classic'];
    const initial = workflow.statuses.find((s) => s.name === workflow.initial) ?? { name: workflow.initial, category: 'new' as const };
    const issue: FakeJiraIssue = {
      id: String(this.nextId++),
      key: `${project.key}-${number}`,
      project: project.key,
      ...fields,
      status: initial.name,
      statusCategory: initial.category,
      assignee: project.defaultAssignee ?? null,
      watchers: [fields.reporter],
      comments: [],
      links: [],
      transitions: [],
    };
    this.issuesByKey.set(issue.key, issue);
    this.createdAt.set(issue.key, this.now());
    return issue;
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  private editable(issue: FakeJiraIssue): boolean {
    return this.workflow(issue).statuses.find((s) => s.name === issue.status)?.editable !== false;
  }

  /** An edit of an issue whose status is not editable: Jira names every field the edit sets. */
  private refuseEdit(body: unknown): Reply {
    const fields = [...Object.keys(objectAt(body, 'update') ?? {}), ...Object.keys(objectAt(body, 'fields') ?? {})];
    const errors = Object.fromEntries((fields.length > 0 ? fields : ['summary']).map((field) => [field, notEditableFieldError(field)]));
    return jiraError(400, [], errors);
  }

  /**
   * JQL search. Server: /rest/api/2/search (no v3, no /search/jql). Cloud:
   * 410 on /search, /search/jql on v2 and v3 with nextPageToken paging,
   * eventually consistent.
   */
  private search(v3: boolean, jqlEndpoint: boolean, params: unknown): Reply {
    const cloud = this.options.flavour === 'cloud';
    const path = `/rest/api/${v3 ? 3 : 2}/search${jqlEndpoint ? '/jql' : ''}`;
    if (!cloud && (v3 || jqlEndpoint)) return jiraError(404, [`null for uri: ${this.baseUrl}${path}`]);
    if (cloud && !jqlEndpoint) return { status: 410, body: CLOUD_SEARCH_GONE };
    const input = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
    const jqlText = typeof input.jql === 'string' ? input.jql : '';
    const parsed = parseJql(jqlText);
    if (typeof parsed === 'string') return jiraError(400, [parsed]);
    if (cloud && parsed.labels.length === 0 && parsed.projects.length === 0) {
      return jiraError(400, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
    }
    const maxResults = Math.min(Number(input.maxResults ?? 50) || 50, cloud ? 5000 : 1000);
    const fieldsParam = Array.isArray(input.fields) ? input.fields.join(',') : typeof input.fields === 'string' ? input.fields : undefined;
    const reconcile = new Set((Array.isArray(input.reconcileIssues) ? input.reconcileIssues : typeof input.reconcileIssues === 'string' ? input.reconcileIssues.split(',') : []).map((id) => String(id).trim()));
    const lag = cloud ? (this.options.searchIndexLagMs ?? 0) : 0;
    const now = this.now();
    let matches = [...this.issuesByKey.values()].filter((issue) =>
      parsed.labels.every((label) => issue.labels.some((l) => l.toLowerCase() === label.toLowerCase())) &&
      (parsed.projects.length === 0 || parsed.projects.some((p) => p.toLowerCase() === issue.project.toLowerCase())) &&
      (reconcile.has(issue.id) || (this.createdAt.get(issue.key) ?? 0) + lag <= now));
    if (parsed.order !== undefined) {
      const { field, descending } = parsed.order;
      matches.sort((a, b) => (field === 'key' ? a.key.localeCompare(b.key, 'en', { numeric: true }) : Number(a.id) - Number(b.id)) * (descending ? -1 : 1));
    }
    const json = (issue: FakeJiraIssue) => (cloud && fieldsParam === undefined ? { id: issue.id } : { expand: 'operations,versionedRepresentations,editmeta,changelog,renderedFields', ...this.issueJson(issue, fieldsParam) });
    if (cloud) {
      const token = typeof input.nextPageToken === 'string' ? input.nextPageToken : undefined;
      const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64').toString('utf8').replace(/^page:/, ''));
      if (!Number.isInteger(start) || start < 0) return jiraError(400, ['The provided next page token is invalid or expired.']);
      matches = matches.slice(start);
      const page = matches.slice(0, maxResults);
      const isLast = matches.length <= maxResults;
      return { status: 200, body: { issues: page.map(json), isLast, ...(isLast ? {} : { nextPageToken: Buffer.from(`page:${start + maxResults}`).toString('base64') }) } };
    }
    const startAt = Number(input.startAt ?? 0) || 0;
    return { status: 200, body: { expand: 'schema,names', startAt, maxResults, total: matches.length, issues: matches.slice(startAt, startAt + maxResults).map(json) } };
  }

  private editIssue(issue: FakeJiraIssue, body: unknown): Reply {
    const update = objectAt(body, 'update');
    const fields = objectAt(body, 'fields');
    if (update === undefined && fields === undefined) return jiraError(400, ['Nothing to update: give "update" or "fields".']);
    const labels = [...issue.labels];
    if (fields?.labels !== undefined) {
      if (!Array.isArray(fields.labels) || fields.labels.some((l) => typeof l !== 'string')) return jiraError(400, [], { labels: 'data was not an array of strings' });
      labels.splice(0, labels.length, ...(fields.labels as string[]));
    }
    const operations = update?.labels;
    if (operations !== undefined) {
      if (!Array.isArray(operations)) return jiraError(400, [], { labels: 'update operations must be an array' });
      for (const operation of operations) {
        const add = stringAt(operation, 'add');
        const remove = stringAt(operation, 'remove');
        const set = objectFieldArray(operation, 'set');
        if (add !== undefined) {
          if (/\s/.test(add)) return jiraError(400, [], { labels: `The label '${add}' contains spaces which is invalid.` });
          if (!labels.includes(add)) labels.push(add);
        } else if (remove !== undefined) {
          const at = labels.indexOf(remove);
          if (at >= 0) labels.splice(at, 1);
        } else if (set !== undefined) {
          labels.splice(0, labels.length, ...set);
        } else return jiraError(400, [], { labels: 'unknown update operation' });
      }
    }
    issue.labels = labels;
    const summary = fields === undefined ? undefined : stringAt(fields, 'summary');
    if (summary !== undefined) issue.summary = summary;
    return { status: 204 };
  }

  private assign(issue: FakeJiraIssue, body: unknown): Reply {
    const cloud = this.options.flavour === 'cloud';
    if (typeof body !== 'object' || body === null) return jiraError(400, ['The request body must be a user.']);
    const map = body as Record<string, unknown>;
    if (cloud && 'name' in map) return jiraError(400, ["'name' is not supported in GDPR strict mode. Use 'accountId' instead."]);
    const field = cloud ? 'accountId' : 'name';
    if (!(field in map)) return jiraError(400, [], { assignee: `Specify the assignee by ${field}.` });
    const wanted = map[field];
    if (wanted === null) {
      issue.assignee = null;
      return { status: 204 };
    }
    const user = typeof wanted === 'string' ? this.findUser(wanted) : undefined;
    if (user === undefined || !this.assignableIn(issue.project).includes(user)) {
      return jiraError(400, [], { assignee: `User '${String(wanted)}' cannot be assigned issues.` });
    }
    issue.assignee = user.name;
    return { status: 204 };
  }

  private addWatcher(issue: FakeJiraIssue, body: unknown): Reply {
    if (typeof body !== 'string') return jiraError(400, ['The body must be the user as a JSON string.']);
    const user = this.findUser(body);
    if (user === undefined) return jiraError(404, [`The user "${body}" does not exist.`]);
    if (!issue.watchers.includes(user.name)) issue.watchers.push(user.name);
    return { status: 204 };
  }

  private addComment(issue: FakeJiraIssue, body: unknown, caller: Caller): Reply {
    const text = stringAt(body, 'body');
    if (text === undefined || text.trim() === '') return jiraError(400, [], { comment: 'Comment body can not be empty!' });
    const comment: FakeJiraComment = { id: String(this.nextCommentId++), body: text, author: caller.user.name };
    issue.comments.push(comment);
    return { status: 201, body: this.commentJson(comment) };
  }

  private transition(issue: FakeJiraIssue, body: unknown, caller: Caller): Reply {
    const id = stringAt(objectAt(body, 'transition'), 'id');
    const transition = this.available(issue).find((t) => t.id === id);
    if (transition === undefined) return jiraError(400, [`Transition id '${String(id)}' is not valid for this issue.`]);
    const comments = objectAt(body, 'update')?.comment;
    const texts: string[] = [];
    if (comments !== undefined) {
      if (this.project(issue.project)?.commentOnTransition === false) {
        return jiraError(400, [], { comment: "Field 'comment' cannot be set. It is not on the appropriate screen, or unknown." });
      }
      if (!Array.isArray(comments)) return jiraError(400, [], { comment: 'update operations must be an array' });
      for (const operation of comments) {
        const text = stringAt(objectAt(operation, 'add'), 'body');
        if (text === undefined) return jiraError(400, [], { comment: 'unknown update operation' });
        texts.push(text);
      }
    }
    for (const text of texts) issue.comments.push({ id: String(this.nextCommentId++), body: text, author: caller.user.name });
    this.setStatus(issue.key, transition.to);
    issue.transitions.push(transition.name);
    return { status: 204 };
  }

  private createLink(body: unknown): Reply {
    const type = objectAt(body, 'type');
    const typeName = stringAt(type, 'name');
    const typeId = stringAt(type, 'id');
    const linkType = LINK_TYPES.find((t) => (typeName !== undefined && t.name === typeName) || (typeId !== undefined && t.id === typeId));
    if (linkType === undefined) return jiraError(404, [`No issue link type with name '${String(typeName ?? typeId)}' found.`]);
    const inward = this.issuesByKey.get(stringAt(objectAt(body, 'inwardIssue'), 'key') ?? '');
    const outward = this.issuesByKey.get(stringAt(objectAt(body, 'outwardIssue'), 'key') ?? '');
    if (inward === undefined || outward === undefined) return jiraError(404, ['Issue Does Not Exist']);
    const link: FakeJiraLink = { type: linkType.name, inward: inward.key, outward: outward.key };
    inward.links.push(link);
    if (outward !== inward) outward.links.push(link);
    return { status: 201 };
  }

  private assignableSearch(query: Record<string, string>): Reply {
    const cloud = this.options.flavour === 'cloud';
    const projectKey = query.project;
    if (projectKey === undefined) return jiraError(400, ['One of the parameters issueKey or project is required.']);
    if (this.project(projectKey) === undefined) return jiraError(400, [`No project could be found with key '${projectKey}'.`]);
    let users = this.assignableIn(projectKey);
    if (cloud) {
      if (query.username !== undefined) return jiraError(400, ["The query parameter 'username' is not supported in GDPR strict mode."]);
      if (query.accountId !== undefined) users = users.filter((u) => u.accountId === query.accountId);
      else if (query.query !== undefined) users = users.filter((u) => matchesPrefix(u, query.query ?? '', false));
    } else {
      if (query.username === undefined) return jiraError(400, ['The username query parameter was not provided']);
      users = users.filter((u) => matchesPrefix(u, query.username ?? '', true));
    }
    const max = Number(query.maxResults ?? '50');
    return { status: 200, body: users.slice(0, Number.isFinite(max) ? max : 50).map((u) => this.userJson(u)) };
  }

  // ---- state helpers ----

  private project(key: string): FakeJiraProject | undefined {
    return this.options.projects.find((p) => p.key === key);
  }

  private workflow(issue: FakeJiraIssue): Workflow {
    return WORKFLOWS[this.project(issue.project)?.workflow ?? 'classic'];
  }

  private available(issue: FakeJiraIssue): WorkflowTransition[] {
    return this.workflow(issue).transitions.filter((t) => (t.from === 'any' ? t.to !== issue.status : t.from.includes(issue.status)));
  }

  private assignableIn(projectKey: string): FakeJiraUser[] {
    const names = this.project(projectKey)?.assignable;
    return this.options.users.filter((u) => u.active !== false && (names === undefined || names.includes(u.name)));
  }

  /** A user by the id the flavour uses (name on Server, accountId on Cloud). */
  private findUser(id: string): FakeJiraUser | undefined {
    return this.options.users.find((u) => (this.options.flavour === 'cloud' ? u.accountId === id : u.name === id));
  }

  private user(name: string): FakeJiraUser {
    return this.options.users.find((u) => u.name === name) ?? { name, accountId: name, displayName: name };
  }

  // ---- JSON shapes ----

  private userJson(user: FakeJiraUser): Record<string, unknown> {
    const common = { displayName: user.displayName, active: user.active !== false, timeZone: 'UTC', ...(user.emailAddress ? { emailAddress: user.emailAddress } : {}) };
    if (this.options.flavour === 'cloud') {
      return { self: `${this.baseUrl}/rest/api/2/user?accountId=${user.accountId}`, accountId: user.accountId, accountType: 'atlassian', ...common };
    }
    return { self: `${this.baseUrl}/rest/api/2/user?username=${user.name}`, key: user.name.toLowerCase(), name: user.name, ...common };
  }

  private statusJson(name: string, category: FakeStatusCategory): Record<string, unknown> {
    return { name, id: String(name.length + 1), statusCategory: CATEGORIES[category] };
  }

  private transitionJson(issue: FakeJiraIssue, transition: WorkflowTransition): Record<string, unknown> {
    const to = this.workflow(issue).statuses.find((s) => s.name === transition.to);
    return { id: transition.id, name: transition.name, to: this.statusJson(transition.to, to?.category ?? 'new'), hasScreen: this.project(issue.project)?.commentOnTransition !== false };
  }

  private commentJson(comment: FakeJiraComment): Record<string, unknown> {
    return { id: comment.id, body: comment.body, author: this.userJson(this.user(comment.author)) };
  }

  private issueJson(issue: FakeJiraIssue, fieldsParam: string | undefined): Record<string, unknown> {
    const all: Record<string, unknown> = {
      summary: issue.summary,
      description: issue.description,
      project: { key: issue.project },
      issuetype: { name: issue.issueType },
      priority: issue.priority === undefined ? null : { name: issue.priority },
      labels: issue.labels,
      status: this.statusJson(issue.status, issue.statusCategory),
      assignee: issue.assignee === null ? null : this.userJson(this.user(issue.assignee)),
      reporter: this.userJson(this.user(issue.reporter)),
      comment: { comments: issue.comments.map((c) => this.commentJson(c)), total: issue.comments.length },
      issuelinks: issue.links.map((l) => ({ type: { name: l.type }, inwardIssue: { key: l.inward }, outwardIssue: { key: l.outward } })),
      watches: { watchCount: issue.watchers.length },
    };
    const wanted = fieldsParam === undefined || fieldsParam === '*all' ? undefined : fieldsParam.split(',').map((f) => f.trim());
    const fields = wanted === undefined ? all : Object.fromEntries(Object.entries(all).filter(([name]) => wanted.includes(name)));
    return { id: issue.id, key: issue.key, self: `${this.baseUrl}/rest/api/2/issue/${issue.id}`, fields };
  }

  // ---- auth ----

  private authenticate(method: string, rawUrl: string, header: string | undefined): { kind: FakeJiraAuthKind; caller?: Caller; problem?: string } {
    if (header === undefined || header === '') return { kind: 'none', problem: 'no Authorization header' };
    const [scheme = '', ...rest] = header.split(' ');
    const value = rest.join(' ');
    const credentials = this.options.credentials;
    switch (scheme.toLowerCase()) {
      case 'basic': {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const at = decoded.indexOf(':');
        const found = credentials.find((c) => c.kind === 'basic' && c.username === decoded.slice(0, at) && c.password === decoded.slice(at + 1));
        return found ? { kind: 'basic', caller: { user: this.user(found.user) } } : { kind: 'basic', problem: 'wrong user name or password' };
      }
      case 'bearer': {
        const found = credentials.find((c) => c.kind === 'bearer' && c.token === value);
        return found ? { kind: 'bearer', caller: { user: this.user(found.user) } } : { kind: 'bearer', problem: 'unknown token' };
      }
      case 'oauth': {
        const problem = this.verifyOAuth(method, rawUrl, value);
        if (typeof problem === 'string') return { kind: 'oauth', problem };
        return { kind: 'oauth', caller: { user: this.user(problem.user) } };
      }
      default:
        return { kind: 'none', problem: `unknown scheme ${scheme}` };
    }
  }

  /** Checks an OAuth 1.0a RSA-SHA1 header; returns the credential or the oauth_problem. */
  private verifyOAuth(method: string, rawUrl: string, value: string): { user: string } | string {
    const params = new Map<string, string>();
    for (const match of value.matchAll(/([A-Za-z0-9_]+)="([^"]*)"/g)) params.set(match[1] ?? '', decodeURIComponent(match[2] ?? ''));
    if (params.get('oauth_signature_method') !== 'RSA-SHA1') return 'signature_method_rejected';
    const consumerKey = params.get('oauth_consumer_key') ?? '';
    const credential = this.options.credentials.find((c) => c.kind === 'oauth' && c.consumerKey === consumerKey);
    const publicKey = this.publicKeys.get(consumerKey);
    if (credential === undefined || credential.kind !== 'oauth' || publicKey === undefined) return 'consumer_key_unknown';
    if (params.get('oauth_token') !== credential.accessToken) return 'token_rejected';
    const timestamp = Number(params.get('oauth_timestamp'));
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > OAUTH_SKEW_SECONDS) return 'timestamp_refused';
    const nonce = params.get('oauth_nonce') ?? '';
    if (nonce === '' || this.usedNonces.has(`${consumerKey}:${nonce}`)) return 'nonce_used';
    const signature = params.get('oauth_signature') ?? '';
    const base = oauthBaseString(method, `${this.baseUrl}${rawUrl}`, params);
    if (!verify('sha1', Buffer.from(base, 'utf8'), publicKey, Buffer.from(signature, 'base64'))) return 'signature_invalid';
    this.usedNonces.add(`${consumerKey}:${nonce}`);
    return { user: credential.user };
  }
}

/**
 * The RFC 5849 signature base string, written apart from the client's
 * (URLSearchParams for the query, encodeURIComponent for encoding) so that
 * the two check each other.
 */
function oauthBaseString(method: string, url: string, oauthParams: Map<string, string>): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const parsed = new URL(url);
  const pairs: Array<[string, string]> = [...new URLSearchParams(parsed.search).entries()];
  for (const [name, value] of oauthParams) if (name !== 'oauth_signature' && name !== 'realm') pairs.push([name, value]);
  const encoded = pairs
    .map(([n, v]) => [encode(n), encode(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1))
    .map(([n, v]) => `${n}=${v}`);
  const origin = `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}`;
  return `${method.toUpperCase()}&${encode(`${origin}${parsed.pathname}`)}&${encode(encoded.join('&'))}`;
}

/**
 * The JQL subset the fake understands: clauses `labels = "x"` / `labels = x`
 * and `project = "X"` joined by AND, then `ORDER BY created|key [ASC|DESC]`.
 * Returns Jira's JQL error text for anything else.
 */
function parseJql(jql: string): JqlQuery | string {
  const query: JqlQuery = { labels: [], projects: [], order: undefined };
  const [where = '', orderBy] = jql.split(/\s+ORDER\s+BY\s+|^ORDER\s+BY\s+/i);
  if (orderBy !== undefined) {
    const order = /^(created|key)(?:\s+(ASC|DESC))?\s*$/i.exec(orderBy.trim());
    if (!order) return `Error in the JQL Query: the fake JIRA cannot order by '${orderBy.trim()}'.`;
    query.order = { field: (order[1] ?? 'created').toLowerCase() as 'created' | 'key', descending: (order[2] ?? 'ASC').toUpperCase() === 'DESC' };
  }
  if (where.trim() === '') return query;
  for (const clause of where.split(/\s+AND\s+/i)) {
    const match = /^\s*(labels|project)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_.-]+))\s*$/i.exec(clause);
    if (!match) return `Error in the JQL Query: the fake JIRA does not understand '${clause.trim()}'.`;
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    if ((match[1] ?? '').toLowerCase() === 'labels') query.labels.push(value);
    else query.projects.push(value);
  }
  return query;
}

function matchesPrefix(user: FakeJiraUser, text: string, server: boolean): boolean {
  const wanted = text.toLowerCase();
  const words = user.displayName.toLowerCase().split(/\s+/);
  return (
    (server && user.name.toLowerCase().startsWith(wanted)) ||
    user.displayName.toLowerCase().startsWith(wanted) ||
    words.some((w) => w.startsWith(wanted)) ||
    (user.emailAddress ?? '').toLowerCase().startsWith(wanted)
  );
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const child = (value as Record<string, unknown>)[key];
  return typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Record<string, unknown>) : undefined;
}

function stringAt(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const child = (value as Record<string, unknown>)[key];
  return typeof child === 'string' ? child : undefined;
}

function objectFieldArray(value: unknown, key: string): string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const child = (value as Record<string, unknown>)[key];
  return Array.isArray(child) && child.every((c) => typeof c === 'string') ? (child as string[]) : undefined;
}

/** The project a request is about: the issue key in the path, a create's project, a link's new issue, an assignable search's project. */
function projectOfRequest(path: string, query: Record<string, string>, body: unknown): string | undefined {
  const key = /^\/rest\/api\/2\/issue\/([A-Z][A-Z0-9_]*)-\d+/.exec(path)?.[1];
  if (key !== undefined) return key;
  const created = stringAt(objectAt(objectAt(body, 'fields'), 'project'), 'key');
  if (created !== undefined) return created;
  const linked = stringAt(objectAt(body, 'inwardIssue'), 'key');
  if (linked !== undefined) return /^([A-Z][A-Z0-9_]*)-\d+$/.exec(linked)?.[1];
  return query.project;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let text = '';
  if (reply.body !== undefined) {
    headers['Content-Type'] = 'application/json;charset=UTF-8';
    text = JSON.stringify(reply.body);
  }
  res.writeHead(reply.status, headers);
  res.end(text);
}
