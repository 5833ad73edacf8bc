/**
 * A loopback server answering like the Slack Web API, for the methods
 * reporting uses: `users.list` (cursor paging through
 * `response_metadata.next_cursor`) and `chat.postMessage`. Bodies may be
 * form-encoded or JSON; the token is checked (Bearer header, or a `token`
 * field as Slack also accepts); HTTP 429 with Retry-After can be injected.
 * Every request is recorded. Slack answers HTTP 200 with `ok: false` for API
 * errors (`not_authed`, `invalid_auth`, `channel_not_found`).
 *
 * With `postMessageLimit` (e.g. SLACK_POST_MESSAGE_LIMIT), chat.postMessage is
 * limited per channel as Slack limits it: a short burst, then one message per
 * interval to each channel (a user id counts as its DM channel); past it, HTTP
 * 429 with `Retry-After` (whole seconds) and `ok: false, error: ratelimited`,
 * the message not posted. Off by default (existing tests post freely).
 * `latencyMs` delays every answer; `clock` is the limit's time (default
 * Date.now), so tests can drive it with virtual time.
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
  /** Enforce a per-channel limit on chat.postMessage (default: none). */
  postMessageLimit?: PostMessageLimit;
  /** Delay of every answer, ms (default 0). */
  latencyMs?: number;
  /** Time of the limit, ms (default Date.now). */
  clock?: () => number;
}

export interface PostMessageLimit {
  /** Messages one channel takes at once. */
  burst: number;
  /** Then one message per interval, ms. */
  intervalMs: number;
}

/**
 * Slack's chat.postMessage limit as this fake models it: "1 per second per
 * channel, short bursts >1 allowed" (Slack publishes no burst size; 4 here).
 */
export const SLACK_POST_MESSAGE_LIMIT: PostMessageLimit = { burst: 4, intervalMs: 1_000 };

/** A chat.postMessage refused for the channel's rate. */
export interface FakeSlackThrottle {
  channel: string;
  retryAfterSeconds: number;
}

export interface FakeSlack {
  apiUrl: string;
  requests: FakeSlackRequest[];
  messages: FakeSlackMessage[];
  /** chat.postMessage calls refused by `postMessageLimit` (429), in order. */
  throttled: FakeSlackThrottle[];
  /** Every HTTP 429 answered (injected by `rateLimit` or by `postMessageLimit`). */
  readonly rateLimitedAnswers: number;
  /** The most requests in progress at once (visible with `latencyMs`). */
  readonly maxConcurrentRequests: number;
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
  const throttled: FakeSlackThrottle[] = [];
  const clock = options.clock ?? Date.now;
  /** Per channel: when its burst is whole again (a generic cell rate algorithm). */
  const channelEmptyAt = new Map<string, number>();
  let rateLimitedAnswers = 0;
  let inFlight = 0;
  let maxConcurrentRequests = 0;

  const server = createServer((req, res) => {
    inFlight += 1;
    maxConcurrentRequests = Math.max(maxConcurrentRequests, inFlight);
    res.once('close', () => {
      inFlight -= 1;
    });
    const latency = options.latencyMs ?? 0;
    void handle(req, res, latency).catch((err: unknown) => send(res, 500, { ok: false, error: `fake_error: ${String(err)}` }));
  });

  /** The wait (ms) before `channel` takes another message, 0 when it takes this one (which is then counted). */
  function channelWait(channel: string, limit: PostMessageLimit): number {
    const now = clock();
    const emptyAt = Math.max(channelEmptyAt.get(channel) ?? now, now);
    const wait = emptyAt - now - (limit.burst - 1) * limit.intervalMs;
    if (wait > 0) return wait;
    channelEmptyAt.set(channel, emptyAt + limit.intervalMs);
    return 0;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, latencyMs: number): Promise<void> {
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
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));

    const limit = rateLimits.get(method);
    if (limit !== undefined && limit.remaining > 0) {
      limit.remaining -= 1;
      rateLimitedAnswers += 1;
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

    const channel = typeof params.channel === 'string' ? params.channel : '';
    if (method === 'chat.postMessage' && options.postMessageLimit !== undefined && channel !== '') {
      const wait = channelWait(channel, options.postMessageLimit);
      if (wait > 0) {
        const retryAfterSeconds = Math.max(1, Math.ceil(wait / 1000));
        throttled.push({ channel, retryAfterSeconds });
        rateLimitedAnswers += 1;
        res.setHeader('Retry-After', String(retryAfterSeconds));
        return send(res, 429, { ok: false, error: 'ratelimited' });
      }
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
    throttled,
    get rateLimitedAnswers() {
      return rateLimitedAnswers;
    },
    get maxConcurrentRequests() {
      return maxConcurrentRequests;
    },
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
