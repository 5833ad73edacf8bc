/**
 * The laptop scan's plan: which accounts and regions to check, with which
 * config, as whom, from the command line, the config folder and the AWS
 * credentials of the shell. Everything that stops a scan before it starts
 * (a bad config, no credentials, an unknown region, regions that cannot be
 * listed) is a ScanSetupError whose message is one line saying what to do.
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfigError } from '../../config/configError.ts';
import { DEFAULTS, type HammerConfig } from '../../config/hammerConfig.ts';
import { IssueWhitelist } from '../../config/issueWhitelist.ts';
import { loadConfig, parseMainConfig } from '../../config/loadConfig.ts';
import type { AccountCredentialIdentity } from '../aws/accountCredentials.ts';
import { awsErrorCode } from '../aws/awsErrors.ts';
import type { AccountToScan } from '../scan/scanAccounts.ts';
import { isRegionName } from '../scan/scanMessage.ts';
import type { OutputFormat } from './findingsOutput.ts';

export interface LaptopScanRequest {
  configDir: string | undefined;
  accounts: string[] | undefined;
  regions: string[] | undefined;
  roleName: string | undefined;
  format: OutputFormat;
  write: boolean;
  verbose: boolean;
}

const ACCOUNT_ID = /^\d{12}$/;

/** The scan cannot start: one line saying why and what to do. */
export class ScanSetupError extends Error {
  override readonly name = 'ScanSetupError';
}

export interface ScanPlan {
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

/**
 * What to scan, found before anything is checked: the config (if any), the
 * caller (sts:GetCallerIdentity), the accounts, the regions, the role.
 * Throws ScanSetupError with a one-line reason and what to do.
 */
export async function planScan(request: LaptopScanRequest, env: NodeJS.ProcessEnv): Promise<ScanPlan> {
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
