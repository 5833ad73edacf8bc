/**
 * The remediation run as a command for an operator's host (Hammer ran
 * `python3.6 -m remediation.clean_<issue> [--batch]` from cron or by hand):
 *
 *   npm run remediate -- --config <config dir> [--batch] [--dry-run] [--lock-file <path>]
 *
 * Same flow and production clients as the Lambda. Without `--batch` it asks
 * before starting each trail (the question on stderr, the answer from
 * stdin; anything but y/yes, or no answer, is no). `--dry-run` prints what it
 * would do and changes nothing (it runs even while cloudtrails.remediation is
 * false). The host's credentials assume aws.role_name_reporting in each
 * remediation account but their own (found with STS GetCallerIdentity,
 * which needs no permission). Exit codes: 0 done; 1 some account or issue
 * failed, or the run could not start; 2 bad command line or config; 3
 * another run holds the lock.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { awsErrorFields } from '../library/aws/awsErrors.ts';
import { createDocumentClient } from '../library/aws/dynamoDocument.ts';
import { runtimeRegion } from '../library/runtime/lambdaRuntime.ts';
import { createLogger, type Log } from '../library/runtime/logger.ts';
import { powertoolsLog } from '../library/runtime/powertoolsLog.ts';
import { acquireRunLock, defaultLockPath, RunLockedError, type RunLock } from '../reporting/runLock.ts';
import { productionRemediationDeps } from './remediationDeps.ts';
import { remediationFailureFields, runRemediation, type RemediationDeps } from './remediationRun.ts';
import { loadCommandConfig } from '../library/cli/commandConfig.ts';

export const USAGE = 'usage: npm run remediate -- --config <config dir> [--batch] [--dry-run] [--lock-file <path>]';

export const HELP = `${USAGE}

Remediates the CloudTrail issues of cloudtrails.remediation_accounts, one run
(Hammer's clean_* remediation for CloudTrail, as the clean_cloudtrails Lambda
does): every open issue that was reported more than
cloudtrails.remediation_retention_period days ago and is in neither whitelist
is rescanned, and each stopped trail of the account that would cover the
region is started (StartLogging); then the issue is rescanned, marked
remediated, and its ticket and Slack owners told. Nothing happens unless
cloudtrails.remediation is true in config.json.

  --config <dir>       the config folder (config.json, ticket_owners.json, ...);
                       default: $HAMMER_CONFIG_DIR
  --batch              do not ask before starting each trail
  --dry-run            print what would be done; start nothing, write nothing,
                       tell nobody (runs even while cloudtrails.remediation is false)
  --lock-file <path>   the lock that keeps one run at a time
                       (default: $TMPDIR/hammer-clean_cloudtrails.lock)
  --help               print this text

Exit codes: 0 done; 1 some account or issue failed, or the run could not start
(JIRA on without usable credentials); 2 bad command line or config; 3 another
run holds the lock.`;

export interface RemediateCommandDeps {
  env?: NodeJS.ProcessEnv;
  log?: Log;
  /** The document client (default: one for the runtime region). */
  doc?: DynamoDBDocumentClient;
  /** Changes the production deps before the run (tests swap clients). */
  adjust?: (deps: RemediationDeps) => RemediationDeps;
  /** The account the host's credentials belong to (default: STS GetCallerIdentity). */
  ownAccountId?: () => Promise<string | undefined>;
  /** Asks a yes/no question (default: stderr and stdin). */
  confirm?: (question: string) => Promise<boolean>;
  /** Where usage and config errors go (default stderr). */
  printError?: (line: string) => void;
  /** Where --help and the dry run go (default stdout). */
  print?: (text: string) => void;
}

interface Options {
  config: string | undefined;
  batch: boolean;
  dryRun: boolean;
  lockFile: string | undefined;
}

export async function runRemediateCommand(argv: readonly string[], deps: RemediateCommandDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const printError = deps.printError ?? ((line: string) => process.stderr.write(`${line}\n`));
  const print = deps.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  let options: Options;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        batch: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        'lock-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      print(HELP);
      return 0;
    }
    options = { config: values.config ?? env.HAMMER_CONFIG_DIR, batch: values.batch ?? false, dryRun: values['dry-run'] ?? false, lockFile: values['lock-file'] };
  } catch (err: unknown) {
    printError(`remediate: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const config = loadCommandConfig('remediate', USAGE, options.config, printError);
  if ('exitCode' in config) return config.exitCode;

  const log = deps.log ?? powertoolsLog(createLogger('clean_cloudtrails'));
  let lock: RunLock | undefined;
  if (!options.dryRun) {
    try {
      lock = acquireRunLock(options.lockFile ?? defaultLockPath('clean_cloudtrails'));
    } catch (err: unknown) {
      if (!(err instanceof RunLockedError)) throw err;
      log.error('another remediation run is already running, quitting', { operation: 'lock', error_code: 'RunLocked', lock_file: err.path, holder_pid: err.holderPid });
      return 3;
    }
  }
  const questions = options.batch || options.dryRun || deps.confirm !== undefined ? undefined : stdinQuestions();
  try {
    const region = runtimeRegion(config.aws.region, env);
    const doc = deps.doc ?? createDocumentClient(region);
    const production = productionRemediationDeps({ config, doc, log, region });
    const ownAccountId = await (deps.ownAccountId ?? (() => callerAccount(region, log)))();
    const confirm = options.batch || options.dryRun ? undefined : deps.confirm ?? questions?.confirm;
    const summary = await runRemediation(deps.adjust ? deps.adjust(production) : production, {
      dryRun: options.dryRun,
      print,
      ownAccountId,
      ...(confirm === undefined ? {} : { confirm }),
    });
    return summary.outcomes.failed > 0 || summary.accounts_failed > 0 ? 1 : 0;
  } catch (err: unknown) {
    log.error('the remediation run failed', remediationFailureFields(err));
    return 1;
  } finally {
    questions?.close();
    lock?.release();
  }
}

/** The account of the host's credentials; undefined (every account through its role) when STS cannot say. */
async function callerAccount(region: string, log: Log): Promise<string | undefined> {
  const sts = new STSClient({ region });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (err: unknown) {
    log.warn('cannot tell which account the credentials belong to; every remediation account is reached through its role', awsErrorFields('GetCallerIdentity', err));
    return undefined;
  } finally {
    sts.destroy();
  }
}

/** y/N questions on stderr, answers read line by line from stdin; no more input means no. */
function stdinQuestions(): { confirm: (question: string) => Promise<boolean>; close: () => void } {
  const lines = createInterface({ input: process.stdin, terminal: false });
  const pending: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let closed = false;
  lines.on('line', (line) => {
    if (waiting === undefined) pending.push(line);
    else {
      const answer = waiting;
      waiting = undefined;
      answer(line);
    }
  });
  lines.on('close', () => {
    closed = true;
    waiting?.(undefined);
    waiting = undefined;
  });
  return {
    confirm: async (question) => {
      process.stderr.write(`${question} [y/N]? `);
      const line = pending.shift() ?? (closed ? undefined : await new Promise<string | undefined>((resolve) => { waiting = resolve; }));
      return line !== undefined && /^\s*y(es)?\s*$/i.test(line);
    },
    close: () => lines.close(),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runRemediateCommand(process.argv.slice(2));
}
