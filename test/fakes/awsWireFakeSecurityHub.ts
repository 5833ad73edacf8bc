/**
 * Security Hub in the AWS wire fake (REST-JSON protocol, as the SDK's
 * AwsRestJsonProtocol speaks it): `POST /findings/import` (BatchImportFindings)
 * with `{"Findings": [...]}`, answered `{"FailedCount", "SuccessCount",
 * "FailedFindings": [{"Id", "ErrorCode", "ErrorMessage"}]}`; errors as HTTP
 * status, header `x-amzn-ErrorType` and body `{"Code", "Message"}`.
 *
 * As Security Hub does:
 * - an account and region where Security Hub is not enabled answers the whole
 *   call 401 InvalidAccessException "Account <id> is not subscribed to AWS
 *   Security Hub";
 * - more than 100 findings, or no `Findings` list, is 400 InvalidInputException;
 * - each finding is checked on its own (required ASFF attributes, the
 *   default product ARN of the calling account and region, AwsAccountId = the
 *   caller, severity and types given top-level or in FindingProviderFields,
 *   ASFF limits and enums): a bad one lands in FailedFindings, the others are taken;
 * - a finding is created, or updated only when its UpdatedAt is later than
 *   the stored one (else ignored); on an update Note, UserDefinedFields,
 *   VerificationState and Workflow are ignored; the workflow status goes from
 *   NOTIFIED or RESOLVED back to NEW when RecordState goes ARCHIVED → ACTIVE
 *   or Compliance.Status leaves PASSED, and a SUPPRESSED one stays.
 */
import { FakeAwsError, type FakeAwsState } from './awsWireFakeState.ts';

type Json = Record<string, unknown>;

/** A finding as the fake holds it: the finding as last applied, its workflow status, and its history. */
export interface StoredSecurityHubFinding {
  accountId: string;
  region: string;
  finding: Json;
  workflowStatus: 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';
  /** Every accepted import of this finding: created, updated, or ignored (UpdatedAt not later). */
  history: Array<{ outcome: 'created' | 'updated' | 'ignored'; finding: Json }>;
}

/** One BatchImportFindings call the fake answered 200. */
export interface SecurityHubImport {
  accountId: string;
  region: string;
  findings: Json[];
  failed: Array<{ Id: string; ErrorCode: string; ErrorMessage: string }>;
}

export interface FindingFailure {
  remaining: number;
  code: string;
  message: string;
  accountId?: string;
  region?: string;
}

export interface SecurityHubBackend {
  state: FakeAwsState;
  findings: Map<string, StoredSecurityHubFinding>;
  imports: SecurityHubImport[];
  /** Injected per-finding failures (the next N findings land in FailedFindings). */
  findingFailures: FindingFailure[];
}

export interface SecurityHubCall {
  method: string;
  path: string;
  accountId: string;
  region: string;
  body: string;
}

const MAX_BATCH = 100;
const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const TYPE_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];
const COMPLIANCE_STATUSES = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];
const RECORD_STATES = ['ACTIVE', 'ARCHIVED'];
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The operation a REST-JSON request names, by method and path. */
export function securityHubOperation(method: string, path: string): string {
  if (method === 'POST' && path === '/findings/import') return 'BatchImportFindings';
  return '';
}

export function storedFindingKey(productArn: string, id: string): string {
  return `${productArn}|${id}`;
}

