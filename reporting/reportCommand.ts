/**
 * The reporting run as a command for an operator's host (Hammer ran it from
 * cron on its reporting instance):
 *
 *   npm run report -- --config <config dir> [--lock-file <path>] [--max-seconds <n>]
 *
 * Same flow and production clients as the Lambda; the region is the AWS
 * environment's (AWS_REGION / AWS_DEFAULT_REGION), else config.json's
 * aws.region. Only one run at a time (a lock file). Exit codes: 0 done,
 * 1 some account or issue failed or the run failed (JIRA on without
 * credentials, say), 2 bad command line or config, 3 another run holds the
 * lock. `--help` prints the usage (exit 0).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createDocumentClient } from '../library/aws/dynamoDocument.ts';
import { runtimeRegion } from '../library/runtime/lambdaRuntime.ts';
import { createLogger, type Log } from '../library/runtime/logger.ts';
import { productionReportingDeps } from './reportingDeps.ts';
import { powertoolsLog } from '../library/runtime/powertoolsLog.ts';
import { runFailureFields, runReporting, type ReportingDeps, type ReportingRunOptions } from './reportingRun.ts';
import { acquireRunLock, defaultLockPath, RunLockedError } from './runLock.ts';
import { loadCommandConfig } from '../library/cli/commandConfig.ts';

export const USAGE = 'usage: npm run report -- --config <config dir> [--lock-file <path>] [--max-seconds <n>]';

export const HELP = `${USAGE}

Reports the CloudTrail issues of the issues table to JIRA and Slack, one run
(Hammer's create_cloudtrail_tickets), with the same flow as the reporting Lambda.

  --config <dir>       the config folder (config.json, ticket_owners.json, ...);
                       default: $HAMMER_CONFIG_DIR
  --lock-file <path>   the lock that keeps one run at a time
                       (default: $TMPDIR/hammer-create_cloudtrail_tickets.lock)
  --max-seconds <n>    start no new issue after n seconds (those in progress
                       finish); the issues left wait for the next run
  --help               print this text

Exit codes: 0 done; 1 some account or issue failed, or the run could not start
(JIRA on without usable credentials); 2 bad command line or config; 3 another
run holds the lock.`;

export interface ReportCommandDeps {
  env?: NodeJS.ProcessEnv;
  log?: Log;
  /** The document client (default: one for the runtime region). */
  doc?: DynamoDBDocumentClient;
  /** Changes the production deps before the run (tests swap the JIRA factory). */
  adjust?: (deps: ReportingDeps) => ReportingDeps;
  /** Where usage and config errors go (default stderr). */
  printError?: (line: string) => void;
  /** Where --help goes (default stdout). */
  print?: (text: string) => void;
  /** Milliseconds since the epoch, for --max-seconds (default Date.now). */
  now?: () => number;
}

export async function runReportCommand(argv: readonly string[], deps: ReportCommandDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const printError = deps.printError ?? ((line: string) => process.stderr.write(`${line}\n`));
  const print = deps.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const now = deps.now ?? Date.now;
  const started = now();
  let options: { config: string | undefined; lockFile: string | undefined; maxSeconds: number | undefined };
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { config: { type: 'string' }, 'lock-file': { type: 'string' }, 'max-seconds': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      print(HELP);
      return 0;
    }
    const maxSeconds = values['max-seconds'] === undefined ? undefined : Number(values['max-seconds']);
    if (maxSeconds !== undefined && (!Number.isFinite(maxSeconds) || maxSeconds < 0 || values['max-seconds']?.trim() === '')) {
      throw new Error(`--max-seconds takes a number of seconds (0 or more), not ${JSON.stringify(values['max-seconds'])}`);
    }
    options = { config: values.config ?? env.HAMMER_CONFIG_DIR, lockFile: values['lock-file'], maxSeconds };
  } catch (err: unknown) {
    printError(`report: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const config = loadCommandConfig('report', USAGE, options.config, printError);
  if ('exitCode' in config) return config.exitCode;

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
    const maxSeconds = options.maxSeconds;
    const run: ReportingRunOptions = maxSeconds === undefined ? {} : { budget: { remainingMs: () => started + maxSeconds * 1000 - now(), reserveMs: 0 } };
    const summary = await runReporting(deps.adjust ? deps.adjust(production) : production, run);
    return summary.outcomes.failed > 0 || summary.accounts_failed > 0 ? 1 : 0;
  } catch (err: unknown) {
    log.error('the reporting run failed', runFailureFields(err));
    return 1;
  } finally {
    lock.release();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runReportCommand(process.argv.slice(2));
}
