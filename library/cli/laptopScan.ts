/**
 * The scan command's run: identification in this process against real AWS
 * with the default credential chain (a profile, SSO, environment keys), the
 * current account or the config's checked accounts through their role. The
 * check itself is the describe Lambda's code (scanAccounts over
 * identifyScanMessage); this module finds what to scan, wires the clients,
 * prints the findings and gives the exit code:
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
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfigError } from '../../config/configError.ts';
import { DEFAULTS, type HammerConfig } from '../../config/hammerConfig.ts';
import { IssueWhitelist } from '../../config/issueWhitelist.ts';
import { loadConfig, parseMainConfig } from '../../config/loadConfig.ts';
import { AccountCredentials, roleArn, type AccountCredentialIdentity } from '../aws/accountCredentials.ts';
import { awsErrorCode } from '../aws/awsErrors.ts';
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
import { scanAccounts, type AccountToScan, type RegionFinding } from '../scan/scanAccounts.ts';
import { isRegionName } from '../scan/scanMessage.ts';
import { ScanMessagePublisher } from '../scan/scanMessagePublisher.ts';
import type { CommandIo } from './commandLine.ts';
import { CommandLog } from './commandLog.ts';
import { renderFindings, type OutputFormat } from './findingsOutput.ts';
import { ProgressLine } from './progressLine.ts';

/** The describe Lambda's limits, so a laptop scan paces CloudTrail as the Lambda does. */
export interface IdentificationLimits {
  cloudTrailCallsPerSecond: number;
  regionConcurrency: number;
}

export interface LaptopScanRequest {
  configDir: string | undefined;
  accounts: string[] | undefined;
  regions: string[] | undefined;
  roleName: string | undefined;
  format: OutputFormat;
  write: boolean;
  verbose: boolean;
}

/** Accounts whose regions are checked at once (each with all its regions at once). */
const ACCOUNT_CONCURRENCY = 8;
const ACCOUNT_ID = /^\d{12}$/;
const SESSION_NAME = 'hammer-cloudtrails-scan';

/** The scan cannot start: one line saying why and what to do. */
class ScanSetupError extends Error {
  override readonly name = 'ScanSetupError';
}

interface ScanPlan {
  config: HammerConfig | undefined;
  identification: Pick<HammerConfig, 'cloudtrails' | 'whitelist' | 'tempWhitelist'>;
  accounts: AccountToScan[];
  regions: string[];
  ownAccountId: string;
  callerArn: string;
  /**
   * The caller's credentials, resolved once from the default chain and shared
   * by every client (a profile with SSO or credential_process is asked once,
   * not once per region; a scan lasts minutes, such sessions an hour or more).
   */
  ownCredentials: AccountCredentialIdentity;
  roleName: string;
  homeRegion: string;
}

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

async function planScan(request: LaptopScanRequest, env: NodeJS.ProcessEnv): Promise<ScanPlan> {
  let config: HammerConfig | undefined;
  if (request.configDir !== undefined) {
    try {
      config = loadConfig(request.configDir);
    } catch (err: unknown) {
      if (err instanceof ConfigError) throw new ScanSetupError(`invalid config: ${err.message}`);
      throw err;
    }
  }
  if (request.write && config === undefined) throw new ScanSetupError('--write needs --config <dir>: the issues table, whitelists and checked accounts come from the config folder');
  for (const account of request.accounts ?? []) {
    if (!ACCOUNT_ID.test(account)) throw new ScanSetupError(`--accounts: '${account}' is not a 12-digit AWS account id`);
  }
  for (const region of request.regions ?? []) {
    if (!isRegionName(region)) throw new ScanSetupError(`--regions: unknown region '${region}' (region names look like eu-west-1)`);
  }

  const homeRegion = env.AWS_REGION || env.AWS_DEFAULT_REGION || config?.aws.region || (await profileRegion()) || 'us-east-1';
  const caller = await callerIdentity(homeRegion);
  const roleName = request.roleName ?? config?.aws.roleNameIdentification ?? DEFAULTS.roleNameIdentification;
  const accounts = accountsToScan(request, config, caller.accountId);
  const regions = request.regions ?? config?.aws.regions ?? (await enabledRegions(homeRegion));
  if (request.regions !== undefined) await checkRegionsExist(request.regions, homeRegion);
  return {
    config,
    identification: config ?? defaultIdentificationConfig(caller.accountId, homeRegion),
    accounts,
    regions: [...new Set(regions)],
    ownAccountId: caller.accountId,
    callerArn: caller.arn,
    ownCredentials: caller.credentials,
    roleName,
    homeRegion,
  };
}

