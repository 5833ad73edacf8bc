/**
 * Lambda handler `create_cloudtrail_tickets.lambda_handler`: the reporting
 * run on the schedule `cronjobs.reporting`. Thin: the config, clients and
 * logger are created once per process; the run is reporting/reportingRun.ts.
 * Only one run at a time: the function has reserved concurrency 1, or (without
 * it, RUN_LEASE set) takes the run lease of reporting/runLease.ts.
 */
import type { Context } from 'aws-lambda';
import { loadConfig } from '../config/loadConfig.ts';
import { createDocumentClient } from '../library/aws/dynamoDocument.ts';
import { configDirectory, once, runtimeRegion } from '../library/runtime/lambdaRuntime.ts';
import { createLogger } from '../library/runtime/logger.ts';
import { powertoolsLog } from '../library/runtime/powertoolsLog.ts';
import { systemClock } from '../library/runtime/clock.ts';
import { productionReportingDeps } from './reportingDeps.ts';
import { runReporting, type ReportingSummary } from './reportingRun.ts';
import { oneRunAtATime, type LeaseHeld } from './runLease.ts';

const logger = createLogger('create_cloudtrail_tickets');

const runtime = once(() => {
  const config = loadConfig(configDirectory());
  const doc = createDocumentClient(runtimeRegion(config.aws.region));
  const log = powertoolsLog(logger);
  return { deps: productionReportingDeps({ config, doc, log }), lease: { doc, tableName: config.cloudtrails.ddbTableName, clock: systemClock, log } };
});

export async function lambda_handler(_event: unknown, context?: Context): Promise<ReportingSummary | LeaseHeld> {
  if (context !== undefined) logger.addContext(context);
  try {
    const { deps, lease } = runtime();
    return await oneRunAtATime(process.env, context, lease, () => runReporting(deps));
  } catch (err: unknown) {
    logger.error('the reporting run failed', { operation: 'create_cloudtrail_tickets', error_code: err instanceof Error ? err.name : 'UnknownError', error_message: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
