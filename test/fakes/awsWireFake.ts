/**
 * A loopback fake of the AWS wire protocols this project calls: CloudTrail
 * and Organizations (JSON 1.1), STS, SNS and EC2 (query protocol), Security Hub's
 * BatchImportFindings (REST-JSON, awsWireFakeSecurityHub.ts). One HTTP server on
 * 127.0.0.1 answers the AWS SDK v3 clients as the real services do, so the
 * built Lambda zips run unchanged with `AWS_ENDPOINT_URL_<SERVICE>` pointing
 * at it (see `endpointEnv`).
 *
 * - The service is told apart by `X-Amz-Target` (CloudTrail: `CloudTrail_20131101.<Op>`,
 *   also with the `com.amazonaws.cloudtrail.v20131101.` prefix), by a REST
 *   path (Security Hub: `POST /findings/import`), or by the
 *   signing service of the `Authorization` header (`Credential=<AKID>/<date>/
 *   <region>/<service>/aws4_request`); the region comes from there too.
 * - Keys not handed out by the fake belong to `state.callerAccountId`;
 *   AssumeRole hands out per-account keys (with a session token the fake
 *   checks, and an expiry it enforces), so later calls act in that account.
 * - Every request is recorded (`calls`), every published SNS message kept
 *   (`published`), and errors can be injected per service, operation,
 *   account, region, trail or topic, N times or always (`inject`).
 * - The state object is live: a test may change trails, statuses or regions
 *   between calls.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SNSEvent } from 'aws-lambda';
import { answerCloudTrail, checkFakeTrail } from './awsWireFakeCloudTrail.ts';
import { answerOrganizations } from './awsWireFakeOrganizations.ts';
import { answerEc2, answerSns, answerSts, assumedRoleArn, queryErrorDocument, roleIdOf, type QueryCall, type QueryService } from './awsWireFakeQuery.ts';
import {
  FakeAwsError,
  type ErrorInjection,
  type FakeAwsState,
  type FakeService,
  type IssuedSession,
  type PublishedMessage,
  type RecordedCall,
} from './awsWireFakeState.ts';
import { renderXml } from './awsWireFakeXml.ts';
import { answerSecurityHub, securityHubOperation, type FindingFailure, type SecurityHubImport, type StoredSecurityHubFinding } from './awsWireFakeSecurityHub.ts';

export type { ErrorInjection, FakeAccount, FakeAwsState, FakeOrganization, FakeOrganizationAccount, FakeService, FakeTrail, IssuedSession, PublishedMessage, RecordedCall } from './awsWireFakeState.ts';
export { AWS_REGIONS } from './awsWireFakeState.ts';
export type { SecurityHubImport, StoredSecurityHubFinding } from './awsWireFakeSecurityHub.ts';

export interface AwsWireFakeOptions {
  /**
   * The fake's clock (default: the real clock): session expiry, publish times,
   * the time of each recorded call, the CloudTrail rate limit. A test that
   * freezes it gets the rate answers it asks for, whatever the machine's speed.
   */
  now?: () => Date;
  /**
   * Answer ThrottlingException past this many CloudTrail calls in any second
   * per account and region, as CloudTrail does past 10 (default: no limit).
   */
  cloudTrailCallsPerSecond?: number;
  /**
   * Wait this long before sending each answer (default 0), as the network and
   * the service would: a number for every call, or per call (by service,
   * operation, account, region). For benchmarks; the rate limit and the
   * recorded `at` still count from the request's arrival.
   */
  latencyMs?: number | ((call: Pick<RecordedCall, 'service' | 'operation' | 'accountId' | 'region'>) => number);
  /** How the latency is waited (default: a timer); a test may record it instead. */
  sleep?: (ms: number) => Promise<void>;
}

