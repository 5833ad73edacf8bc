/**
 * The accounts this module checks, one answer for initiation, identification
 * (the account check of incoming messages), the real-time path and reporting.
 *
 * Without `aws.organization` it is config.json's list, exactly as before:
 * `cloudtrails.accounts` (else all of `aws.accounts`) minus
 * `cloudtrails.ignore_accounts`.
 *
 * With `aws.organization` the candidates are the organisation's ACTIVE
 * accounts, named by their account names, merged with `aws.accounts` (an
 * explicit entry wins for the name, and accounts outside the organisation stay
 * checked); `cloudtrails.accounts`, when it lists any, still narrows the list;
 * `cloudtrails.ignore_accounts` is taken out; an account the organisation
 * reports as not ACTIVE (suspended, closing, closed) is left out even when
 * config.json lists it, since nothing can be scanned there.
 *
 * The organisation is read at most once per `cacheMinutes` in a warm process
 * (concurrent callers share one read). When it cannot be read (denied,
 * unreachable, not in use), one error line says so and config.json's list is
 * used instead; that answer is kept for a minute, so a burst of invocations
 * neither floods the log nor hammers the API.
 */
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { AssumeRoleError } from '../aws/accountCredentials.ts';
import { awsErrorFields } from '../aws/awsErrors.ts';
import { listOrganizationAccounts, OrganizationReadError, type OrganizationAccount } from '../aws/organizationAccounts.ts';
import type { Clock } from '../runtime/clock.ts';
import type { Log } from '../runtime/logger.ts';

export interface CheckedAccountList {
  /** id -> name. */
  accounts: Record<string, string>;
  /** `config`: no aws.organization; `organization`: read from Organizations; `fallback`: Organizations failed, config.json's list. */
  source: 'config' | 'organization' | 'fallback';
}

/** What every reader of the checked accounts needs. */
export interface CheckedAccountsSource {
  /** The checked accounts; call once per invocation and use the answer throughout. */
  current(): Promise<CheckedAccountList>;
  /**
   * Whether one account is checked, with its name. When the account is not in
   * a list read from the organisation more than a minute ago, the organisation
   * is read again first: an account that joined since is not turned away.
   */
  lookup(accountId: string): Promise<{ checked: boolean; name: string }>;
}

export interface CheckedAccountsDeps {
  config: Pick<HammerConfig, 'aws' | 'cloudtrails'>;
  /** The Organizations client (credentials of aws.organization's role); asked only with aws.organization. */
  organizations: () => OrganizationsClient;
  clock: Clock;
  log: Log;
}

/** A failed read is not retried sooner than this, nor a missing account re-read sooner. */
export const ORGANIZATION_RETRY_MS = 60_000;

export class CheckedAccounts implements CheckedAccountsSource {
  private cached: { list: CheckedAccountList; readAt: number; keepMs: number } | undefined;
  private pending: Promise<CheckedAccountList> | undefined;

  constructor(private readonly deps: CheckedAccountsDeps) {}

  async current(): Promise<CheckedAccountList> {
    const { config, clock } = this.deps;
    if (config.aws.organization === undefined) return { accounts: config.cloudtrails.accounts, source: 'config' };
    const now = clock().getTime();
    if (this.cached !== undefined && now - this.cached.readAt < this.cached.keepMs) return this.cached.list;
    return this.read();
  }

  async lookup(accountId: string): Promise<{ checked: boolean; name: string }> {
    let list = await this.current();
    if (!(accountId in list.accounts) && list.source !== 'config' && this.cached !== undefined && this.deps.clock().getTime() - this.cached.readAt >= ORGANIZATION_RETRY_MS) {
      list = await this.read();
    }
    const name = list.accounts[accountId];
    return name === undefined ? { checked: false, name: '' } : { checked: true, name };
  }