function accountsToScan(request: LaptopScanRequest, config: HammerConfig | undefined, ownAccountId: string): AccountToScan[] {
  if (config === undefined) {
    const ids = request.accounts ?? [ownAccountId];
    return [...new Set(ids)].map((accountId) => ({ accountId, accountName: '' }));
  }
  const checked = config.cloudtrails.accounts;
  if (request.accounts === undefined) return Object.entries(checked).map(([accountId, accountName]) => ({ accountId, accountName }));
  const unknown = request.accounts.filter((account) => !(account in checked));
  if (unknown.length > 0) {
    throw new ScanSetupError(`--accounts: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not checked by the config in ${config.dir} (aws.accounts, cloudtrails.accounts, cloudtrails.ignore_accounts)`);
  }
  return [...new Set(request.accounts)].map((accountId) => ({ accountId, accountName: checked[accountId] ?? '' }));
}

/** Identification's config when no folder is given: Hammer's defaults, no whitelist. */
function defaultIdentificationConfig(accountId: string, region: string): Pick<HammerConfig, 'cloudtrails' | 'whitelist' | 'tempWhitelist'> {
  const main = parseMainConfig('(built-in defaults)', { aws: { region, accounts: { [accountId]: '' } }, cloudtrails: { 'ddb.table_name': 'hammer-cloudtrails' } });
  return { cloudtrails: main.cloudtrails, whitelist: IssueWhitelist.empty(), tempWhitelist: IssueWhitelist.empty() };
}

/** The region of the shared config profile (AWS_PROFILE's `region`), as the SDK resolves it, if any. */
async function profileRegion(): Promise<string | undefined> {
  const probe = new STSClient({});
  try {
    return await probe.config.region();
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

async function callerIdentity(region: string): Promise<{ accountId: string; arn: string; credentials: AccountCredentialIdentity }> {
  const sts = new STSClient({ region });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (identity.Account === undefined) throw new ScanSetupError('sts:GetCallerIdentity answered without an account');
    return { accountId: identity.Account, arn: identity.Arn ?? '', credentials: await sts.config.credentials() };
  } catch (err: unknown) {
    if (err instanceof ScanSetupError) throw err;
    throw new ScanSetupError(credentialsProblem(err));
  } finally {
    sts.destroy();
  }
}

function credentialsProblem(err: unknown): string {
  const code = networkCode(err) ?? awsErrorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'CredentialsProviderError') {
    return 'no AWS credentials found: set AWS_PROFILE (after `aws configure` or `aws sso login`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run again';
  }
  if (code === 'ExpiredToken' || code === 'ExpiredTokenException' || code === 'TokenRefreshRequired') {
    return `the AWS credentials have expired (${code}): refresh them (e.g. \`aws sso login\`) and run again`;
  }
  if (code === 'InvalidClientTokenId' || code === 'SignatureDoesNotMatch' || code === 'UnrecognizedClientException') {
    return `the AWS credentials were refused (${code}): check AWS_PROFILE or the access key in use`;
  }
  if (isNetworkCode(code)) return `cannot reach AWS STS (${code}: ${message}): check the network (or AWS_ENDPOINT_URL_STS)`;
  return `cannot tell who the credentials belong to: sts:GetCallerIdentity answered ${code} (${message})`;
}

async function enabledRegions(region: string): Promise<string[]> {
  const ec2 = new EC2Client({ region });
  try {
    const response = await ec2.send(new DescribeRegionsCommand({ AllRegions: false }));
    const regions = (response.Regions ?? [])
      .filter((entry) => entry.OptInStatus !== 'not-opted-in')
      .map((entry) => entry.RegionName)
      .filter((name): name is string => typeof name === 'string' && name !== '');
    if (regions.length === 0) throw new ScanSetupError('ec2:DescribeRegions listed no region: pass --regions');
    return [...new Set(regions)].sort();
  } catch (err: unknown) {
    if (err instanceof ScanSetupError) throw err;
    throw new ScanSetupError(`cannot list the account's regions: ec2:DescribeRegions answered ${networkCode(err) ?? awsErrorCode(err)}: pass --regions (e.g. --regions eu-west-1,us-east-1) or allow ec2:DescribeRegions`);
  } finally {
    ec2.destroy();
  }
}