export interface AwsWireFake {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** `AWS_ENDPOINT_URL_CLOUDTRAIL`, `_STS`, `_SNS`, `_EC2`, `_SECURITYHUB`, `_ORGANIZATIONS`, all set to `endpoint`. */
  endpointEnv: Record<string, string>;
  /** The live state: change it between calls to change what the services answer. */
  state: FakeAwsState;
  /** Every request in arrival order. */
  calls: RecordedCall[];
  callsTo(service: FakeService, operation?: string): RecordedCall[];
  /** Forget the recorded calls (published messages and sessions stay). */
  clearCalls(): void;
  inject(injection: ErrorInjection): void;
  clearInjections(): void;
  /** The next `count` PublishBatch entries (to `topicArn`, or any topic) land in `Failed` instead of being published. */
  failBatchEntries(count: number, failure?: { topicArn?: string; code?: string; message?: string; senderFault?: boolean }): void;
  /** Every message published to the topic, in order. */
  published(topicArn: string): PublishedMessage[];
  /** The messages published to the topic since the last take (to deliver them, say). */
  takePublished(topicArn: string): PublishedMessage[];
  /** Every session AssumeRole handed out. */
  sessions(): IssuedSession[];
  /** Security Hub: every BatchImportFindings call answered 200, in order (the findings as sent, and those refused). */
  securityHubImports(): SecurityHubImport[];
  /** Security Hub: the findings it holds (of one account, when given). */
  securityHubFindings(accountId?: string): StoredSecurityHubFinding[];
  /** Security Hub: the next `count` findings imported (in the account and region, when given) land in FailedFindings. */
  failFindings(count: number, failure?: { code?: string; message?: string; accountId?: string; region?: string }): void;
  /** Security Hub: a customer's BatchUpdateFindings of a finding's workflow status. */
  setWorkflowStatus(findingId: string, status: StoredSecurityHubFinding['workflowStatus']): void;
  /**
   * The most calls of the service (and operation) seen in any one-second window,
   * per `<account>/<region>`.
   */
  maxCallsPerSecond(service: FakeService, operation?: string): Record<string, number>;
  stop(): Promise<void>;
}

/** Prefix of the access keys AssumeRole hands out (20 characters in all, as AWS's). */
const ISSUED_KEY_PREFIX = 'ASIAFAKE';
/**
 * CloudTrail's X-Amz-Target: the current SDK sends `CloudTrail_20131101.<Op>`,
 * older clients and the service documentation the long form.
 */
