/**
 * Lambda handler `create_cloudtrail_tickets.lambda_handler`: the reporting
 * run on the schedule `cronjobs.reporting`. Thin: the config, clients and
 * logger are created once per process; the run is reporting/reportingRun.ts.
 * Only one run at a time: the function has reserved concurrency 1, or (without
 * it, RUN_LEASE set) takes the run lease of reporting/runLease.ts.
 *
 * The run starts no new issue once the invocation has REPORTING_RESERVE_MS
 * or less left (the issues left wait for the next run, and the invocation
 * ends cleanly); a run that cannot start (JIRA on without usable
 * credentials) throws, so the function's error alarm fires.
 */
import type { Context } from 'aws-lambda';
import { loadConfig } from '../config/loadConfig.ts';
import { createDocumentClient } from '../library/aws/dynamoDocument.ts';
import { configDirectory, once, runtimeRegion } from '../library/runtime/lambdaRuntime.ts';
import { createLogger } from '../library/runtime/logger.ts';
import { powertoolsLog } from '../library/runtime/powertoolsLog.ts';
import { systemClock } from '../library/runtime/clock.ts';
import { productionReportingDeps } from './reportingDeps.ts';
import { runFailureFields, runReporting, type ReportingSummary } from './reportingRun.ts';
import { oneRunAtATime, type LeaseHeld } from './runLease.ts';

const logger = createLogger('create_cloudtrail_tickets');

/**
 * Time kept for the issues in progress when the run stops starting new ones:
 * each issue's JIRA calls (30 s timeout each, Retry-After waits up to 60 s)
 * and writes run side by side (cloudtrails.reporting_concurrency), their
 * Slack turns take a few seconds (one message a second per channel), and the
 * digest, when on, about a second per 4,000-character part. The function's
 * timeout is 900 s by default.
 */
export const REPORTING_RESERVE_MS = 120_000;

const runtime = once(() => {
  const config = loadConfig(configDirectory());
  const doc = createDocumentClient(runtimeRegion(config.aws.region));
  const log = powertoolsLog(logger);
  return { deps: productionReportingDeps({ config, doc, log }), lease: { doc, tableName: config.cloudtrails.ddbTableName, clock: systemClock, log } };
});

export async function lambda_handler(_event: unknown, context?: Context): Promise<ReportingSummary | LeaseHeld> {
  if (context !== undefined) logger.addContext(context);
  try {
    const budget = context === undefined ? undefined : { remainingMs: () => context.getRemainingTimeInMillis(), reserveMs: REPORTING_RESERVE_MS };
    const { deps, lease } = runtime();
    return await oneRunAtATime(process.env, context, lease, () => runReporting(deps, budget === undefined ? {} : { budget }));
  } catch (err: unknown) {
    logger.error('the reporting run failed', runFailureFields(err));
    throw err;
  }
}
