/**
 * The reporting run as a command for an operator's host (Hammer ran it from
 * cron on its reporting instance):
 *
 *   npm run report -- --config <config dir> [--lock-file <path>]
 *
 * Same flow and production clients as the Lambda; the region is the AWS
 * environment's (AWS_REGION / AWS_DEFAULT_REGION), else config.json's
 * aws.region. Only one run at a time (a lock file). Exit codes: 0 done,
 * 1 some account or issue failed or the run failed, 2 bad command line or
 * config, 3 another run holds the lock.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/configError.ts';
import { loadConfig } from '../config/loadConfig.ts';
import { createDocumentClient } from '../library/aws/dynamoDocument.ts';
import { runtimeRegion } from '../library/runtime/lambdaRuntime.ts';
import { createLogger, type Log } from '../library/runtime/logger.ts';
import { productionReportingDeps } from './reportingDeps.ts';
import { powertoolsLog } from '../library/runtime/powertoolsLog.ts';
import { runReporting, type ReportingDeps } from './reportingRun.ts';
import { acquireRunLock, defaultLockPath, RunLockedError } from './runLock.ts';

export const USAGE = 'usage: npm run report -- --config <config dir> [--lock-file <path>]';

export interface ReportCommandDeps {
  env?: NodeJS.ProcessEnv;
  log?: Log;
  /** The document client (default: one for the runtime region). */
  doc?: DynamoDBDocumentClient;
  /** Changes the production deps before the run (tests swap the JIRA factory). */
  adjust?: (deps: ReportingDeps) => ReportingDeps;
  /** Where usage and config errors go (default stderr). */
  printError?: (line: string) => void;
}

export async function runReportCommand(argv: readonly string[], deps: ReportCommandDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const printError = deps.printError ?? ((line: string) => process.stderr.write(`${line}\n`));
  let options: { config: string | undefined; lockFile: string | undefined };
  try {
    const { values } = parseArgs({ args: [...argv], options: { config: { type: 'string' }, 'lock-file': { type: 'string' } }, strict: true });
    options = { config: values.config ?? env.HAMMER_CONFIG_DIR, lockFile: values['lock-file'] };
  } catch (err: unknown) {
    printError(`report: ${err instanceof Error ? err.message : String(err)}; ${USAGE}`);
    return 2;
  }
  if (options.config === undefined || options.config === '') {
    printError(`report: --config is required; ${USAGE}`);
    return 2;
  }

  let config;
  try {
    config = loadConfig(options.config);
  } catch (err: unknown) {
    if (!(err instanceof ConfigError)) throw err;
    printError(`report: invalid config: ${err.message}`);
    return 2;
  }

  const log = deps.log ?? powertoolsLog(createLogger('create_cloudtrail_tickets'));
  let lock;
  try {
    lock = acquireRunLock(options.lockFile ?? defaultLockPath());
  } catch (err: unknown) {
    if (!(err instanceof RunLockedError)) throw err;
    log.error('another reporting run is already running, quitting', { operation: 'lock', error_code: 'RunLocked', lock_file: err.path, holder_pid: err.holderPid });
    return 3;
  }
  try {
    const doc = deps.doc ?? createDocumentClient(runtimeRegion(config.aws.region, env));
    const production = productionReportingDeps({ config, doc, log });
    const summary = await runReporting(deps.adjust ? deps.adjust(production) : production);
    return summary.outcomes.failed > 0 || summary.accounts_failed > 0 ? 1 : 0;
  } catch (err: unknown) {
    log.error('the reporting run failed', { operation: 'create_cloudtrail_tickets', error_code: err instanceof Error ? err.name : 'UnknownError', error_message: err instanceof Error ? err.message : String(err) });
    return 1;
  } finally {
    lock.release();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runReportCommand(process.argv.slice(2));
}