/**
 * Refuses a region AWS does not have (a typo), by the list of every region
 * ec2:DescribeRegions gives; when that list cannot be read, the regions are
 * tried as they are (an unknown one then fails with no endpoint).
 */
async function checkRegionsExist(regions: readonly string[], homeRegion: string): Promise<void> {
  const ec2 = new EC2Client({ region: homeRegion });
  let known: Set<string>;
  try {
    const response = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    known = new Set((response.Regions ?? []).map((entry) => entry.RegionName).filter((name): name is string => typeof name === 'string'));
  } catch {
    return;
  } finally {
    ec2.destroy();
  }
  const unknown = regions.filter((region) => !known.has(region));
  if (known.size > 0 && unknown.length > 0) {
    throw new ScanSetupError(`--regions: unknown region ${unknown.map((region) => `'${region}'`).join(', ')}: AWS lists ${[...known].sort().join(', ')}`);
  }
}

const NETWORK_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError']);

function networkCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code) ? code : undefined;
}

function isNetworkCode(code: string): boolean {
  return NETWORK_CODES.has(code);
}

/** The principal a trust policy names for the caller: the role of an assumed-role session, else the ARN as it is. */
function principalOf(callerArn: string): string {
  const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  if (session) return `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
  return callerArn || 'your principal';
}

function label(finding: Pick<RegionFinding, 'accountId' | 'accountName'>): string {
  return finding.accountName === '' ? `account ${finding.accountId}` : `account ${finding.accountId} (${finding.accountName})`;
}

/** One line per account and kind of failure: what failed, in which regions, and what to do. */
function checkFailureReasons(findings: readonly RegionFinding[], plan: ScanPlan): string[] {
  const groups = new Map<string, { finding: RegionFinding; operation: string; code: string; message: string; regions: string[] }>();
  for (const finding of findings) {
    const { assessment } = finding;
    if (assessment.kind !== 'failed') continue;
    const code = /ENOTFOUND/.test(assessment.errorMessage) ? 'ENOTFOUND' : assessment.errorCode;
    const key = `${finding.accountId}|${assessment.operation}|${code}`;
    const group = groups.get(key) ?? { finding, operation: assessment.operation, code, message: assessment.errorMessage, regions: [] };
    group.regions.push(finding.region);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ finding, operation, code, message, regions }) => {
    const where = `${label(finding)}, ${regions.length === 1 ? 'region' : 'regions'} ${regions.join(', ')}`;
    if (operation === 'AssumeRole') {
      return `${label(finding)}: cannot assume ${roleArn(finding.accountId, plan.roleName)} (${code}): the role must exist, allow cloudtrail:DescribeTrails, GetTrailStatus and GetEventSelectors, and trust ${principalOf(plan.callerArn)}; or pass --role-name <a role that does>`;
    }
    if (code === 'ENOTFOUND') return `${where}: no CloudTrail endpoint (${message}): check the region name in --regions or aws.regions`;
    if (/AccessDenied|UnauthorizedOperation/.test(code)) {
      return `${where}: ${operation} answered ${code}: allow cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus and cloudtrail:GetEventSelectors (an SCP may deny them)`;
    }
    return `${where}: ${operation} answered ${code} (${message}); run again, or with --verbose for the log`;
  });
}

/** With --write: the regions whose finding could not be written, by account. */
function writeFailureReasons(findings: readonly RegionFinding[], log: CommandLog, tableName: string, tableRegion: string): string[] {
  const byAccount = new Map<string, { finding: RegionFinding; regions: string[] }>();
  for (const finding of findings) {
    if (finding.result !== 'failed' || finding.assessment.kind === 'failed') continue;
    const group = byAccount.get(finding.accountId) ?? { finding, regions: [] };
    group.regions.push(finding.region);
    byAccount.set(finding.accountId, group);
  }
  return [...byAccount.values()].map(({ finding, regions }) => {
    const logged = log.errors.find((fields) => fields.account_id === finding.accountId && typeof fields.operation === 'string' && fields.operation.startsWith('dynamodb:'));
    const code = typeof logged?.error_code === 'string' ? logged.error_code : 'an error';
    return `${label(finding)}, ${regions.length === 1 ? 'region' : 'regions'} ${regions.join(', ')}: could not write to the issues table ${tableName} in ${tableRegion} (${code}): check the table and region, and dynamodb:GetItem, PutItem and UpdateItem`;
  });
}
