/**
 * The few Slack Web API calls reporting makes (users.list, chat.postMessage),
 * over axios at `slack.api_url`, with the bot token as a Bearer header.
 * HTTP 429 answers carry `Retry-After` (seconds): the call waits that long and
 * tries again, a bounded number of times; listeners (the notifier's channel
 * pacer) hear of every 429.
 */
import axios, { type AxiosInstance } from 'axios';

export type Sleep = (milliseconds: number) => Promise<void>;

export const realSleep: Sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export interface SlackWebApiOptions {
  /** slack.api_url, e.g. https://slack.com/api (no trailing slash). */
  apiUrl: string;
  /** The bot token (credentials table, service "slack", credentials.api_token). */
  token: string;
  sleep?: Sleep;
  /** Retries after a 429 before giving up on the call (default 3). */
  maxRateLimitRetries?: number;
  /** A Retry-After longer than this gives up on the call instead of waiting (default 60 s). */
  maxRetryAfterSeconds?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

/** A Slack answer: `ok` plus the method's fields. */
export interface SlackResponse {
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}

/**
 * A Slack call that did not succeed. `errorCode` is Slack's `error` (e.g.
 * `channel_not_found`, `ratelimited`), `http_<status>` or the network error
 * code. It never carries the request (whose headers hold the token).
 */
export class SlackApiError extends Error {
  override readonly name = 'SlackApiError';
  constructor(message: string, readonly method: string, readonly errorCode: string, readonly status?: number) {
    super(message);
  }
}

export type SlackParams = Record<string, string | number | undefined>;

/** Told of every HTTP 429: the method, its parameters and the Retry-After, ms. */
export type RateLimitListener = (method: string, params: SlackParams, retryAfterMs: number) => void;

export class SlackWebApi {
  private readonly http: AxiosInstance;
  /** How this client waits (Retry-After); the notifier's pacer waits the same way. */
  readonly sleep: Sleep;
  private readonly maxRateLimitRetries: number;
  private readonly maxRetryAfterSeconds: number;
  private readonly rateLimitListeners: RateLimitListener[] = [];
  /** HTTP 429 answers received so far. */
  rateLimitedResponses = 0;

  constructor(options: SlackWebApiOptions) {
    this.http = axios.create({
      baseURL: options.apiUrl,
      timeout: options.timeoutMs ?? 10_000,
      headers: { Authorization: `Bearer ${options.token}` },
      // Statuses are handled here (429 in particular), not thrown by axios.
      validateStatus: () => true,
    });
    this.sleep = options.sleep ?? realSleep;
    this.maxRateLimitRetries = options.maxRateLimitRetries ?? 3;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 60;
  }

  onRateLimited(listener: RateLimitListener): void {
    this.rateLimitListeners.push(listener);
  }

  /**
   * Calls one API method. `form` sends application/x-www-form-urlencoded (read
   * methods such as users.list take only that); `json` sends a JSON body
   * (write methods such as chat.postMessage). Throws SlackApiError.
   */
  async call(method: string, params: SlackParams, encoding: 'form' | 'json'): Promise<SlackResponse> {
    const defined = Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
    const body = encoding === 'json'
      ? JSON.stringify(Object.fromEntries(defined))
      : new URLSearchParams(defined.map(([key, value]): [string, string] => [key, String(value)])).toString();
    const contentType = encoding === 'json' ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded';

    for (let retry = 0; ; retry += 1) {
      let response;
      try {
        response = await this.http.post<unknown>(`/${method}`, body, { headers: { 'Content-Type': contentType }, responseType: 'json' });
      } catch (err: unknown) {
        const code = (err as { code?: unknown }).code;
        const reason = err instanceof Error ? err.message : String(err);
        throw new SlackApiError(`Slack ${method} failed: ${reason}`, method, typeof code === 'string' ? code : 'network_error');
      }
      if (response.status === 429) {
        const retryAfter = retryAfterSeconds(response.headers['retry-after']);
        this.rateLimitedResponses += 1;
        for (const listener of this.rateLimitListeners) listener(method, params, retryAfter * 1000);
        if (retry >= this.maxRateLimitRetries || retryAfter > this.maxRetryAfterSeconds) {
          throw new SlackApiError(`Slack ${method} still rate limited after ${retry} retries (Retry-After ${retryAfter} s)`, method, 'ratelimited', 429);
        }
        await this.sleep(retryAfter * 1000);
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        throw new SlackApiError(`Slack ${method} answered HTTP ${response.status}`, method, `http_${response.status}`, response.status);
      }
      const answer = response.data;
      if (typeof answer !== 'object' || answer === null || typeof (answer as { ok?: unknown }).ok !== 'boolean') {
        throw new SlackApiError(`Slack ${method} answered something that is not a Slack API response`, method, 'invalid_response', response.status);
      }
      const slack = answer as SlackResponse;
      if (!slack.ok) {
        const error = typeof slack.error === 'string' ? slack.error : 'unknown_error';
        throw new SlackApiError(`Slack ${method} answered ok: false (${error})`, method, error, response.status);
      }
      return slack;
    }
  }
}

/** Retry-After in seconds (Slack sends an integer); 1 when missing or unreadable. */
function retryAfterSeconds(header: unknown): number {
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(value) && value >= 0 ? value : 1;
}