  private read(): Promise<CheckedAccountList> {
    if (this.pending !== undefined) return this.pending;
    const pending = this.readOrganization().finally(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    this.pending = pending;
    return pending;
  }

  private async readOrganization(): Promise<CheckedAccountList> {
    const { config, clock, log } = this.deps;
    const organization = config.aws.organization;
    if (organization === undefined) return { accounts: config.cloudtrails.accounts, source: 'config' };
    const startedAt = clock().getTime();
    let listed: OrganizationAccount[];
    try {
      listed = await listOrganizationAccounts(this.deps.organizations(), organization.parentIds);
    } catch (err: unknown) {
      let cause = err instanceof OrganizationReadError ? err.cause : err;
      let operation = err instanceof OrganizationReadError ? err.operation : 'ListAccounts';
      // The role of aws.organization could not be assumed: name STS's answer, not the wrapper.
      if (cause instanceof AssumeRoleError) {
        operation = 'AssumeRole';
        cause = Object.assign(new Error(cause.message), { name: cause.errorCode });
      }
      const fallback: CheckedAccountList = { accounts: config.cloudtrails.accounts, source: 'fallback' };
      log.error('cannot read the accounts of the organisation (aws.organization); checking the accounts of config.json instead', {
        ...awsErrorFields(operation, cause),
        organization_account_id: organization.accountId ?? 'own account',
        ...(organization.roleName === undefined ? {} : { role_name: organization.roleName }),
        accounts: Object.keys(fallback.accounts).length,
      });
      this.cached = { list: fallback, readAt: startedAt, keepMs: ORGANIZATION_RETRY_MS };
      return fallback;
    }
    const merged = mergeCheckedAccounts(listed, config.aws.accounts, config.cloudtrails.accountSelection ?? { listed: [], ignored: [] });
    const list: CheckedAccountList = { accounts: merged.accounts, source: 'organization' };
    log.info('read the accounts of the organisation', {
      operation: organization.parentIds.length === 0 ? 'ListAccounts' : 'ListAccountsForParent',
      organization_accounts: listed.length,
      checked_accounts: Object.keys(merged.accounts).length,
      ...(organization.parentIds.length === 0 ? {} : { parent_ids: organization.parentIds }),
      ...(merged.inactive.length === 0 ? {} : { not_active: merged.inactive }),
    });
    this.cached = { list, readAt: startedAt, keepMs: organization.cacheMinutes * 60_000 };
    return list;
  }
}

/**
 * The checked accounts from the organisation's accounts and config.json (see
 * the file comment). `inactive`: accounts left out because the organisation
 * reports them not ACTIVE, as `<id> (<state>)`, for the log.
 */
export function mergeCheckedAccounts(
  organization: readonly OrganizationAccount[],
  configured: Record<string, string>,
  selection: { listed: readonly string[]; ignored: readonly string[] },
): { accounts: Record<string, string>; inactive: string[] } {
  const names = new Map<string, string>();
  const notActive = new Map<string, string>();
  for (const account of organization) {
    if (!/^\d{12}$/.test(account.id)) continue;
    names.set(account.id, account.name);
    if (account.state !== 'ACTIVE') notActive.set(account.id, account.state);
  }
  for (const [id, name] of Object.entries(configured)) names.set(id, name);

  const candidates = selection.listed.length > 0
    ? [...new Set(selection.listed)]
    : [...new Set([...organization.filter((account) => account.state === 'ACTIVE' && names.has(account.id)).map((account) => account.id), ...Object.keys(configured)])];
  const ignored = new Set(selection.ignored);
  const accounts: Record<string, string> = {};
  const inactive: string[] = [];
  for (const id of candidates.sort()) {
    if (ignored.has(id)) continue;
    const state = notActive.get(id);
    if (state !== undefined) {
      inactive.push(`${id} (${state})`);
      continue;
    }
    accounts[id] = names.get(id) ?? '';
  }
  return { accounts, inactive };
}

/**
 * The production source of a handler's checked accounts (one per process).
 * Without `aws.organization`: config.json's list, as it always was. With it:
 * the organisation's, through the Organizations client of
 * library/aws/organizationsClient.ts, loaded by a dynamic import on first use
 * (as reporting loads the Security Hub export): a deployment without the key
 * never evaluates the client, and the roles' permissions derived from the
 * handlers' code (deployment/terraform/sdkPermissions.mjs) stay those of the
 * core path; modules/organization-accounts grants the Organizations reads
 * when the key is set.
 */
export function productionCheckedAccounts(config: Pick<HammerConfig, 'aws' | 'cloudtrails'>, region: string, log: Log): CheckedAccountsSource {
  if (config.aws.organization === undefined) {
    return {
      current: async () => ({ accounts: config.cloudtrails.accounts, source: 'config' }),
      lookup: async (accountId) => {
        const name = config.cloudtrails.accounts[accountId];
        return name === undefined ? { checked: false, name: '' } : { checked: true, name };
      },
    };
  }
  let loaded: Promise<CheckedAccountsSource> | undefined;
  const source = (): Promise<CheckedAccountsSource> => {
    loaded ??= import('../aws/organizationsClient.ts').then((module) => module.organizationCheckedAccounts(config, region, log));
    return loaded;
  };
  return {
    current: async () => (await source()).current(),
    lookup: async (accountId) => (await source()).lookup(accountId),
  };
}
