/**
 * The production wiring of the Security Hub export: STS for the controlled
 * accounts' cross-account role (`aws.role_name_identification`, the role the
 * identification Lambda assumes, which also allows
 * securityhub:BatchImportFindings when the export is on), and one Security
 * Hub client per account and region, kept for the life of the process.
 * Loaded only when `cloudtrails.securityhub` is on (a dynamic import in
 * reportingDeps.ts), so a run without it never loads the Security Hub client.
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { AccountCredentials, type AccountCredentialIdentity } from '../../library/aws/accountCredentials.ts';
import type { CredentialsProvider } from '../../library/aws/cloudTrailClients.ts';
import type { IssueStore } from '../../library/issues/issueStore.ts';
import type { Clock } from '../../library/runtime/clock.ts';
import type { Log } from '../../library/runtime/logger.ts';
import type { FindingsExport } from './findingsExport.ts';
import { exportToSecurityHub } from './securityHubExport.ts';

export interface ProductionSecurityHubInput {
  config: HammerConfig;
  store: IssueStore;
  log: Log;
  clock: Clock;
  /** The region the code runs in (STS's endpoint). */
  region: string;
  /**
   * Tests and tools: one endpoint for STS and Security Hub, and the
   * credentials of the account the code runs in (else the default chain).
   */
  clientOptions?: { endpoint?: string; ownCredentials?: AccountCredentialIdentity };
}

export function productionSecurityHubExport(input: ProductionSecurityHubInput): FindingsExport {
  const { config } = input;
  const endpoint = input.clientOptions?.endpoint;
  const ownCredentials = input.clientOptions?.ownCredentials;
  const sts = new STSClient({ region: input.region, ...(endpoint === undefined ? {} : { endpoint }), ...(ownCredentials === undefined ? {} : { credentials: ownCredentials }) });
  const credentials = new AccountCredentials(sts, input.clock, {
    roleName: config.aws.roleNameIdentification,
    sessionName: 'hammer-cloudtrails-securityhub',
  });
  // The main account (aws.main_account_id), where the reporting Lambda runs, uses its own credentials.
  const ownAccountId = config.aws.mainAccountId;
  const clients = new Map<string, SecurityHubClient>();
  return (accounts, options) =>
    exportToSecurityHub(
      {
        config,
        store: input.store,
        log: input.log,
        clock: input.clock,
        credentialsFor: async (accountId) => {
          if ((await credentials.forAccount(accountId, ownAccountId)) === undefined) return undefined;
          return async () => (await credentials.forAccount(accountId, ownAccountId)) as AccountCredentialIdentity;
        },
        clientFor: (accountId, region, provider: CredentialsProvider | undefined) => {
          const key = `${accountId}/${region}`;
          let client = clients.get(key);
          if (client === undefined) {
            const own = ownCredentials === undefined ? undefined : async () => ownCredentials;
            const accountCredentials = provider ?? own;
            client = new SecurityHubClient({
              region,
              requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
              ...(endpoint === undefined ? {} : { endpoint }),
              ...(accountCredentials === undefined ? {} : { credentials: accountCredentials }),
            });
            clients.set(key, client);
          }
          return client;
        },
      },
      accounts,
      options,
    );
}
