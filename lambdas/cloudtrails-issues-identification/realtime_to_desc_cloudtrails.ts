/**
 * realtime_to_desc_cloudtrails.lambda_handler: the real-time path's Lambda,
 * triggered by the SQS queue behind the master account's event bus (the
 * queue's delivery delay is the debounce window). Thin: it takes the records
 * out of the SQS event and hands them to domain code
 * (library/realtime/rescanOnCloudTrailEvents.ts), which publishes Hammer's
 * scan messages to the identification topic; it answers the records to
 * deliver again as SQS partial batch failures.
 *
 * It runs as the identification role, the one principal the controlled
 * accounts' cross-account role trusts, to read a trail's scope
 * (DescribeTrails) in the account of a call.
 */
import type { Trail } from '@aws-sdk/client-cloudtrail';
import { STSClient } from '@aws-sdk/client-sts';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { loadConfig } from '../../config/loadConfig.ts';
import { AccountCredentials, type AccountCredentialIdentity } from '../../library/aws/accountCredentials.ts';
import { CallPacer } from '../../library/aws/callPacer.ts';
import { cachedCloudTrailClients } from '../../library/aws/cloudTrailClients.ts';
import { CloudTrailReader } from '../../library/aws/cloudTrailReader.ts';
import { createDocumentClient } from '../../library/aws/dynamoDocument.ts';
import { productionCheckedAccounts } from '../../library/scan/checkedAccounts.ts';
import { discoverEnabledRegions } from '../../library/aws/regionDiscovery.ts';
import { cachedSnsClients } from '../../library/aws/snsClients.ts';
import { CLOUDTRAIL_RETRY_POLICY } from '../../library/aws/transientRetry.ts';
import { RescanDebounce } from '../../library/realtime/rescanDebounce.ts';
import { rescanOnCloudTrailEvents, type EventRecord, type RealtimeDeps, type RealtimeOutcome } from '../../library/realtime/rescanOnCloudTrailEvents.ts';
import { systemClock } from '../../library/runtime/clock.ts';
import { accountOfFunctionArn, describeEventContent } from '../../library/runtime/lambdaEvents.ts';
import { configDirectory, once, runtimeRegion } from '../../library/runtime/lambdaRuntime.ts';
import { createLogger } from '../../library/runtime/logger.ts';
import { powertoolsLog } from '../../library/runtime/powertoolsLog.ts';
import { realSleep } from '../../library/runtime/sleep.ts';
import { ScanMessagePublisher } from '../../library/scan/scanMessagePublisher.ts';
import { credentialsTableReader } from '../../reporting/credentialsTable.ts';
import { SlackLoggingAlerts } from '../../reporting/slack/slackLoggingAlerts.ts';
import { lazySlackNotifier } from '../../reporting/slack/lazySlackNotifier.ts';

/** CloudTrail's limit per account and region, as identification paces it. */
const CLOUDTRAIL_CALLS_PER_SECOND = 10;
/** Discovered regions (without aws.regions) are asked again after this long. */
const REGIONS_KEPT_MS = 60 * 60 * 1000;

/** SNS_ARN or REALTIME_TABLE_NAME is missing: the function is deployed wrong. */
export class MissingEnvironmentError extends Error {
  override readonly name = 'MissingEnvironmentError';
}

export interface RealtimeHandlerDeps extends Omit<RealtimeDeps, 'describeTrails' | 'snsArn' | 'claims'> {
  config: HammerConfig;
  /** DescribeTrails in an account and region; `ownAccountId` reads its own account with the Lambda's credentials. */
  readTrails: (accountId: string, region: string, ownAccountId: string | undefined) => Promise<Trail[]>;
  /** The debounce table's claims, for the table named by REALTIME_TABLE_NAME. */
  claimsFor: (tableName: string) => RealtimeDeps['claims'];
}

type InvocationContext = Pick<Context, 'invokedFunctionArn'>;

const powertools = createLogger('hammer-realtime-cloudtrails');
const logger = powertoolsLog(powertools);