/** Security Hub's answer to one call, as a JSON document (throws FakeAwsError for an error answer). */
export function answerSecurityHub(call: SecurityHubCall, backend: SecurityHubBackend): Json {
  const operation = securityHubOperation(call.method, call.path);
  if (operation !== 'BatchImportFindings') {
    throw new FakeAwsError('UnknownOperationException', `The wire fake does not implement Security Hub ${call.method} ${call.path}`, 404);
  }
  const enabled = backend.state.accounts[call.accountId]?.securityHubRegions ?? [];
  if (!enabled.includes(call.region)) {
    throw new FakeAwsError('InvalidAccessException', `Account ${call.accountId} is not subscribed to AWS Security Hub`, 401);
  }
  let body: unknown;
  try {
    body = call.body === '' ? {} : JSON.parse(call.body);
  } catch {
    throw new FakeAwsError('InvalidInputException', 'The request body is not JSON', 400);
  }
  const findings = isObject(body) ? body.Findings : undefined;
  if (!Array.isArray(findings)) throw new FakeAwsError('InvalidInputException', 'Findings is required: a list of findings', 400);
  if (findings.length > MAX_BATCH) throw new FakeAwsError('InvalidInputException', `Findings has ${findings.length} members; at most ${MAX_BATCH} are allowed`, 400);

  const failed: SecurityHubImport['failed'] = [];
  let success = 0;
  for (const raw of findings) {
    const id = isObject(raw) && typeof raw.Id === 'string' ? raw.Id : '';
    const injected = takeFailure(backend, call);
    const problem = injected ?? checkFinding(raw, call);
    if (problem !== undefined) {
      failed.push({ Id: id, ErrorCode: problem.code, ErrorMessage: problem.message });
      continue;
    }
    apply(backend, call, raw as Json);
    success += 1;
  }
  backend.imports.push({ accountId: call.accountId, region: call.region, findings: findings as Json[], failed });
  return { FailedCount: failed.length, SuccessCount: success, FailedFindings: failed };
}

function takeFailure(backend: SecurityHubBackend, call: SecurityHubCall): { code: string; message: string } | undefined {
  const index = backend.findingFailures.findIndex((failure) =>
    (failure.accountId === undefined || failure.accountId === call.accountId) && (failure.region === undefined || failure.region === call.region));
  const failure = backend.findingFailures[index];
  if (!failure) return undefined;
  failure.remaining -= 1;
  if (failure.remaining <= 0) backend.findingFailures.splice(index, 1);
  return { code: failure.code, message: failure.message };
}

/** Why Security Hub refuses the finding, or undefined when it takes it. */
function checkFinding(raw: unknown, call: SecurityHubCall): { code: string; message: string } | undefined {
  const invalid = (message: string) => ({ code: 'InvalidInput', message: `Finding does not adhere to Amazon Finding Format. ${message}` });
  if (!isObject(raw)) return invalid('A finding must be an object.');
  for (const key of ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'CreatedAt', 'UpdatedAt', 'Title', 'Description']) {
    if (typeof raw[key] !== 'string' || raw[key] === '') return invalid(`data.${key} is required and must be a non-empty string.`);
  }
  if (raw.SchemaVersion !== '2018-10-08') return invalid('data.SchemaVersion must be 2018-10-08.');
  const expectedProduct = `arn:${partitionOf(call.region)}:securityhub:${call.region}:${call.accountId}:product/${call.accountId}/default`;
  if (raw.ProductArn !== expectedProduct) {
    return { code: 'AccessDeniedException', message: `Account ${call.accountId} cannot import findings for product ${String(raw.ProductArn)} in ${call.region}` };
  }
  if (raw.AwsAccountId !== call.accountId) {
    return { code: 'AccessDeniedException', message: `Account ${call.accountId} cannot import findings about account ${String(raw.AwsAccountId)} with the default product` };
  }
  for (const key of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt']) {
    if (raw[key] !== undefined && (typeof raw[key] !== 'string' || !ISO_TIME.test(raw[key]) || Number.isNaN(Date.parse(raw[key])))) return invalid(`data.${key} must be an ISO 8601 date-time.`);
  }
  if ((raw.Title as string).length > 256) return invalid('data.Title should NOT be longer than 256 characters.');
  if ((raw.Description as string).length > 1024) return invalid('data.Description should NOT be longer than 1024 characters.');
  const resources = raw.Resources;
  if (!Array.isArray(resources) || resources.length === 0 || resources.length > 32) return invalid('data.Resources must hold 1 to 32 resources.');
  for (const resource of resources) {
    if (!isObject(resource) || typeof resource.Type !== 'string' || resource.Type === '' || typeof resource.Id !== 'string' || resource.Id === '') return invalid('data.Resources[] needs Type and Id.');
    if (resource.Partition !== undefined && !PARTITIONS.includes(resource.Partition as string)) return invalid('data.Resources[].Partition is not a partition.');
  }
  const provider = isObject(raw.FindingProviderFields) ? raw.FindingProviderFields : undefined;
  const severity = raw.Severity ?? provider?.Severity;
  if (!isObject(severity) || !SEVERITY_LABELS.includes(severity.Label as string)) return invalid('data.Severity (or FindingProviderFields.Severity) needs a Label of INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL.');
  const types = raw.Types ?? provider?.Types;
  if (!Array.isArray(types) || types.length === 0 || types.length > 50) return invalid('data.Types (or FindingProviderFields.Types) needs 1 to 50 types.');
  if (!types.every((type) => typeof type === 'string' && TYPE_NAMESPACES.includes(type.split('/')[0] ?? ''))) return invalid('data.Types must start with a defined namespace.');
  if (raw.Compliance !== undefined) {
    if (!isObject(raw.Compliance) || !COMPLIANCE_STATUSES.includes(raw.Compliance.Status as string)) return invalid('data.Compliance.Status must be PASSED, WARNING, FAILED or NOT_AVAILABLE.');
    const requirements = raw.Compliance.RelatedRequirements;
    if (requirements !== undefined && (!Array.isArray(requirements) || requirements.length > 32 || !requirements.every((entry) => typeof entry === 'string'))) return invalid('data.Compliance.RelatedRequirements must be at most 32 strings.');
  }
  if (raw.RecordState !== undefined && !RECORD_STATES.includes(raw.RecordState as string)) return invalid('data.RecordState must be ACTIVE or ARCHIVED.');
  const recommendation = isObject(raw.Remediation) && isObject(raw.Remediation.Recommendation) ? raw.Remediation.Recommendation.Text : undefined;
  if (typeof recommendation === 'string' && recommendation.length > 512) return invalid('data.Remediation.Recommendation.Text should NOT be longer than 512 characters.');
  if (raw.ProductFields !== undefined) {
    if (!isObject(raw.ProductFields) || Object.keys(raw.ProductFields).length > 50 || !Object.values(raw.ProductFields).every((value) => typeof value === 'string')) {
      return invalid('data.ProductFields must map at most 50 keys to strings.');
    }
  }
  return undefined;
}

