/**
 * initiate_to_desc_cloudtrails.lambda_handler: the initiation Lambda, run by
 * the EventBridge schedule. Thin: it reads SNS_ARN and hands over to domain
 * code (library/scan/initiateScan.ts).
 */
import type { Context } from 'aws-lambda';
import { loadConfig } from '../../config/loadConfig.ts';
import { initiateScan, type InitiationDeps, type InitiationResult } from '../../library/scan/initiateScan.ts';
import { configDirectory, once, runtimeRegion } from '../../library/runtime/lambdaRuntime.ts';
import { createLogger } from '../../library/runtime/logger.ts';
import { powertoolsLog } from '../../library/runtime/powertoolsLog.ts';
import { discoverEnabledRegions } from '../../library/aws/regionDiscovery.ts';
import { productionCheckedAccounts } from '../../library/scan/checkedAccounts.ts';
import { ScanMessagePublisher } from '../../library/scan/scanMessagePublisher.ts';
import { realSleep } from '../../library/runtime/sleep.ts';
import { cachedSnsClients } from '../../library/aws/snsClients.ts';

/** PublishBatch calls in flight at once. */
export const PUBLISH_CONCURRENCY = 8;

/** The initiation Lambda's configuration error: SNS_ARN missing. */
export class MissingEnvironmentError extends Error {
  override readonly name = 'MissingEnvironmentError';
}

const powertools = createLogger('hammer-initiate-cloudtrails');
const logger = powertoolsLog(powertools);

const productionDeps = once((): InitiationDeps => {
  const config = loadConfig(configDirectory());
  const region = runtimeRegion(config.aws.region);
  const snsFor = cachedSnsClients();
  return {
    config,
    region,
    log: logger,
    publisher: new ScanMessagePublisher(snsFor, { log: logger, sleep: realSleep, concurrency: PUBLISH_CONCURRENCY }),
    // Asked only without aws.regions; the EC2 client is created then, not at every cold start.
    discoverRegions: () => discoverEnabledRegions(region),
    checkedAccounts: productionCheckedAccounts(config, region, logger),
  };
});

/** Starts a scan; `snsArn` is the SNS_ARN variable (the identification topic). */
export async function handleInitiateEvent(snsArn: string | undefined, deps: InitiationDeps): Promise<InitiationResult> {
  if (snsArn === undefined || snsArn === '') {
    deps.log.error('SNS_ARN is not set: the initiation Lambda needs the identification topic ARN');
    throw new MissingEnvironmentError('SNS_ARN is not set: the initiation Lambda needs the identification topic ARN');
  }
  return initiateScan(deps, snsArn);
}

export async function lambda_handler(_event: unknown, context: Context): Promise<void> {
  powertools.addContext(context);
  let deps: InitiationDeps;
  try {
    deps = productionDeps();
  } catch (err: unknown) {
    logger.error('cannot start: invalid configuration', { error_name: err instanceof Error ? err.name : typeof err, error_message: err instanceof Error ? err.message : String(err) });
    throw err;
  }
  await handleInitiateEvent(process.env.SNS_ARN, deps);
}