const productionDeps = once((): RealtimeHandlerDeps => {
  const config = loadConfig(configDirectory());
  const region = runtimeRegion(config.aws.region);
  const doc = createDocumentClient(region);
  const credentials = new AccountCredentials(new STSClient({ region }), systemClock, { roleName: config.aws.roleNameIdentification, sessionName: 'hammer-cloudtrails-realtime' });
  const cloudTrailClient = cachedCloudTrailClients();
  const pacer = new CallPacer(CLOUDTRAIL_CALLS_PER_SECOND, realSleep);
  let discovered: { regions: string[]; at: number } | undefined;
  const claims = new Map<string, RescanDebounce>();
  return {
    config,
    region,
    log: logger,
    clock: systemClock,
    checkedAccounts: productionCheckedAccounts(config, region, logger),
    regions: async () => {
      if (config.aws.regions !== undefined) return config.aws.regions;
      if (discovered === undefined || Date.now() - discovered.at > REGIONS_KEPT_MS) discovered = { regions: await discoverEnabledRegions(region), at: Date.now() };
      return discovered.regions;
    },
    readTrails: (accountId, trailRegion, ownAccountId) => {
      const provider = accountId === ownAccountId ? undefined : async () => (await credentials.forAccount(accountId, ownAccountId)) as AccountCredentialIdentity;
      const reader = new CloudTrailReader(accountId, (at) => cloudTrailClient(accountId, at, provider), { pacer, retryPolicy: CLOUDTRAIL_RETRY_POLICY, sleep: realSleep, random: Math.random, log: logger });
      return reader.describeTrails(trailRegion);
    },
    claimsFor: (tableName) => {
      let existing = claims.get(tableName);
      if (existing === undefined) {
        existing = new RescanDebounce(doc, tableName, systemClock);
        claims.set(tableName, existing);
      }
      return existing;
    },
    publisher: new ScanMessagePublisher(cachedSnsClients(), { log: logger, sleep: realSleep }),
    alerts: config.cloudtrails.realtime?.slackAlert === true && config.slack.enabled
      ? new SlackLoggingAlerts({
        config,
        readCredentials: credentialsTableReader(doc, config.credentialsTableName),
        createNotifier: (token) => lazySlackNotifier({ apiUrl: config.slack.apiUrl, token }, logger),
        log: logger,
      })
      : undefined,
  };
});

/** The records of an SQS event, or undefined when the event is not one. */
export function sqsRecordsOf(event: unknown): EventRecord[] | undefined {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const out: EventRecord[] = [];
  for (const record of records) {
    const { messageId, body } = (record ?? {}) as { messageId?: unknown; body?: unknown };
    if (typeof messageId !== 'string' || typeof body !== 'string') return undefined;
    out.push({ id: messageId, body });
  }
  return out;
}

export async function handleRealtimeEvent(event: unknown, context: InvocationContext, env: { snsArn: string | undefined; tableName: string | undefined }, deps: RealtimeHandlerDeps): Promise<SQSBatchResponse> {
  if (env.snsArn === undefined || env.snsArn === '' || env.tableName === undefined || env.tableName === '') {
    const message = 'SNS_ARN and REALTIME_TABLE_NAME must be set: the identification topic and the debounce table';
    deps.log.error(message);
    throw new MissingEnvironmentError(message);
  }
  const records = sqsRecordsOf(event);
  if (records === undefined) {
    deps.log.error('malformed event: not an SQS event with records; dropped', { event: describeEventContent(event) });
    return { batchItemFailures: [] };
  }
  const ownAccountId = accountOfFunctionArn(context.invokedFunctionArn);
  const { readTrails, claimsFor, ...rest } = deps;
  const outcome: RealtimeOutcome = await rescanOnCloudTrailEvents(records, {
    ...rest,
    snsArn: env.snsArn,
    claims: claimsFor(env.tableName),
    describeTrails: (accountId, region) => readTrails(accountId, region, ownAccountId),
  });
  deps.log.info('real-time events handled', { records: records.length, rescans: outcome.rescans, debounced: outcome.debounced, dropped: outcome.dropped, failed: outcome.failed.length });
  return { batchItemFailures: outcome.failed.map((itemIdentifier) => ({ itemIdentifier })) };
}

export async function lambda_handler(event: unknown, context: Context): Promise<SQSBatchResponse> {
  powertools.addContext(context);
  let deps: RealtimeHandlerDeps;
  try {
    deps = productionDeps();
  } catch (err: unknown) {
    logger.error('cannot start: invalid configuration', { error_name: err instanceof Error ? err.name : typeof err, error_message: err instanceof Error ? err.message : String(err) });
    throw err;
  }
  return handleRealtimeEvent(event, context, { snsArn: process.env.SNS_ARN, tableName: process.env.REALTIME_TABLE_NAME }, deps);
}
