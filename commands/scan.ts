/**
 * `hammer-cloudtrails scan` (also `npm run scan --`): checks CloudTrail
 * logging from a laptop with the default AWS credential chain, running the
 * describe Lambda's identification code in this process. Thin: it reads the
 * command line and hands over to library/cli/laptopScan.ts.
 */
import { pathToFileURL } from 'node:url';
import { parseCommandLine, processIo, usageError, type CommandIo } from '../library/cli/commandLine.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../library/cli/findingsOutput.ts';
import { exitWhenFlushed } from './exitWhenFlushed.ts';

export const USAGE = `usage: hammer-cloudtrails scan [options]        (or: npm run scan -- [options])

Checks that CloudTrail logs, and delivers to S3 and CloudWatch Logs, in every
region of the current AWS account (default credential chain: AWS_PROFILE,
SSO, environment keys), or of the accounts of a config folder through their
role. Writes nothing unless --write.

options:
  --config <dir>         a config folder (e.g. deployment/terraform/accounts/sample/config):
                         its checked accounts, aws.regions, role and whitelists
  --accounts <ids>       comma-separated account ids (default: the current account,
                         or the config's checked accounts); other accounts are
                         read through --role-name
  --regions <names>      comma-separated regions (default: aws.regions, else the
                         account's enabled regions from ec2:DescribeRegions)
  --role-name <name>     the role to assume in other accounts (default:
                         aws.role_name_identification, else hammer-cloudsec-crossact-id)
  --format <format>      table (default), json or csv, on stdout
  --write                merge the findings into the config's issues table, as the
                         describe Lambda does (needs --config)
  --verbose              the identification log (JSON lines) on stderr
  -h, --help             this help

exit codes: 0 no open issue, 1 open issues found, 2 could not scan (the reason is on stderr)`;

const OPTIONS = {
  config: { type: 'string' },
  accounts: { type: 'string' },
  regions: { type: 'string' },
  'role-name': { type: 'string' },
  format: { type: 'string' },
  write: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const;

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

export async function runScanCommand(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  const parsed = parseCommandLine('scan', USAGE, argv, OPTIONS, io);
  if ('exitCode' in parsed) return parsed.exitCode;
  const { values } = parsed;
  const format = values.format ?? 'table';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) return usageError('scan', USAGE, `--format must be one of ${OUTPUT_FORMATS.join(', ')}, not '${format}'`, io).exitCode;
  const accounts = list(values.accounts);
  const regions = list(values.regions);
  if (accounts?.length === 0) return usageError('scan', USAGE, '--accounts needs at least one account id', io).exitCode;
  if (regions?.length === 0) return usageError('scan', USAGE, '--regions needs at least one region', io).exitCode;
  if (values['role-name'] === '') return usageError('scan', USAGE, '--role-name needs a role name', io).exitCode;
  // Loaded once the command line is good: the AWS SDK takes a moment to load, --help need not wait for it.
  const [{ runLaptopScan }, { CLOUDTRAIL_CALLS_PER_SECOND, REGION_CONCURRENCY }] = await Promise.all([
    import('../library/cli/laptopScan.ts'),
    import('../lambdas/cloudtrails-issues-identification/describe_cloudtrails.ts'),
  ]);
  return runLaptopScan({
    configDir: values.config,
    accounts,
    regions,
    roleName: values['role-name'],
    format: format as OutputFormat,
    write: values.write === true,
    verbose: values.verbose === true,
  }, { cloudTrailCallsPerSecond: CLOUDTRAIL_CALLS_PER_SECOND, regionConcurrency: REGION_CONCURRENCY }, io);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  exitWhenFlushed(await runScanCommand(process.argv.slice(2)));
}
