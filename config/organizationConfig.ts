/**
 * The opt-in keys of organisation scale and real time (issue 10), parsed
 * beside the rest of config.json:
 *
 * - `aws.organization`: take the checked accounts from AWS Organizations.
 * - `cloudtrails.realtime`: how the real-time path (CloudTrail API calls
 *   forwarded through EventBridge) behaves.
 *
 * Both are absent from Hammer's files; without them nothing changes.
 */
import { JsonFields, joinPath, type JsonObject } from './jsonFields.ts';

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** A root (`r-…`) or an organizational unit (`ou-…-…`), as Organizations writes their ids. */
const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

export interface OrganizationConfig {
  /**
   * aws.organization.account_id: the account Organizations is asked in, the
   * management account or a delegated administrator. Default aws.main_account_id;
   * undefined (neither given) means "the account the Lambda runs in".
   */
  accountId: string | undefined;
  /**
   * aws.organization.role_name: the role assumed in that account to ask;
   * undefined means the Lambda's own credentials (the Lambda runs in the
   * management account or a delegated administrator).
   */
  roleName: string | undefined;
  /**
   * aws.organization.parent_ids: roots or OUs whose accounts are checked,
   * nested OUs included (ListAccountsForParent, ListOrganizationalUnitsForParent);
   * empty = the whole organisation (ListAccounts).
   */
  parentIds: string[];
  /** aws.organization.cache_minutes: how long a warm Lambda reuses the list (default 10, 1 to 60). */
  cacheMinutes: number;
}

export interface RealtimeConfig {
  /**
   * cloudtrails.realtime.slack_alert (default false): an immediate Slack
   * message for each trail stopped or deleted, naming the caller, the call and
   * the source IP, to the account's Slack owners (ticket_owners.json).
   */
  slackAlert: boolean;
}

export const ORGANIZATION_DEFAULTS = { cacheMinutes: 10 } as const;

/** aws.organization, or undefined when the key is absent. */
export function parseOrganization(fields: JsonFields, aws: JsonObject, mainAccountId: string | undefined): OrganizationConfig | undefined {
  const section = fields.optionalObject(aws, 'organization', 'aws');
  if (section === undefined) return undefined;
  const path = 'aws.organization';

  const accountId = fields.optionalString(section, 'account_id', path) || undefined;
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) fields.fail(joinPath(path, 'account_id'), 'the 12-digit id of the management account or a delegated administrator', accountId);
  const roleName = fields.optionalString(section, 'role_name', path) || undefined;
  if (roleName !== undefined && !ROLE_NAME.test(roleName)) fields.fail(joinPath(path, 'role_name'), 'an IAM role name', roleName);
  const account = accountId ?? mainAccountId;
  if (roleName !== undefined && account === undefined) {
    fields.fail(joinPath(path, 'account_id'), 'the account holding role_name (or aws.main_account_id)', section.account_id);
  }

  const parentIds = fields.optionalStringList(section, 'parent_ids', path) ?? [];
  parentIds.forEach((id, index) => {
    if (!PARENT_ID.test(id)) fields.fail(joinPath(joinPath(path, 'parent_ids'), index), 'a root id (r-…) or an organizational unit id (ou-…-…)', id);
  });

  const cacheMinutes = fields.optionalNumber(section, 'cache_minutes', path, { min: 1 }) ?? ORGANIZATION_DEFAULTS.cacheMinutes;
  if (cacheMinutes > 60) fields.fail(joinPath(path, 'cache_minutes'), 'a number from 1 to 60', cacheMinutes);

  return { accountId: account, roleName, parentIds: [...new Set(parentIds)], cacheMinutes };
}

/** cloudtrails.realtime, or undefined when the key is absent (the defaults then apply). */
export function parseRealtime(fields: JsonFields, section: JsonObject, path: string): RealtimeConfig | undefined {
  const realtime = fields.optionalObject(section, 'realtime', path);
  if (realtime === undefined) return undefined;
  return { slackAlert: fields.flag(realtime, 'slack_alert', joinPath(path, 'realtime'), false) };
}