function apply(backend: SecurityHubBackend, call: SecurityHubCall, raw: Json): void {
  const key = storedFindingKey(raw.ProductArn as string, raw.Id as string);
  const stored = backend.findings.get(key);
  if (stored === undefined) {
    const workflow = isObject(raw.Workflow) && typeof raw.Workflow.Status === 'string' ? raw.Workflow.Status : 'NEW';
    backend.findings.set(key, {
      accountId: call.accountId,
      region: call.region,
      finding: withProviderFields(raw),
      workflowStatus: workflow as StoredSecurityHubFinding['workflowStatus'],
      history: [{ outcome: 'created', finding: raw }],
    });
    return;
  }
  if (!(Date.parse(raw.UpdatedAt as string) > Date.parse(stored.finding.UpdatedAt as string))) {
    stored.history.push({ outcome: 'ignored', finding: raw });
    return;
  }
  const previous = stored.finding;
  const { Note: _note, UserDefinedFields: _fields, VerificationState: _verification, Workflow: _workflow, ...updatable } = raw;
  const next = withProviderFields({ ...updatable, ...pick(previous, ['Note', 'UserDefinedFields', 'VerificationState']) });
  const reopened = previous.RecordState === 'ARCHIVED' && (next.RecordState ?? 'ACTIVE') === 'ACTIVE';
  const failedAgain = complianceStatus(previous) === 'PASSED' && complianceStatus(next) !== undefined && complianceStatus(next) !== 'PASSED';
  if ((reopened || failedAgain) && (stored.workflowStatus === 'NOTIFIED' || stored.workflowStatus === 'RESOLVED')) stored.workflowStatus = 'NEW';
  stored.finding = next;
  stored.history.push({ outcome: 'updated', finding: raw });
}

/** Top-level Severity and Types follow the provider's own (no BatchUpdateFindings in the fake). */
function withProviderFields(finding: Json): Json {
  const provider = isObject(finding.FindingProviderFields) ? finding.FindingProviderFields : {};
  return {
    ...finding,
    ...(provider.Severity !== undefined ? { Severity: provider.Severity } : {}),
    ...(provider.Types !== undefined ? { Types: provider.Types } : {}),
    FindingProviderFields: { ...provider, Severity: provider.Severity ?? finding.Severity, Types: provider.Types ?? finding.Types },
  };
}

function complianceStatus(finding: Json): string | undefined {
  return isObject(finding.Compliance) && typeof finding.Compliance.Status === 'string' ? finding.Compliance.Status : undefined;
}

function pick(source: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
