/**
 * The scan command's output formats for its findings (one per account and
 * region): a table for a person, JSON (one object per account-region: the
 * item's issue_details plus account, region and status) and CSV.
 */
import { assessmentStatus, whatIsWrong, type AssessmentStatus } from '../scan/assessmentSummary.ts';
import type { RegionFinding } from '../scan/scanAccounts.ts';
import type { CloudTrailIssueDetails } from '../issues/cloudTrailIssue.ts';
import { renderCsv, renderTextTable } from './textTable.ts';

export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One account-region as JSON. */
export interface FindingJson {
  account_id: string;
  account_name: string;
  region: string;
  status: AssessmentStatus;
  /** What is wrong, in words (as the table's last column). */
  problem: string;
  /** The item's issue_details (for an issue, exactly what the Lambda stores); present when the region was checked. */
  issue_details?: CloudTrailIssueDetails;
  /** Why the region was not checked: the AWS operation and its error code. */
  error?: { operation: string; code: string; message: string };
}

export function findingJson(finding: RegionFinding): FindingJson {
  const { assessment } = finding;
  const json: FindingJson = {
    account_id: finding.accountId,
    account_name: finding.accountName,
    region: finding.region,
    status: assessmentStatus(assessment),
    problem: whatIsWrong(assessment, finding.region),
  };
  if (assessment.kind === 'issue') json.issue_details = assessment.finding.issue_details;
  else if (assessment.kind === 'ok' || assessment.kind === 'status-unknown') json.issue_details = assessment.details;
  else if (assessment.kind === 'failed') json.error = { operation: assessment.operation, code: assessment.errorCode, message: assessment.errorMessage };
  else json.error = { operation: 'DescribeTrails', code: assessment.errorCode, message: 'the region is not enabled in the account' };
  return json;
}

const TABLE_HEADER = ['ACCOUNT', 'NAME', 'REGION', 'STATUS', 'WHAT IS WRONG'];
const CSV_HEADER = ['account_id', 'account_name', 'region', 'status', 'problem'];

function rowOf(finding: RegionFinding): string[] {
  return [finding.accountId, finding.accountName, finding.region, assessmentStatus(finding.assessment), whatIsWrong(finding.assessment, finding.region)];
}

/** The findings table for a person, with a count line under it. */
export function renderFindingsTable(findings: readonly RegionFinding[]): string {
  const rows = findings.map((finding) => {
    const row = rowOf(finding);
    if (row[1] === '') row[1] = '-';
    return row;
  });
  return `${renderTextTable(TABLE_HEADER, rows)}\n\n${countLine(findings)}`;
}

/** "3 open issues, 1 whitelisted in 12 account-regions; 2 regions not enabled; ..." */
export function countLine(findings: readonly RegionFinding[]): string {
  const counts = new Map<AssessmentStatus, number>();
  for (const finding of findings) {
    const status = assessmentStatus(finding.assessment);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const count = (status: AssessmentStatus): number => counts.get(status) ?? 0;
  const parts = [`${count('open')} open ${count('open') === 1 ? 'issue' : 'issues'} in ${findings.length} ${findings.length === 1 ? 'account-region' : 'account-regions'}`];
  if (count('whitelisted') + count('tempwhitelist') > 0) parts.push(`${count('whitelisted') + count('tempwhitelist')} whitelisted`);
  parts.push(`${count('ok')} ok`);
  if (count('status-unknown') > 0) parts.push(`${count('status-unknown')} status unknown`);
  if (count('region-not-enabled') > 0) parts.push(`${count('region-not-enabled')} not enabled`);
  if (count('failed') > 0) parts.push(`${count('failed')} could not be checked`);
  return parts.join(', ');
}

export function renderFindings(findings: readonly RegionFinding[], format: OutputFormat): string {
  switch (format) {
    case 'table':
      return `${renderFindingsTable(findings)}\n`;
    case 'json':
      return `${JSON.stringify(findings.map(findingJson), null, 2)}\n`;
    case 'csv':
      return renderCsv(CSV_HEADER, findings.map(rowOf));
  }
}
