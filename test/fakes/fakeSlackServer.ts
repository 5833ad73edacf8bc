/**
 * A loopback server answering like the Slack Web API, for the methods
 * reporting uses: `users.list` (cursor paging through
 * `response_metadata.next_cursor`) and `chat.postMessage`. Bodies may be
 * form-encoded or JSON; the token is checked (Bearer header, or a `token`
 * field as Slack also accepts); HTTP 429 with Retry-After can be injected.
 * Every request is recorded. Slack answers HTTP 200 with `ok: false` for API
 * errors (`not_authed`, `invalid_auth`, `channel_not_found`).
 *
 *   const slack = await startFakeSlack({ token: 'xoxb-test', users: [...], channels: ['#devops'] });
 *   ... config slack.api_url = slack.apiUrl ...
 *   slack.messages  // [{ channel, text, username }]
 *   await slack.stop();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackUser {
  id: string;
  name: string;
  email?: string;
  deleted?: boolean;
}

export interface FakeSlackRequest {
  method: string;
  contentType: string;
  authorization: string | undefined;
  params: Record<string, unknown>;
}

export interface FakeSlackMessage {
  channel: string;
  text: string;
  username: string | undefined;
}

export interface FakeSlackOptions {
  token: string;
  users?: FakeSlackUser[];
  /** Channel names, with the `#`. */
  channels?: string[];
  /** Members per users.list page, whatever `limit` asks (default: `limit`, else 100). */
  pageSize?: number;
}

export interface FakeSlack {
  apiUrl: string;
  requests: FakeSlackRequest[];
  messages: FakeSlackMessage[];
  /** The next `times` calls of `method` answer HTTP 429 with Retry-After `seconds`. */
  rateLimit(method: string, seconds: number, times?: number): void;
  /** The next `times` calls of `method` answer HTTP 200 `{ok: false, error}`. */
  failWith(method: string, error: string, times?: number): void;
  requestsOf(method: string): FakeSlackRequest[];
  stop(): Promise<void>;
}

export async function startFakeSlack(options: FakeSlackOptions): Promise<FakeSlack> {
  const users = options.users ?? [];
  const channels = new Set(options.channels ?? []);
  const requests: FakeSlackRequest[] = [];
  const messages: FakeSlackMessage[] = [];
  const rateLimits = new Map<string, { seconds: number; remaining: number }>();
  const failures = new Map<string, { error: string; remaining: number }>();

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, { ok: false, error: `fake_error: ${String(err)}` }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = url.pathname.replace(/^\/api\//, '');
    const body = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    let params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (contentType.startsWith('application/json')) {
      params = { ...params, ...(body === '' ? {} : (JSON.parse(body) as Record<string, unknown>)) };
    } else if (body !== '') {
      params = { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
    }
    requests.push({ method, contentType, authorization: req.headers.authorization, params });

    const limit = rateLimits.get(method);
    if (limit !== undefined && limit.remaining > 0) {
      limit.remaining -= 1;
      res.setHeader('Retry-After', String(limit.seconds));
      send(res, 429, { ok: false, error: 'ratelimited' });
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof params.token === 'string' ? params.token : undefined);
    if (token === undefined) return send(res, 200, { ok: false, error: 'not_authed' });
    if (token !== options.token) return send(res, 200, { ok: false, error: 'invalid_auth' });
    const failure = failures.get(method);
    if (failure !== undefined && failure.remaining > 0) {
      failure.remaining -= 1;
      return send(res, 200, { ok: false, error: failure.error });
    }

    switch (method) {
      case 'users.list':
        return send(res, 200, usersPage(params));
      case 'chat.postMessage':
        return send(res, 200, postMessage(params));
      default:
        return send(res, 200, { ok: false, error: 'unknown_method' });
    }
  }

  function usersPage(params: Record<string, unknown>): Record<string, unknown> {
    const requested = Number(params.limit);
    const size = options.pageSize ?? (Number.isFinite(requested) && requested > 0 ? requested : 100);
    const cursor = typeof params.cursor === 'string' && params.cursor !== '' ? params.cursor : undefined;
    const start = cursor === undefined ? 0 : Number(Buffer.from(cursor, 'base64').toString('utf8').replace('user:', ''));
    const page = users.slice(start, start + size);
    const next = start + size < users.length ? Buffer.from(`user:${start + size}`).toString('base64') : '';
    return {
      ok: true,
      members: page.map((user) => ({
        id: user.id,
        team_id: 'T0001',
        name: user.name,
        deleted: user.deleted ?? false,
        real_name: user.name,
        profile: { real_name: user.name, display_name: user.name, ...(user.email === undefined ? {} : { email: user.email }) },
        is_bot: false,
      })),
      cache_ts: 1_700_000_000,
      response_metadata: { next_cursor: next },
    };
  }

  function postMessage(params: Record<string, unknown>): Record<string, unknown> {
    const channel = typeof params.channel === 'string' ? params.channel : '';
    const text = typeof params.text === 'string' ? params.text : '';
    if (channel === '') return { ok: false, error: 'channel_not_found' };
    if (text === '') return { ok: false, error: 'no_text' };
    const isUser = users.some((user) => user.id === channel && user.deleted !== true);
    if (!isUser && !channels.has(channel)) return { ok: false, error: 'channel_not_found' };
    messages.push({ channel, text, username: typeof params.username === 'string' ? params.username : undefined });
    return { ok: true, channel: isUser ? `D${channel}` : `C${channel.slice(1).toUpperCase()}`, ts: `1700000000.${String(messages.length).padStart(6, '0')}`, message: { text } };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    requests,
    messages,
    rateLimit: (method, seconds, times = 1) => rateLimits.set(method, { seconds, remaining: times }),
    failWith: (method, error, times = 1) => failures.set(method, { error, remaining: times }),
    requestsOf: (method) => requests.filter((request) => request.method === method),
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
