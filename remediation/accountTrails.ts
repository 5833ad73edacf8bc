/**
 * What remediation does in a remediation account: read its trails with the
 * identification code (a fresh CloudTrailReader per scan, so a rescan after
 * StartLogging never answers from the first scan's cache) and start a
 * trail's logging, both with the credentials of `aws.role_name_reporting`
 * (the account the code runs in uses its own credentials, as identification
 * does). Every CloudTrail call goes through the pacer and is retried with
 * backoff when throttled or on a 5xx, like identification's reads.
 */
import { StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleError, type AccountCredentialIdentity, type AccountCredentials } from '../library/aws/accountCredentials.ts';
import { awsErrorCode } from '../library/aws/awsErrors.ts';
import type { CallPacer } from '../library/aws/callPacer.ts';
import type { CloudTrailClientFactory } from '../library/aws/cloudTrailClients.ts';
import { CloudTrailReader } from '../library/aws/cloudTrailReader.ts';
import { retryTransient, type RetryPolicy } from '../library/aws/transientRetry.ts';
import type { Log } from '../library/runtime/logger.ts';
import type { Random, Sleep } from '../library/runtime/sleep.ts';

export interface AccountTrailsDeps {
  /** AccountCredentials of aws.role_name_reporting. */
  credentials: AccountCredentials;
  cloudTrailClient: CloudTrailClientFactory;
  pacer: CallPacer;
  retryPolicy: RetryPolicy;
  sleep: Sleep;
  random: Random;
  log: Log;
}

/** The trails of one remediation account. */
export interface AccountTrails {
  readonly accountId: string;
  /** A reader that has read nothing yet. */
  freshReader(): CloudTrailReader;
  /** StartLogging(Name = trail ARN) in the trail's home region. Throws the SDK's error (after retrying transient ones). */
  startLogging(homeRegion: string, trailArn: string): Promise<void>;
}

/**
 * Opens an account for remediation: AssumeRole into aws.role_name_reporting
 * (not for `ownAccountId`). Throws AssumeRoleError.
 */
export async function openAccountTrails(deps: AccountTrailsDeps, accountId: string, ownAccountId: string | undefined): Promise<AccountTrails> {
  await deps.credentials.forAccount(accountId, ownAccountId);
  const provider = accountId === ownAccountId
    ? undefined
    : async () => (await deps.credentials.forAccount(accountId, ownAccountId)) as AccountCredentialIdentity;
  const clientFor = (region: string) => deps.cloudTrailClient(accountId, region, provider);
  const tools = { pacer: deps.pacer, retryPolicy: deps.retryPolicy, sleep: deps.sleep, random: deps.random, log: deps.log };
  return {
    accountId,
    freshReader: () => new CloudTrailReader(accountId, clientFor, tools),
    startLogging: async (homeRegion, trailArn) => {
      const client = clientFor(homeRegion);
      await retryTransient(() => deps.pacer.run(`${accountId}/${homeRegion}`, () => client.send(new StartLoggingCommand({ Name: trailArn }))), deps.retryPolicy, {
        sleep: deps.sleep,
        random: deps.random,
        onRetry: (err, attempt, delayMs) => {
          deps.log.warn('CloudTrail call failed, retrying', { account_id: accountId, region: homeRegion, trail_arn: trailArn, operation: 'StartLogging', error_code: awsErrorCode(err), attempt, delay_ms: delayMs });
        },
      });
    },
  };
}

export { AssumeRoleError };
