/**
 * describe_cloudtrails.lambda_handler: the identification Lambda, triggered by
 * SNS. Thin: it takes the scan messages out of the event, checks them, and
 * hands each to domain code (library/scan/identifyScanMessage.ts).
 */
import { STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { loadConfig } from '../../config/loadConfig.ts';
import { AccountCredentials } from '../../library/aws/accountCredentials.ts';
import { ApiRequestProgress } from '../../library/scan/apiRequestProgress.ts';
import { CallPacer } from '../../library/aws/callPacer.ts';
import { systemClock } from '../../library/runtime/clock.ts';
import { cachedCloudTrailClients } from '../../library/aws/cloudTrailClients.ts';
import { createDocumentClient } from '../../library/aws/dynamoDocument.ts';
import { identifyScanMessage, type IdentificationDeps } from '../../library/scan/identifyScanMessage.ts';
import { IssueStore } from '../../library/issues/issueStore.ts';
import { accountOfFunctionArn, describeEventContent, snsMessagesOf } from '../../library/runtime/lambdaEvents.ts';
import { configDirectory, once, runtimeRegion } from '../../library/runtime/lambdaRuntime.ts';
import { createLogger, type Log } from '../../library/runtime/logger.ts';
import { powertoolsLog } from '../../library/runtime/powertoolsLog.ts';
import { parseScanMessage } from '../../library/scan/scanMessage.ts';
import { ScanMessagePublisher } from '../../library/scan/scanMessagePublisher.ts';
import { realSleep } from '../../library/runtime/sleep.ts';
import { CLOUDTRAIL_RETRY_POLICY } from '../../library/aws/transientRetry.ts';
import { cachedSnsClients } from '../../library/aws/snsClients.ts';
import { productionCheckedAccounts } from '../../library/scan/checkedAccounts.ts';
import type { CheckedAccountsSource } from '../../library/scan/checkedAccounts.ts';

/**
 * CloudTrail allows 10 Get/Describe calls per second per account and region.
 * The pacer's permits (held until a second after each call ends) keep the
 * calls arriving at CloudTrail within that limit, so the limit itself is used.
 */
export const CLOUDTRAIL_CALLS_PER_SECOND = 10;
/**
 * Regions of one message checked at once: all of an account's regions in
 * practice (AWS has fewer), so a message takes about as long as its slowest region.
 */
export const REGION_CONCURRENCY = 40;
/** Regions are started only while more than this is left of the invocation (timeout 300 s). */
export const RESERVE_MS = 60_000;

export interface DescribeHandlerDeps extends IdentificationDeps {
  config: HammerConfig;
  /** The checked accounts (with aws.organization, the organisation's); default config.cloudtrails.accounts. */
  checkedAccounts?: CheckedAccountsSource;
}

type InvocationContext = Pick<Context, 'invokedFunctionArn' | 'getRemainingTimeInMillis'>;

const powertools = createLogger('hammer-describe-cloudtrails');
const logger = powertoolsLog(powertools);

/** Created on the first invocation, kept while the process lives (warm invocations reuse clients and credentials). */
const productionDeps = once((): DescribeHandlerDeps => {
  const config = loadConfig(configDirectory());
  const region = runtimeRegion(config.aws.region);
  const doc = createDocumentClient(region);
  const snsFor = cachedSnsClients();
  return {
    config,
    region,
    log: logger,
    clock: systemClock,
    store: new IssueStore(doc, config.cloudtrails.ddbTableName, systemClock, logger),
    progress: new ApiRequestProgress(doc, config.apiTableName, systemClock, logger),
    credentials: new AccountCredentials(new STSClient({ region }), systemClock, { roleName: config.aws.roleNameIdentification }),
    cloudTrailClient: cachedCloudTrailClients(),
    publisher: new ScanMessagePublisher(snsFor, { log: logger, sleep: realSleep }),
    pacer: new CallPacer(CLOUDTRAIL_CALLS_PER_SECOND, realSleep),
    retryPolicy: CLOUDTRAIL_RETRY_POLICY,
    sleep: realSleep,
    random: Math.random,
    regionConcurrency: REGION_CONCURRENCY,
    reserveMs: RESERVE_MS,
    checkedAccounts: productionCheckedAccounts(config, region, logger),
  };
});

/**
 * Checks every scan message of an SNS event. A malformed event or message, or
 * one about an account this module does not check, is logged once with its
 * content and dropped (no throw: a retry would not make it valid).
 */
export async function handleDescribeEvent(event: unknown, context: InvocationContext, deps: DescribeHandlerDeps): Promise<void> {
  const messages = snsMessagesOf(event);
  if (messages === undefined) {
    deps.log.error('malformed event: not an SNS event with a message; dropped', { event: describeEventContent(event) });
    return;
  }
  const ownAccountId = accountOfFunctionArn(context.invokedFunctionArn);
  for (const text of messages) {
    const parsed = parseScanMessage(text);
    if (!parsed.ok) {
      deps.log.error(`malformed scan message: ${parsed.reason}; dropped`, { sns_message: describeEventContent(text) });
      continue;
    }
    const message = parsed.message;
    const checked = deps.checkedAccounts === undefined ? message.account_id in deps.config.cloudtrails.accounts : (await deps.checkedAccounts.lookup(message.account_id)).checked;
    if (!checked) {
      deps.log.error('scan message for an account this module does not check (cloudtrails.accounts, aws.accounts, ignore_accounts); dropped', { account_id: message.account_id, sns_message: describeEventContent(text) });
      continue;
    }
    await identifyScanMessage(deps, message, { ownAccountId, remainingMs: () => context.getRemainingTimeInMillis() });
  }
}

export async function lambda_handler(event: unknown, context: Context): Promise<void> {
  powertools.addContext(context);
  let deps: DescribeHandlerDeps;
  try {
    deps = productionDeps();
  } catch (err: unknown) {
    logStartFailure(logger, err);
    throw err;
  }
  await handleDescribeEvent(event, context, deps);
}

function logStartFailure(log: Log, err: unknown): void {
  log.error('cannot start: invalid configuration', { error_name: err instanceof Error ? err.name : typeof err, error_message: err instanceof Error ? err.message : String(err) });
}
