import { OrganizationsClient, type OrganizationsClientConfig } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import type { OrganizationConfig } from '../../config/organizationConfig.ts';
import { CheckedAccounts } from '../scan/checkedAccounts.ts';
import { systemClock, type Clock } from '../runtime/clock.ts';
import type { Log } from '../runtime/logger.ts';
import { AccountCredentials } from './accountCredentials.ts';

/**
 * The Organizations client of `aws.organization`, created on first use and
 * kept for the process: with `role_name`, credentials of that role in
 * `account_id` (assumed with STS, renewed before expiry); without, the
 * Lambda's own. Organizations is a global service: in the aws partition the
 * SDK sends every region's calls to organizations.us-east-1.amazonaws.com, and
 * AWS_ENDPOINT_URL_ORGANIZATIONS redirects it (tests).
 */
export interface OrganizationsClientOptions {
  region: string;
  clock: Clock;
  /** The STS client that assumes role_name (default one of `region`). */
  sts?: STSClient;
  /** More client settings (tests: endpoint, own credentials). */
  clientConfig?: Omit<OrganizationsClientConfig, 'region'>;
}

export function organizationsClientFactory(organization: OrganizationConfig, options: OrganizationsClientOptions): () => OrganizationsClient {
  let client: OrganizationsClient | undefined;
  return () => {
    if (client !== undefined) return client;
    const { accountId, roleName } = organization;
    const { region, clock, clientConfig = {} } = options;
    if (roleName === undefined || accountId === undefined) {
      client = new OrganizationsClient({ ...clientConfig, region });
      return client;
    }
    const credentials = new AccountCredentials(options.sts ?? new STSClient({ region }), clock, { roleName, sessionName: 'hammer-cloudtrails-organization' });
    client = new OrganizationsClient({
      ...clientConfig,
      region,
      // forAccount gives undefined only for the own account, which is never passed here.
      credentials: async () => {
        const assumed = await credentials.forAccount(accountId, undefined);
        if (assumed === undefined) throw new Error(`no credentials for ${roleName} in ${accountId}`);
        return assumed;
      },
    });
    return client;
  };
}

/**
 * The checked accounts of `aws.organization` for a handler (one per process),
 * through a lazily created client; loaded by library/scan/checkedAccounts.ts's
 * productionCheckedAccounts only when the key is set.
 */
export function organizationCheckedAccounts(config: Pick<HammerConfig, 'aws' | 'cloudtrails'>, region: string, log: Log): CheckedAccounts {
  const organization = config.aws.organization;
  const unused = (): never => {
    throw new Error('aws.organization is not set');
  };
  return new CheckedAccounts({
    config,
    organizations: organization === undefined ? unused : organizationsClientFactory(organization, { region, clock: systemClock }),
    clock: systemClock,
    log,
  });
}
