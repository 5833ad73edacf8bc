/**
 * One JIRA REST call: the URL under `jira.server`, the Authorization header of
 * the credentials (signed per attempt for OAuth), JSON in and out, bounded
 * retries on 429/503 (waiting Retry-After), and failures turned into
 * TrackerError. Nothing here logs or throws request headers: the axios error
 * (which holds them) never leaves this module.
 */
import type { Agent } from 'node:https';
import { isAxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import type { Log } from '../../library/runtime/logger.ts';
import { TrackerError } from '../ticketTracker.ts';
import type { JiraCredentials } from './jiraCredentials.ts';
import { oauthAuthorizationHeader, percentEncode } from './oauth1Signature.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface JiraCall {
  /** The tracker operation, for errors and logs (e.g. "createTicket", "completeTicket.assign"). */
  operation: string;
  /** The ticket the call is about, for errors and logs. */
  ticketKey?: string | undefined;
  method: HttpMethod;
  /** Path under the server, e.g. /rest/api/2/issue. */
  path: string;
  query?: Record<string, string> | undefined;
  /** Sent as JSON (a string is sent as a JSON string). */
  body?: unknown;
}

export interface JiraAnswer<T> {
  status: number;
  data: T;
}

export interface RetryPolicy {
  /** Attempts in all, the first included (default 4). */
  maxAttempts: number;
  /** A Retry-After longer than this is not waited for: the call fails (default 60 s). */
  maxWaitMs: number;
  /** Wait before retry n (1-based) when the answer has no Retry-After: baseDelayMs * 2^(n-1) (default 1 s). */
  baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, maxWaitMs: 60_000, baseDelayMs: 1_000 };

export interface JiraHttpOptions {
  /** jira.server without a trailing slash; may hold a context path (https://host/jira). */
  server: string;
  credentials: JiraCredentials;
  http: AxiosInstance;
  /** Carries the extra CA certificates of jira.ca_bundle; certificates are always verified. */
  httpsAgent: Agent | undefined;
  log: Log;
  retry: RetryPolicy;
  timeoutMs: number;
  sleep(ms: number): Promise<void>;
  /** Milliseconds since the epoch (OAuth timestamps, Retry-After dates). */
  now(): number;
  nonce(): string;
}

/** The cause attached to a TrackerError: what JIRA answered, without the request. */
export class JiraResponseError extends Error {
  override readonly name = 'JiraResponseError';
  constructor(
    message: string,
    readonly status: number | undefined,
    /** The network error code (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, …) when there was no answer. */
    readonly code: string | undefined,
    /** The fields JIRA named in `errors` (e.g. "comment" when a transition screen lacks it). */
    readonly errorFields: readonly string[] = [],
  ) {
    super(message);
  }
}

export class JiraHttp {
  constructor(private readonly options: JiraHttpOptions) {}

  /** `<server>/<path>?<query>`, the query encoded per RFC 3986 (the form OAuth signs). */
  url(path: string, query?: Record<string, string>): string {
    const search = Object.entries(query ?? {})
      .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
      .join('&');
    return `${this.options.server}${path}${search === '' ? '' : `?${search}`}`;
  }

  /** Resolves with a 2xx answer; throws TrackerError otherwise. */
  async call<T>(call: JiraCall): Promise<JiraAnswer<T>> {
    const { retry, log } = this.options;
    const url = this.url(call.path, call.query);
    for (let attempt = 1; ; attempt += 1) {
      const response = await this.send(call, url);
      if (response.status >= 200 && response.status < 300) return { status: response.status, data: response.data as T };

      const wait = retryWaitMs(response, attempt, retry, this.options.now());
      if ((response.status === 429 || response.status === 503) && attempt < retry.maxAttempts && wait !== undefined) {
        log.warn('JIRA asked to retry later; waiting', {
          operation: call.operation,
          ticket_key: call.ticketKey,
          http_status: response.status,
          attempt,
          wait_ms: wait,
        });
        await this.options.sleep(wait);
        continue;
      }
      const problem = answerSummary(response);
      throw new TrackerError(`JIRA ${call.operation}${call.ticketKey ? ` (${call.ticketKey})` : ''}: ${call.method} ${call.path} answered HTTP ${response.status}: ${problem}`, call.operation, response.status, {
        cause: new JiraResponseError(problem, response.status, undefined, errorFields(response.data)),
      });
    }
  }

