/**
 * The production dependencies of a remediation run, shared by the Lambda
 * handler and the command: reporting's wiring (the issues table, the
 * credentials table, JIRA, Slack) plus what the rescans and StartLogging need
 * (STS AssumeRole into aws.role_name_reporting, CloudTrail clients, the pacer
 * and retry policy of identification).
 */
import { STSClient } from '@aws-sdk/client-sts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HammerConfig } from '../config/hammerConfig.ts';
import { AccountCredentials } from '../library/aws/accountCredentials.ts';
import { CallPacer } from '../library/aws/callPacer.ts';
import { cachedCloudTrailClients } from '../library/aws/cloudTrailClients.ts';
import { CLOUDTRAIL_RETRY_POLICY } from '../library/aws/transientRetry.ts';
import { systemClock, type Clock } from '../library/runtime/clock.ts';
import type { Log } from '../library/runtime/logger.ts';
import { realSleep } from '../library/runtime/sleep.ts';
import { productionReportingDeps } from '../reporting/reportingDeps.ts';
import type { RemediationDeps } from './remediationRun.ts';

/** CloudTrail's limit per account and region, kept by design as identification keeps it. */
const CLOUDTRAIL_CALLS_PER_SECOND = 10;

/** The RoleSessionName of remediation's sessions, as the controlled account's CloudTrail shows them. */
export const REMEDIATION_SESSION_NAME = 'hammer-cloudtrails-remediation';

export interface ProductionRemediationInput {
  config: HammerConfig;
  doc: DynamoDBDocumentClient;
  log: Log;
  /** The region the code runs in (STS's endpoint). */
  region: string;
  clock?: Clock;
}

export function productionRemediationDeps(input: ProductionRemediationInput): RemediationDeps {
  const { config, doc, log } = input;
  const clock = input.clock ?? systemClock;
  const reporting = productionReportingDeps({ config, doc, log, clock });
  return {
    config,
    log,
    clock,
    store: reporting.store,
    readCredentials: reporting.readCredentials,
    createTracker: reporting.createTracker,
    createNotifier: reporting.createNotifier,
    credentials: new AccountCredentials(new STSClient({ region: input.region }), clock, { roleName: config.aws.roleNameReporting, sessionName: REMEDIATION_SESSION_NAME }),
    cloudTrailClient: cachedCloudTrailClients(),
    pacer: new CallPacer(CLOUDTRAIL_CALLS_PER_SECOND, realSleep),
    retryPolicy: CLOUDTRAIL_RETRY_POLICY,
    sleep: realSleep,
    random: Math.random,
  };
}
