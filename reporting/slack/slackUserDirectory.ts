/**
 * Slack users by name and e-mail, read once per run from `users.list`,
 * following every cursor page (Hammer read the first page only, so users of
 * large workspaces were never found).
 */
import type { Log } from '../../library/runtime/logger.ts';
import { SlackApiError, type SlackWebApi } from './slackWebApi.ts';

interface SlackMember {
  id?: unknown;
  name?: unknown;
  deleted?: unknown;
  profile?: { email?: unknown };
}

export class SlackUserDirectory {
  private users: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly api: SlackWebApi,
    private readonly log: Log,
    private readonly pageSize = 200,
  ) {}

  /** The user id of a user name or e-mail (case-insensitive), or undefined. */
  async userId(nameOrEmail: string): Promise<string | undefined> {
    this.users ??= this.readAll();
    return (await this.users).get(nameOrEmail.trim().toLowerCase());
  }

  private async readAll(): Promise<Map<string, string>> {
    const users = new Map<string, string>();
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    try {
      do {
        const page = await this.api.call('users.list', { limit: this.pageSize, cursor }, 'form');
        pages += 1;
        const members = Array.isArray(page.members) ? (page.members as SlackMember[]) : [];
        for (const member of members) addMember(users, member);
        const next = (page.response_metadata as { next_cursor?: unknown } | undefined)?.next_cursor;
        cursor = typeof next === 'string' && next !== '' && !seenCursors.has(next) ? next : undefined;
        if (cursor !== undefined) seenCursors.add(cursor);
      } while (cursor !== undefined);
      this.log.debug('read Slack users', { operation: 'users.list', pages, users: users.size });
    } catch (err: unknown) {
      // Kept for the run: users found so far still get their messages, and a
      // broken users.list is not asked again for every message.
      this.log.error('could not read the Slack users; messages to users (not channels) are skipped', {
        operation: 'users.list',
        error_code: err instanceof SlackApiError ? err.errorCode : 'unknown_error',
        error_message: err instanceof Error ? err.message : String(err),
        pages_read: pages,
      });
    }
    return users;
  }
}

function addMember(users: Map<string, string>, member: SlackMember): void {
  if (typeof member.id !== 'string' || member.deleted === true) return;
  if (typeof member.name === 'string' && member.name !== '') users.set(member.name.toLowerCase(), member.id);
  const email = member.profile?.email;
  if (typeof email === 'string' && email !== '') users.set(email.toLowerCase(), member.id);
}
