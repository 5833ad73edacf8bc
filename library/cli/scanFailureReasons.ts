/**
 * Why account-regions of a scan were not checked or not written, one line
 * per account and cause, each saying what to do (the scan command prints
 * them on stderr and exits 2 unless it found open issues).
 */
import { roleArn } from '../aws/accountCredentials.ts';
import type { RegionFinding } from '../scan/scanAccounts.ts';
import type { CommandLog } from './commandLog.ts';
import type { ScanPlan } from './scanPlan.ts';

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
export function checkFailureReasons(findings: readonly RegionFinding[], plan: ScanPlan): string[] {
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
export function writeFailureReasons(findings: readonly RegionFinding[], log: CommandLog, tableName: string, tableRegion: string): string[] {
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