  private async send(call: JiraCall, url: string): Promise<AxiosResponse> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: this.authorization(call.method, url),
    };
    let data: string | undefined;
    if (call.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      data = JSON.stringify(call.body);
    }
    try {
      return await this.options.http.request({
        method: call.method,
        url,
        headers,
        data,
        // The body is already JSON; axios must not re-encode it.
        transformRequest: [(body: unknown) => body],
        httpsAgent: this.options.httpsAgent,
        timeout: this.options.timeoutMs,
        // A redirect means jira.server is wrong (http -> https, a login page): say so, never follow it with credentials.
        maxRedirects: 0,
        validateStatus: () => true,
      });
    } catch (err: unknown) {
      const code = isAxiosError(err) ? err.code : undefined;
      const reason = err instanceof Error ? err.message : String(err);
      throw new TrackerError(`JIRA ${call.operation}${call.ticketKey ? ` (${call.ticketKey})` : ''}: ${call.method} ${call.path} failed without an answer: ${reason}`, call.operation, undefined, {
        cause: new JiraResponseError(reason, undefined, code),
      });
    }
  }

  private authorization(method: HttpMethod, url: string): string {
    const credentials = this.options.credentials;
    switch (credentials.kind) {
      case 'oauth':
        return oauthAuthorizationHeader(credentials, { method, url, timestamp: Math.floor(this.options.now() / 1000), nonce: this.options.nonce() });
      case 'basic':
        return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
      case 'bearer':
        return `Bearer ${credentials.token}`;
    }
  }
}

/** How long to wait before the next attempt, or undefined when waiting is pointless (too long). */
export function retryWaitMs(response: Pick<AxiosResponse, 'headers'>, attempt: number, retry: RetryPolicy, nowMs: number): number | undefined {
  const header = headerValue(response.headers, 'retry-after');
  let wait: number | undefined;
  if (header !== undefined && header.trim() !== '') {
    const text = header.trim();
    if (/^\d+(\.\d+)?$/.test(text)) wait = Math.ceil(Number(text) * 1000);
    else {
      const date = Date.parse(text);
      if (!Number.isNaN(date)) wait = Math.max(0, date - nowMs);
    }
  }
  wait ??= retry.baseDelayMs * 2 ** (attempt - 1);
  return wait > retry.maxWaitMs ? undefined : wait;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value = (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function errorFields(data: unknown): string[] {
  const errors = typeof data === 'object' && data !== null ? (data as { errors?: unknown }).errors : undefined;
  return typeof errors === 'object' && errors !== null ? Object.keys(errors) : [];
}

/** JIRA's error answer `{errorMessages: [...], errors: {field: message}}` in one line. */
export function answerSummary(response: Pick<AxiosResponse, 'status' | 'data' | 'headers'>): string {
  const parts: string[] = [];
  const data = response.data as unknown;
  if (typeof data === 'object' && data !== null) {
    const { errorMessages, errors } = data as { errorMessages?: unknown; errors?: unknown };
    if (Array.isArray(errorMessages)) parts.push(...errorMessages.filter((message): message is string => typeof message === 'string'));
    if (typeof errors === 'object' && errors !== null) {
      for (const [field, message] of Object.entries(errors)) parts.push(`${field}: ${String(message)}`);
    }
  }
  if (response.status === 401) {
    const problem = /oauth_problem="?([^",]+)/.exec(headerValue(response.headers, 'www-authenticate') ?? '')?.[1];
    parts.push(problem ? `not authenticated (oauth_problem ${problem})` : 'not authenticated: check the JIRA credentials item');
  }
  if (response.status >= 300 && response.status < 400) {
    parts.push(`redirected to ${headerValue(response.headers, 'location') ?? 'another address'}: check jira.server`);
  }
  const text = parts.join('; ') || (typeof data === 'string' && data.trim() !== '' ? 'no JIRA error message (the answer is not JSON)' : 'no JIRA error message');
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