const CLOUDTRAIL_TARGET = /^(?:com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\.(\w+)$/;
/** AWS Organizations' X-Amz-Target (JSON 1.1, like CloudTrail). */
const ORGANIZATIONS_TARGET = /^AWSOrganizationsV20161128\.(\w+)$/;
const QUERY_VERSIONS: Record<string, QueryService> = { '2011-06-15': 'sts', '2010-03-31': 'sns', '2016-11-15': 'ec2' };
const MAX_BODY_BYTES = 1024 * 1024;

interface Identity {
  accountId: string;
  principalArn: string;
  userId: string;
  /** The role of an AssumeRole session; undefined for the caller's own keys. */
  roleName?: string;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
  errorCode?: string;
  /** Extra response headers (REST-JSON errors carry x-amzn-ErrorType). */
  headers?: Record<string, string>;
}

/** A call being answered: what gets recorded, plus the request id of its answer. */
type WorkingRecord = RecordedCall & { requestId: string };

interface EntryFailure {
  remaining: number;
  topicArn?: string;
  code: string;
  message: string;
  senderFault: boolean;
}

export async function startAwsWireFake(state: FakeAwsState, options: AwsWireFakeOptions = {}): Promise<AwsWireFake> {
  if (!state.accounts[state.callerAccountId]) {
    throw new Error(`awsWireFake: callerAccountId ${state.callerAccountId} must be one of state.accounts (it needs enabled regions)`);
  }
  // A world AWS could not hold fails here, before any test relies on it (the state stays live: later changes are checked per answer).
  for (const [owner, account] of Object.entries(state.accounts)) for (const trail of account.trails ?? []) checkFakeTrail(owner, trail);
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const latencyOf = (call: RecordedCall): number => {
    const latency = typeof options.latencyMs === 'function' ? options.latencyMs(call) : options.latencyMs ?? 0;
    return Number.isFinite(latency) && latency > 0 ? latency : 0;
  };
  const calls: RecordedCall[] = [];
  const sessions = new Map<string, IssuedSession>();
  const injections: Array<{ injection: ErrorInjection; remaining: number | undefined }> = [];
  const entryFailures: EntryFailure[] = [];
  const published = new Map<string, PublishedMessage[]>();
  const securityHub = { state, findings: new Map<string, StoredSecurityHubFinding>(), imports: [] as SecurityHubImport[], findingFailures: [] as FindingFailure[] };
  const taken = new Map<string, number>();
  const admitted = new Map<string, number[]>();
  let seq = 0;
  let keyCounter = 0;

  const issueSession = (input: { accountId: string; roleArn: string; roleSessionName: string; durationSeconds: number }): IssuedSession => {
    keyCounter += 1;
    const issuedAt = now();
    const session: IssuedSession = {
      accessKeyId: `${ISSUED_KEY_PREFIX}${String(keyCounter).padStart(12, '0')}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      accountId: input.accountId,
      roleArn: input.roleArn,
      roleSessionName: input.roleSessionName,
      issuedAt,
      expiration: new Date(issuedAt.getTime() + input.durationSeconds * 1000),
    };
    sessions.set(session.accessKeyId, session);
    return session;
  };

  const snsBackend = {
    state,
    store: (message: PublishedMessage): void => {
      const list = published.get(message.topicArn) ?? [];
      list.push(message);
      published.set(message.topicArn, list);
    },
    takeEntryFailure: (topicArn: string) => {
      const index = entryFailures.findIndex((failure) => failure.topicArn === undefined || failure.topicArn === topicArn);
      const failure = entryFailures[index];
      if (!failure) return undefined;
      failure.remaining -= 1;
      if (failure.remaining <= 0) entryFailures.splice(index, 1);
      return { code: failure.code, message: failure.message, senderFault: failure.senderFault };
    },
  };

  /** Who the access key belongs to, or the error the service answers to it. */
  const identify = (service: FakeService, accessKeyId: string, securityToken: string | undefined): Identity | FakeAwsError => {
    const session = sessions.get(accessKeyId);
    if (session) {
      if (securityToken !== session.sessionToken) return invalidToken(service);
      if (now().getTime() >= session.expiration.getTime()) return expiredToken(service);
      const roleName = session.roleArn.slice(session.roleArn.lastIndexOf('/') + 1);
      return {
        accountId: session.accountId,
        principalArn: assumedRoleArn(session.accountId, roleName, session.roleSessionName),
        userId: `${roleIdOf(session.roleArn)}:${session.roleSessionName}`,
        roleName,
      };
    }
    if (accessKeyId.startsWith(ISSUED_KEY_PREFIX)) return invalidToken(service);
    return {
      accountId: state.callerAccountId,
      principalArn: state.callerArn ?? `arn:aws:iam::${state.callerAccountId}:user/hammer-test`,
      userId: 'AIDAFAKECALLERUSER01',
    };
  };

  const injected = (call: Pick<RecordedCall, 'service' | 'operation' | 'accountId' | 'region' | 'params'>): FakeAwsError | undefined => {
    const index = injections.findIndex(({ injection }) => injectionMatches(injection, call));
    const entry = injections[index];
    if (!entry) return undefined;
    if (entry.remaining !== undefined) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) injections.splice(index, 1);
    }
    const { injection } = entry;
    return new FakeAwsError(injection.code, injection.message ?? `Injected ${injection.code} for ${injection.operation}`, injection.httpStatus);
  };

  /** CloudTrail's per-account-and-region rate limit, when the test asks for it. */
  const overRateLimit = (accountId: string, region: string): boolean => {
    const limit = options.cloudTrailCallsPerSecond;
    if (limit === undefined) return false;
    const key = `${accountId}/${region}`;
    const current = now().getTime();
    const recent = (admitted.get(key) ?? []).filter((at) => current - at < 1000);
    if (recent.length >= limit) {
      admitted.set(key, recent);
      return true;
    }
    recent.push(current);
    admitted.set(key, recent);
    return false;
  };

  const answer = (request: IncomingMessage, body: string, record: WorkingRecord): Answer => {
    const target = header(request, 'x-amz-target');
    const auth = parseAuthorization(header(request, 'authorization'));
    record.region = auth?.region ?? '';
    record.accessKeyId = auth?.accessKeyId ?? '';

    let service: FakeService;
    let params: Record<string, unknown> = {};
    let fields: Record<string, string> = {};
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (target === undefined && (auth?.service === 'securityhub' || path.startsWith('/findings'))) {
      service = 'securityhub';
      record.service = service;
      record.operation = securityHubOperation(request.method ?? '', path);
      try {
        const parsed: unknown = body === '' ? {} : JSON.parse(body);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) params = parsed as Record<string, unknown>;
      } catch {
        // Security Hub's own check answers it (InvalidInputException).
      }
      record.params = params;
    } else if (target !== undefined) {
      const cloudTrail = CLOUDTRAIL_TARGET.exec(target);
      const organizations = cloudTrail ? null : ORGANIZATIONS_TARGET.exec(target);
      const match = cloudTrail ?? organizations;
      if (!match) return jsonError(new FakeAwsError('UnknownOperationException', `The wire fake does not serve the target ${target}`), record);
      service = cloudTrail ? 'cloudtrail' : 'organizations';
      record.service = service;
      record.operation = match[1] ?? '';
      try {
        const parsed: unknown = body === '' ? {} : JSON.parse(body);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        params = parsed as Record<string, unknown>;
      } catch {
        return jsonError(new FakeAwsError('SerializationException', 'The request body is not a JSON object'), record);
      }
      record.params = params;
    } else {
      fields = Object.fromEntries(new URLSearchParams(body));
      record.params = fields;
      record.operation = fields.Action ?? '';
      const byScope = auth && isQueryService(auth.service) ? auth.service : undefined;
      const byVersion = fields.Version === undefined ? undefined : QUERY_VERSIONS[fields.Version];
      const queryService = byScope ?? byVersion;
      if (queryService === undefined) {
        return jsonError(new FakeAwsError('UnknownOperationException', `The wire fake cannot tell the service of Action=${record.operation} (signing service ${auth?.service ?? 'none'})`), record);
      }
      service = queryService;
      record.service = service;
    }

    const fail = (err: FakeAwsError): Answer => errorAnswer(service, err, record);
    const json = service === 'cloudtrail' || service === 'organizations' || service === 'securityhub';
    if (!auth) return fail(json
      ? new FakeAwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403)
      : new FakeAwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403));
    if (auth.service !== service) {
      return fail(new FakeAwsError(json ? 'InvalidSignatureException' : 'SignatureDoesNotMatch',
        `Credential should be scoped to correct service: '${service}'.`, service === 'cloudtrail' || service === 'organizations' ? 400 : 403));
    }

    const identity = identify(service, auth.accessKeyId, header(request, 'x-amz-security-token'));
    if (identity instanceof FakeAwsError) return fail(identity);
    record.accountId = identity.accountId;
    // Organizations is global (one endpoint, us-east-1 in the aws partition): no region to enable.
    if (service !== 'sts' && service !== 'organizations' && !isRegionEnabled(state, identity.accountId, auth.region)) return fail(regionNotEnabled(service));
    if (service === 'cloudtrail' && overRateLimit(identity.accountId, auth.region)) return fail(new FakeAwsError('ThrottlingException', 'Rate exceeded'));
    const injectedError = injected(record);
    if (injectedError) return fail(injectedError);
    if (service === 'cloudtrail') {
      const denied = deniedByRole(state, identity, record.operation, params);
      if (denied) return fail(denied);
    }

    try {
      if (service === 'cloudtrail') {
        const output = answerCloudTrail({ operation: record.operation, accountId: identity.accountId, region: auth.region, params, now: now() }, state);
        return { status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(toWireJson(output)) };
      }
      if (service === 'organizations') {
        const output = answerOrganizations({ operation: record.operation, accountId: identity.accountId, params }, state);
        return { status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(toWireJson(output)) };
      }
      if (service === 'securityhub') {
        const output = answerSecurityHub({ method: request.method ?? '', path, accountId: identity.accountId, region: auth.region, body }, securityHub);
        return { status: 200, contentType: 'application/json', body: JSON.stringify(output) };
      }
      const call: QueryCall = {
        operation: record.operation,
        accountId: identity.accountId,
        region: auth.region,
        principalArn: identity.principalArn,
        userId: identity.userId,
        params: fields,
        requestId: record.requestId,
        now: now(),
      };
      const document = service === 'sts' ? answerSts(call, { state, issueSession })
        : service === 'sns' ? answerSns(call, snsBackend)
          : answerEc2(call, state);
      return { status: 200, contentType: 'text/xml', body: renderXml(document) };
    } catch (err: unknown) {
      if (err instanceof FakeAwsError) return fail(err);
      throw err;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const record: WorkingRecord = {
      seq: ++seq,
      at: now().getTime(),
      service: 'unknown',
      operation: '',
      accountId: undefined,
      region: '',
      accessKeyId: '',
      params: {},
      httpStatus: 0,
      requestId: randomUUID(),
    };
    let result: Answer;
    try {
      const body = await readBody(request);
      result = answer(request, body, record);
    } catch (err: unknown) {
      // A fault of the fake itself: answer it loudly so the test sees it.
      const message = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
      result = jsonError(new FakeAwsError('InternalFailure', `awsWireFake failed: ${message}`, 500), record);
    }
    const { requestId, ...recorded } = record;
    recorded.httpStatus = result.status;
    if (result.errorCode !== undefined) recorded.errorCode = result.errorCode;
    calls.push(recorded);
    const latency = latencyOf(recorded);
    if (latency > 0) await sleep(latency);
    response.writeHead(result.status, {
      ...result.headers,
      'content-type': result.contentType,
      'content-length': Buffer.byteLength(result.body),
      'x-amzn-requestid': requestId,
    });
    response.end(result.body);
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  // Idle keep-alive connections stay open for a minute, as AWS endpoints keep
  // them (Node's default of 5 s races a busy client into "socket hang up").
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue: a benchmark opens hundreds of connections at once
    // (every account and region of a scan), which real AWS spreads over many hosts.
    server.listen(0, '127.0.0.1', 4096, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    endpointEnv: {
      AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint,
      AWS_ENDPOINT_URL_STS: endpoint,
      AWS_ENDPOINT_URL_SNS: endpoint,
      AWS_ENDPOINT_URL_EC2: endpoint,
      AWS_ENDPOINT_URL_ORGANIZATIONS: endpoint,
      AWS_ENDPOINT_URL_SECURITYHUB: endpoint,
    },
    state,
    calls,
    callsTo: (service, operation) => calls.filter((call) => call.service === service && (operation === undefined || call.operation === operation)),
    clearCalls: () => {
      calls.length = 0;
    },
    inject: (injection) => {
      if (injection.times !== undefined && (!Number.isInteger(injection.times) || injection.times < 1)) {
        throw new Error(`awsWireFake: inject times must be a positive integer, got ${injection.times}`);
      }
      injections.push({ injection, remaining: injection.times });
    },
    clearInjections: () => {
      injections.length = 0;
      entryFailures.length = 0;
      securityHub.findingFailures.length = 0;
    },
    failBatchEntries: (count, failure = {}) => {
      entryFailures.push({
        remaining: count,
        ...(failure.topicArn === undefined ? {} : { topicArn: failure.topicArn }),
        code: failure.code ?? 'InternalError',
        message: failure.message ?? 'Injected failure of a PublishBatch entry',
        senderFault: failure.senderFault ?? false,
      });
    },
    published: (topicArn) => [...(published.get(topicArn) ?? [])],
    takePublished: (topicArn) => {
      const all = published.get(topicArn) ?? [];
      const from = taken.get(topicArn) ?? 0;
      taken.set(topicArn, all.length);
      return all.slice(from);
    },
    sessions: () => [...sessions.values()],
    securityHubImports: () => [...securityHub.imports],
    securityHubFindings: (accountId) => [...securityHub.findings.values()].filter((stored) => accountId === undefined || stored.accountId === accountId),
    failFindings: (count, failure = {}) => {
      securityHub.findingFailures.push({
        remaining: count,
        code: failure.code ?? 'InternalException',
        message: failure.message ?? 'Injected failure of one finding',
        ...(failure.accountId === undefined ? {} : { accountId: failure.accountId }),
        ...(failure.region === undefined ? {} : { region: failure.region }),
      });
    },
    setWorkflowStatus: (findingId, status) => {
      const stored = [...securityHub.findings.values()].find((candidate) => candidate.finding.Id === findingId);
      if (!stored) throw new Error(`awsWireFake: no Security Hub finding ${findingId}`);
      stored.workflowStatus = status;
    },
    maxCallsPerSecond: (service, operation) => {
      const byKey = new Map<string, number[]>();
      for (const call of calls) {
        if (call.service !== service || (operation !== undefined && call.operation !== operation)) continue;
        const key = `${call.accountId ?? 'unknown'}/${call.region}`;
        byKey.set(key, [...(byKey.get(key) ?? []), call.at]);
      }
      const peaks: Record<string, number> = {};
      for (const [key, times] of byKey) peaks[key] = peakInOneSecond(times);
      return peaks;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The SNS event Lambda receives for one published message (a subscription of the Lambda to the topic). */
export function snsEventFor(message: PublishedMessage): SNSEvent {
  const [, , , region = '', account = ''] = message.topicArn.split(':');
  return {
    Records: [{
      EventVersion: '1.0',
      EventSubscriptionArn: `${message.topicArn}:${randomUUID()}`,
      EventSource: 'aws:sns',
      Sns: {
        SignatureVersion: '1',
        Timestamp: message.publishedAt.toISOString(),
        Signature: 'FAKE',
        SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-fake.pem`,
        MessageId: message.messageId,
        Message: message.message,
        MessageAttributes: Object.fromEntries(Object.entries(message.messageAttributes).map(([name, value]) => [name, { Type: value.DataType, Value: value.StringValue ?? '' }])),
        Type: 'Notification',
        UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${message.topicArn}:${account}`,
        TopicArn: message.topicArn,
        ...(message.subject === undefined ? {} : { Subject: message.subject }),
      },
    }],
  };
}

/** AccessDeniedException when the session's role may not do this CloudTrail action (FakeAccount.roleActions). */
function deniedByRole(state: FakeAwsState, identity: Identity, operation: string, params: Record<string, unknown>): FakeAwsError | undefined {
  if (identity.roleName === undefined) return undefined;
  const allowed = state.accounts[identity.accountId]?.roleActions?.[identity.roleName];
  if (allowed === undefined || allowed.includes(`cloudtrail:${operation}`)) return undefined;
  const named = params.Name ?? params.TrailName;
  const resource = typeof named === 'string' && named.startsWith('arn:') ? named : '*';
  return new FakeAwsError('AccessDeniedException', `User: ${identity.principalArn} is not authorized to perform: cloudtrail:${operation} on resource: ${resource} because no identity-based policy allows the cloudtrail:${operation} action`);
}

function injectionMatches(injection: ErrorInjection, call: Pick<RecordedCall, 'service' | 'operation' | 'accountId' | 'region' | 'params'>): boolean {
  if (injection.service !== call.service || injection.operation !== call.operation) return false;
  if (injection.accountId !== undefined && injection.accountId !== call.accountId) return false;
  if (injection.region !== undefined && injection.region !== call.region) return false;
  if (injection.topicArn !== undefined && injection.topicArn !== call.params.TopicArn) return false;
  if (injection.trail !== undefined) {
    const named = call.params.Name ?? call.params.TrailName;
    if (typeof named !== 'string' || !sameTrail(injection.trail, named)) return false;
  }
  return true;
}

/** Two ARNs must be equal; a bare name matches the trail of that name. */
function sameTrail(a: string, b: string): boolean {
  if (a.startsWith('arn:') && b.startsWith('arn:')) return a === b;
  const name = (value: string): string => (value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value);
  return name(a) === name(b);
}

function isRegionEnabled(state: FakeAwsState, accountId: string, region: string): boolean {
  return state.accounts[accountId]?.regions.includes(region) === true;
}

function regionNotEnabled(service: FakeService): FakeAwsError {
  switch (service) {
    case 'cloudtrail':
    case 'organizations': return new FakeAwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    case 'securityhub': return new FakeAwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403);
    case 'ec2': return new FakeAwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
    default: return new FakeAwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
}

function invalidToken(service: FakeService): FakeAwsError {
  return regionNotEnabled(service);
}

function expiredToken(service: FakeService): FakeAwsError {
  switch (service) {
    case 'cloudtrail':
    case 'organizations': return new FakeAwsError('ExpiredTokenException', 'The security token included in the request is expired');
    case 'securityhub': return new FakeAwsError('ExpiredTokenException', 'The security token included in the request is expired', 403);
    case 'ec2': return new FakeAwsError('RequestExpired', 'Request has expired.', 400);
    default: return new FakeAwsError('ExpiredToken', 'The security token included in the request is expired', 403);
  }
}

/** The HTTP status each service uses for an error code it answers. */
function defaultStatus(service: FakeService | 'unknown', code: string): number {
  if (/^(InternalFailure|InternalError|InternalServerError|InternalException)$/.test(code)) return 500;
  if (code === 'ServiceUnavailable' || code === 'ServiceUnavailableException') return 503;
  if (service === 'ec2') return code === 'UnauthorizedOperation' ? 403 : code === 'AuthFailure' ? 401 : code === 'RequestLimitExceeded' ? 503 : 400;
  if (service === 'securityhub') {
    const statuses: Record<string, number> = { AccessDeniedException: 403, InvalidAccessException: 401, LimitExceededException: 429, TooManyRequestsException: 429, ResourceNotFoundException: 404 };
    return statuses[code] ?? 400;
  }
  if (service === 'sts' || service === 'sns') {
    if (['AccessDenied', 'AuthorizationError', 'InvalidClientTokenId', 'ExpiredToken', 'SignatureDoesNotMatch', 'RegionDisabledException'].includes(code)) return 403;
    if (code === 'NotFound') return 404;
  }
  return 400;
}

function errorAnswer(service: FakeService, err: FakeAwsError, record: WorkingRecord): Answer {
  if (service === 'cloudtrail' || service === 'organizations') return jsonError(err, record);
  if (service === 'securityhub') {
    // REST-JSON: the code in x-amzn-ErrorType, the body Security Hub's error shape.
    return {
      status: err.httpStatus ?? defaultStatus(service, err.code),
      contentType: 'application/json',
      body: JSON.stringify({ Code: err.code, Message: err.message }),
      errorCode: err.code,
      headers: { 'x-amzn-errortype': err.code },
    };
  }
  const status = err.httpStatus ?? defaultStatus(service, err.code);
  return { status, contentType: 'text/xml', body: renderXml(queryErrorDocument(service, err.code, err.message, status, record.requestId)), errorCode: err.code };
}

function jsonError(err: FakeAwsError, record: RecordedCall): Answer {
  return {
    status: err.httpStatus ?? defaultStatus(record.service, err.code),
    contentType: 'application/x-amz-json-1.1',
    body: JSON.stringify({ __type: err.code, message: err.message }),
    errorCode: err.code,
  };
}

/** Dates as JSON 1.1 writes timestamps: epoch seconds. */
function toWireJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWireJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined).map(([key, field]) => [key, toWireJson(field)]));
  }
  return value;
}

function parseAuthorization(value: string | undefined): { accessKeyId: string; region: string; service: string } | undefined {
  const match = value === undefined ? null : /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(value);
  if (!match) return undefined;
  const [, accessKeyId = '', region = '', service = ''] = match;
  return { accessKeyId, region, service };
}

function isQueryService(service: string): service is QueryService {
  return service === 'sts' || service === 'sns' || service === 'ec2';
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The most timestamps (ms) that fall in one window [t, t + 1000). */
function peakInOneSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= 1000) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}
