/**
 * Paces chat.postMessage per Slack channel so that reporting stays under
 * Slack's limit instead of running into it: Slack "generally allows posting
 * one message per second per channel" with "short bursts >1 allowed", and
 * answers 429 with Retry-After past it. A direct message to a user counts
 * against that user's DM channel, so the key is whatever `channel` the post
 * names (`#name`, or the user id).
 *
 * The pacer is a generic cell rate algorithm per channel: up to `burst`
 * messages go at once, then one every `intervalMs`. Each caller reserves its
 * slot synchronously when it asks, so messages to one channel leave in the
 * order they were asked for, whatever the concurrency around them. A 429
 * Slack still sends (another app posting to the channel, the workspace-wide
 * limit) holds the channel for its Retry-After.
 */
import type { Sleep } from '../../library/runtime/sleep.ts';

export interface ChannelPacing {
  /** Messages one channel may take at once before the spacing applies. */
  burst: number;
  /** Spacing of the messages to one channel after the burst, ms. */
  intervalMs: number;
}

/**
 * What reporting sends at most: 3 at once, then one a second per channel.
 * One message under the burst the fake Slack allows (test/fakes/fakeSlackServer.ts
 * SLACK_POST_MESSAGE_LIMIT), so the jitter of a network between the two cannot
 * turn a paced message into a 429.
 */
export const SLACK_CHANNEL_PACING: ChannelPacing = { burst: 3, intervalMs: 1_000 };

export interface ChannelPacerOptions extends Partial<ChannelPacing> {
  /** Milliseconds, any origin (default Date.now). */
  now?: () => number;
  sleep: Sleep;
}

export class ChannelPacer {
  private readonly burst: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  /** Per channel: the time the channel's bucket is empty again (GCRA's theoretical arrival time). */
  private readonly emptyAt = new Map<string, number>();
  /** Total time callers were held, ms (for the run's log line). */
  waitedMs = 0;

  constructor(options: ChannelPacerOptions) {
    this.burst = Math.max(1, Math.floor(options.burst ?? SLACK_CHANNEL_PACING.burst));
    this.intervalMs = Math.max(0, options.intervalMs ?? SLACK_CHANNEL_PACING.intervalMs);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep;
  }

  /** Waits until a message may go to `channel`; resolves with the time waited, ms. */
  async turn(channel: string): Promise<number> {
    const now = this.now();
    const emptyAt = Math.max(this.emptyAt.get(channel) ?? now, now);
    const wait = emptyAt - now - (this.burst - 1) * this.intervalMs;
    this.emptyAt.set(channel, emptyAt + this.intervalMs);
    if (wait <= 0) return 0;
    this.waitedMs += wait;
    await this.sleep(wait);
    return wait;
  }

  /**
   * Slack answered 429 for `channel` with Retry-After `ms`: the message is
   * tried again after that wait (by the Web API client), and the next one
   * waits a further interval after it, with no burst.
   */
  hold(channel: string, ms: number): void {
    const resumeAt = this.now() + Math.max(0, ms);
    const emptyAt = resumeAt + this.burst * this.intervalMs;
    this.emptyAt.set(channel, Math.max(this.emptyAt.get(channel) ?? 0, emptyAt));
  }
}
