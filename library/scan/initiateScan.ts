import type { HammerConfig } from '../../config/hammerConfig.ts';
import { awsErrorFields } from '../aws/awsErrors.ts';
import type { Log } from '../runtime/logger.ts';
import type { CheckedAccountsSource } from './checkedAccounts.ts';
import type { ScanMessage } from './scanMessage.ts';
import type { PublishResult, ScanMessagePublisher } from './scanMessagePublisher.ts';

export interface InitiationDeps {
  config: Pick<HammerConfig, 'aws' | 'cloudtrails'>;
  publisher: ScanMessagePublisher;
  /** The regions enabled for the main account (EC2 DescribeRegions), asked only when aws.regions is absent. */
  discoverRegions: () => Promise<string[]>;
  /** The region the Lambda runs in. */
  region: string;
  log: Log;
  /** The checked accounts (with aws.organization, the organisation's); default config.cloudtrails.accounts. */
  checkedAccounts?: CheckedAccountsSource;
}

/** Thrown after publishing what could be published, so the run counts as failed (alarm) and Lambda retries it. */
export class InitiationError extends Error {
  override readonly name = 'InitiationError';
}

export type InitiationResult = { enabled: false } | ({ enabled: true; accounts: number; regions: string[] } & PublishResult);

/**
 * One message per checked account with all its regions, exactly Hammer's
 * message. The identification Lambda checks the regions of a message at the
 * same time, so a scan still takes about as long as the slowest account-region;
 * and because one process handles all of an account's regions, its pacer
 * keeps every CloudTrail call of the account under the service's limit (a
 * multi-region trail's status, asked in its home region, is read once per
 * account instead of once per region by concurrent Lambdas).
 */
export function scanMessages(accounts: Record<string, string>, regions: readonly string[], snsArn: string): ScanMessage[] {
  return Object.entries(accounts).map(([accountId, accountName]): ScanMessage => ({ account_id: accountId, account_name: accountName, regions: [...regions], sns_arn: snsArn }));
}

/**
 * The scheduled start of a scan: when `cloudtrails.enabled`, publishes to
 * `snsArn` one message per checked account (module accounts minus ignored)
 * with all regions (`aws.regions`, else the main account's enabled regions),
 * with PublishBatch and bounded concurrency; each account's regions are then
 * checked at once, so the scan takes about as long as the slowest
 * account-region rather than R chained hops per account.
 * Throws InitiationError when regions cannot be found or messages were lost.
 */
export async function initiateScan(deps: InitiationDeps, snsArn: string): Promise<InitiationResult> {
  const { config, log } = deps;
  if (!config.cloudtrails.enabled) {
    log.info('CloudTrail checking disabled (cloudtrails.enabled is false); nothing published');
    return { enabled: false };
  }
  let regions = config.aws.regions;
  if (regions === undefined) {
    try {
      regions = await deps.discoverRegions();
    } catch (err: unknown) {
      log.error('cannot list the enabled regions of the main account; nothing published', { region: deps.region, ...awsErrorFields('DescribeRegions', err) });
      throw new InitiationError('cannot list the enabled regions of the main account', { cause: err });
    }
  }
  const accounts = deps.checkedAccounts === undefined ? config.cloudtrails.accounts : (await deps.checkedAccounts.current()).accounts;
  const messages = scanMessages(accounts, regions, snsArn);
  const result = await deps.publisher.publish(snsArn, messages, deps.region);
  const summary = { accounts: Object.keys(accounts).length, regions, published: result.published, failed: result.failed.length, topic_arn: snsArn };
  if (result.failed.length > 0) {
    log.error('CloudTrail checking initiated with messages lost', summary);
    throw new InitiationError(`${result.failed.length} of ${messages.length} scan messages were not published to ${snsArn}`);
  }
  log.info('CloudTrail checking initiated', summary);
  return { enabled: true, accounts: Object.keys(accounts).length, regions, ...result };
}
