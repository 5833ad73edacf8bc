/**
 * initiate_to_desc_cloudtrails.lambda_handler: the initiation Lambda, run by
 * the EventBridge schedule. Thin: it reads SNS_ARN and hands over to domain
 * code (library/initiateScan.ts).
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import type { Context } from 'aws-lambda';
import { loadConfig } from '../../config/loadConfig.ts';
import { initiateScan, type InitiationDeps, type InitiationResult } from '../../library/initiateScan.ts';
import { configDirectory, once, runtimeRegion } from '../../library/lambdaRuntime.ts';
import { createLogger } from '../../library/logger.ts';
import { powertoolsLog } from '../../library/powertoolsLog.ts';
import { discoverRegions } from '../../library/regionDiscovery.ts';
import { ScanMessagePublisher } from '../../library/scanMessagePublisher.ts';
import { realSleep } from '../../library/sleep.ts';
import { cachedSnsClients } from '../../library/snsClients.ts';

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
  const ec2 = new EC2Client({ region });
  return {
    config,
    region,
    log: logger,
    publisher: new ScanMessagePublisher(snsFor, { log: logger, sleep: realSleep, concurrency: PUBLISH_CONCURRENCY }),
    discoverRegions: () => discoverRegions(ec2),
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
