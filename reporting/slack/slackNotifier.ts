/**
 * Sends reporting's messages to the Slack owners of an issue: `#channel`
 * owners are posted to the channel, user names and e-mails are resolved to a
 * user id (users.list) and messaged by id. Messages are posted as `hammer`.
 * A failing message is logged and never stops the run. Messages are paced
 * per channel (channelPacer.ts: Slack's one message a second per channel,
 * with a short burst), so concurrent reports queue for a busy channel
 * instead of being refused with 429.
 */
import type { Log, LogFields } from '../../library/runtime/logger.ts';
import { ChannelPacer, type ChannelPacing } from './channelPacer.ts';
import { SlackUserDirectory } from './slackUserDirectory.ts';
import { SlackApiError, SlackWebApi, type SlackWebApiOptions } from './slackWebApi.ts';

/** The user name Hammer posts as (needs the chat:write.customize scope). */
export const SLACK_USERNAME = 'hammer';

/** What reporting needs of Slack. */
export interface Notifier {
  /** Posts `text` to each owner; never throws. Resolves with the number of messages delivered. */
  notifyOwners(owners: readonly string[], text: string, fields?: LogFields): Promise<number>;
}

export interface SlackNotifierOptions extends SlackWebApiOptions {
  /** Per-channel pacing (default SLACK_CHANNEL_PACING) and its clock (default Date.now); waits use `sleep`. */
  pacing?: Partial<ChannelPacing> & { now?: () => number };
}

export class SlackNotifier implements Notifier {
  private readonly users: SlackUserDirectory;
  private readonly warnedUnknown = new Set<string>();
  readonly pacer: ChannelPacer;

  constructor(
    private readonly api: SlackWebApi,
    private readonly log: Log,
    users?: SlackUserDirectory,
    /** Default: SLACK_CHANNEL_PACING, waiting with the Web API client's sleep. */
    pacer?: ChannelPacer,
  ) {
    this.users = users ?? new SlackUserDirectory(api, log);
    this.pacer = pacer ?? new ChannelPacer({ sleep: api.sleep });
    api.onRateLimited((method, params, retryAfterMs) => {
      if (method === 'chat.postMessage' && typeof params.channel === 'string') this.pacer.hold(params.channel, retryAfterMs);
    });
  }

  static create(options: SlackNotifierOptions, log: Log): SlackNotifier {
    const api = new SlackWebApi(options);
    return new SlackNotifier(api, log, undefined, new ChannelPacer({ ...options.pacing, sleep: api.sleep }));
  }

  /** HTTP 429 answers Slack gave this notifier (0 when the pacing holds). */
  get rateLimitedResponses(): number {
    return this.api.rateLimitedResponses;
  }

  async notifyOwners(owners: readonly string[], text: string, fields: LogFields = {}): Promise<number> {
    let delivered = 0;
    for (const owner of new Set(owners)) {
      if (await this.post(owner, text, fields)) delivered += 1;
    }
    return delivered;
  }

  private async post(owner: string, text: string, fields: LogFields): Promise<boolean> {
    const channel = await this.channelOf(owner, fields);
    if (channel === undefined) return false;
    try {
      await this.pacer.turn(channel);
      await this.api.call('chat.postMessage', { channel, text, username: SLACK_USERNAME }, 'json');
      this.log.debug('sent Slack message', { ...fields, operation: 'chat.postMessage', recipient: owner });
      return true;
    } catch (err: unknown) {
      this.log.error('could not send a Slack message', {
        ...fields,
        operation: 'chat.postMessage',
        recipient: owner,
        error_code: err instanceof SlackApiError ? err.errorCode : 'unknown_error',
        error_message: err instanceof Error ? err.message : String(err),
      });
      return false;
    }
  }

  /** `#channel` as it is; a user name or e-mail as its user id; undefined (warned once) when unknown. */
  private async channelOf(owner: string, fields: LogFields): Promise<string | undefined> {
    if (owner.startsWith('#')) return owner;
    const userId = await this.users.userId(owner);
    if (userId === undefined && !this.warnedUnknown.has(owner)) {
      this.warnedUnknown.add(owner);
      this.log.warn('Slack owner is neither a channel nor a known user name or e-mail; messages to it are skipped', {
        ...fields,
        operation: 'users.list',
        error_code: 'user_not_found',
        recipient: owner,
      });
    }
    return userId;
  }
}
