/**
 * Lambda handler `clean_cloudtrails.lambda_handler`: the remediation run on
 * the schedule `cronjobs.remediation` (Hammer's remediation module of this
 * issue type would be `remediation.clean_cloudtrails`, the name of its log
 * stream). Thin: the config, clients and logger are created once per
 * process; the run is remediation/remediationRun.ts, in batch mode (no
 * confirmation). It does nothing unless `cloudtrails.remediation` is true.
 * Invoked by hand with the event `{"dry_run": true}`, it only says (in its
 * log) what it would do, as `npm run remediate -- --dry-run` does.
 * Only one run at a time: the function has reserved concurrency 1.
 */
import type { Context } from 'aws-lambda';
import { isJsonObject } from '../config/jsonFields.ts';
import { loadConfig } from '../config/loadConfig.ts';
import { createDocumentClient } from '../library/aws/dynamoDocument.ts';
import { accountOfFunctionArn } from '../library/runtime/lambdaEvents.ts';
import { configDirectory, once, runtimeRegion } from '../library/runtime/lambdaRuntime.ts';
import { createLogger } from '../library/runtime/logger.ts';
import { powertoolsLog } from '../library/runtime/powertoolsLog.ts';
import { productionRemediationDeps } from './remediationDeps.ts';
import { remediationFailureFields, runRemediation, type RemediationSummary } from './remediationRun.ts';

const logger = createLogger('clean_cloudtrails');

/** Time kept for the issue in progress when the run stops starting new ones (two scans, StartLogging, JIRA, Slack). */
export const REMEDIATION_RESERVE_MS = 120_000;

const runtime = once(() => {
  const config = loadConfig(configDirectory());
  const region = runtimeRegion(config.aws.region);
  return productionRemediationDeps({ config, doc: createDocumentClient(region), log: powertoolsLog(logger), region });
});

/** `{"dry_run": true}` asks for a dry run; any other event (the schedule's) for a run. */
export function isDryRunEvent(event: unknown): boolean {
  return isJsonObject(event) && event.dry_run === true;
}

export async function lambda_handler(event: unknown, context?: Context): Promise<RemediationSummary> {
  if (context !== undefined) logger.addContext(context);
  try {
    const deps = runtime();
    const budget = context === undefined ? undefined : { remainingMs: () => context.getRemainingTimeInMillis(), reserveMs: REMEDIATION_RESERVE_MS };
    return await runRemediation(deps, {
      ownAccountId: accountOfFunctionArn(context?.invokedFunctionArn),
      dryRun: isDryRunEvent(event),
      print: (line) => deps.log.info(line),
      ...(budget === undefined ? {} : { budget }),
    });
  } catch (err: unknown) {
    logger.error('the remediation run failed', remediationFailureFields(err));
    throw err;
  }
}
