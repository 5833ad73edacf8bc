/**
 * The scan command's run: identification in this process against real AWS
 * with the default credential chain (a profile, SSO, environment keys), the
 * current account or the config's checked accounts through their role. The
 * check itself is the describe Lambda's code (scanAccounts over
 * identifyScanMessage); scanPlan.ts finds what to scan; this module wires
 * the clients, prints the findings (and scanFailureReasons.ts' lines) and
 * gives the exit code:
 *
 *   0  no open issue
 *   1  open issues found (whitelisted ones do not count)
 *   2  could not scan: a usage or config error, no credentials, regions not
 *      listable, or an account-region not checked (one line each says why and
 *      what to do). Open issues win: a scan that found some exits 1 even when
 *      other regions could not be checked, and still says which.
 *
 * Nothing is written unless `write`: then findings are merged into the
 * config's issues table exactly as the Lambda merges them.
 */
import { STSClient } from '@aws-sdk/client-sts';
import { DEFAULTS } from '../../config/hammerConfig.ts';
import { AccountCredentials } from '../aws/accountCredentials.ts';
import { CallPacer } from '../aws/callPacer.ts';
import { cachedCloudTrailClients } from '../aws/cloudTrailClients.ts';
import { createDocumentClient } from '../aws/dynamoDocument.ts';
import { cachedSnsClients } from '../aws/snsClients.ts';
import { CLOUDTRAIL_RETRY_POLICY } from '../aws/transientRetry.ts';
import { IssueStore } from '../issues/issueStore.ts';
import { systemClock } from '../runtime/clock.ts';
import { runtimeRegion } from '../runtime/lambdaRuntime.ts';
import { realSleep } from '../runtime/sleep.ts';
import { ApiRequestProgress } from '../scan/apiRequestProgress.ts';
import { assessmentStatus } from '../scan/assessmentSummary.ts';
import type { IdentificationDeps } from '../scan/identifyScanMessage.ts';
import { scanAccounts } from '../scan/scanAccounts.ts';
import { ScanMessagePublisher } from '../scan/scanMessagePublisher.ts';
import type { CommandIo } from './commandLine.ts';
import { CommandLog } from './commandLog.ts';
import { renderFindings } from './findingsOutput.ts';
import { ProgressLine } from './progressLine.ts';
import { checkFailureReasons, writeFailureReasons } from './scanFailureReasons.ts';
import { planScan, ScanSetupError, type LaptopScanRequest, type ScanPlan } from './scanPlan.ts';

export type { LaptopScanRequest } from './scanPlan.ts';

/** The describe Lambda's limits, so a laptop scan paces CloudTrail as the Lambda does. */
export interface IdentificationLimits {
  cloudTrailCallsPerSecond: number;
  regionConcurrency: number;
}

/** Accounts whose regions are checked at once (each with all its regions at once). */
const ACCOUNT_CONCURRENCY = 8;
const SESSION_NAME = 'hammer-cloudtrails-scan';

export async function runLaptopScan(request: LaptopScanRequest, limits: IdentificationLimits, io: CommandIo): Promise<number> {
  const log = new CommandLog('hammer-cloudtrails-scan', request.verbose ? io.stderr : undefined);
  let plan: ScanPlan;
  try {
    plan = await planScan(request, io.env);
  } catch (err: unknown) {
    if (!(err instanceof ScanSetupError)) throw err;
    io.stderr.write(`scan: ${err.message}\n`);
    return 2;
  }

  const tableName = plan.config?.cloudtrails.ddbTableName ?? 'hammer-cloudtrails';
  const tableRegion = plan.config === undefined ? plan.homeRegion : runtimeRegion(plan.config.aws.region, io.env);
  const doc = createDocumentClient(tableRegion);
  const deps: IdentificationDeps = {
    config: plan.identification,
    region: plan.homeRegion,
    log,
    clock: systemClock,
    store: new IssueStore(doc, tableName, systemClock, log),
    progress: new ApiRequestProgress(doc, plan.config?.apiTableName ?? DEFAULTS.apiTableName, systemClock, log),
    credentials: new AccountCredentials(new STSClient({ region: plan.homeRegion, credentials: plan.ownCredentials }), systemClock, { roleName: plan.roleName, sessionName: SESSION_NAME }),
    cloudTrailClient: cachedCloudTrailClients({ maxClients: 1024, ownCredentials: plan.ownCredentials }),
    publisher: new ScanMessagePublisher(cachedSnsClients(), { log, sleep: realSleep }),
    pacer: new CallPacer(limits.cloudTrailCallsPerSecond, realSleep),
    retryPolicy: CLOUDTRAIL_RETRY_POLICY,
    sleep: realSleep,
    random: Math.random,
    regionConcurrency: limits.regionConcurrency,
    reserveMs: 0,
    dryRun: !request.write,
  };

  const progress = new ProgressLine(io.stderr, 'scanning account-regions');
  const findings = await scanAccounts(deps, {
    accounts: plan.accounts,
    regions: plan.regions,
    ownAccountId: plan.ownAccountId,
    accountConcurrency: ACCOUNT_CONCURRENCY,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.finish();

  io.stdout.write(renderFindings(findings, request.format));
  const reasons = [
    ...checkFailureReasons(findings, plan),
    ...writeFailureReasons(findings, log, tableName, tableRegion),
  ];
  for (const reason of reasons) io.stderr.write(`scan: ${reason}\n`);
  if (request.write && reasons.length === 0) io.stderr.write(`scan: findings merged into ${tableName} (${tableRegion})\n`);

  if (findings.some((finding) => assessmentStatus(finding.assessment) === 'open')) return 1;
  return reasons.length > 0 ? 2 : 0;
}
