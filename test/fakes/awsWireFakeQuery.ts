/**
 * STS, SNS and EC2 operations of the AWS wire fake. All three speak the AWS
 * query protocol: form-encoded requests, XML answers (EC2 with its own
 * dialect: no Result wrapper, `item` lists, `<Response><Errors>` errors).
 */
import { createHash } from 'node:crypto';
import { AWS_REGIONS, FakeAwsError, type FakeAwsState, type IssuedSession, type PublishedMessage } from './awsWireFakeState.ts';
import { element, list, root, type XmlChild, type XmlElement } from './awsWireFakeXml.ts';

const NAMESPACES = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  ec2: 'http://ec2.amazonaws.com/doc/2016-11-15/',
} as const;

export type QueryService = keyof typeof NAMESPACES;

export interface QueryCall {
  operation: string;
  accountId: string;
  region: string;
  /** The caller's identity, as GetCallerIdentity and AccessDenied messages name it. */
  principalArn: string;
  userId: string;
  params: Record<string, string>;
  requestId: string;
  now: Date;
}

/** What STS needs from the fake besides its state. */
export interface StsBackend {
  state: FakeAwsState;
  issueSession(input: { accountId: string; roleArn: string; roleSessionName: string; durationSeconds: number }): IssuedSession;
}

/** What SNS needs from the fake besides its state. */
export interface SnsBackend {
  state: FakeAwsState;
  store(message: PublishedMessage): void;
  /** An injected failure for the next PublishBatch entry to this topic, if any. */
  takeEntryFailure(topicArn: string): { code: string; message: string; senderFault: boolean } | undefined;
}

/** The longest message (and PublishBatch request) SNS accepts, in bytes. */
export const SNS_MAX_PAYLOAD_BYTES = 262_144;
/** STS's limits for DurationSeconds with a role's default MaxSessionDuration. */
const MIN_SESSION_SECONDS = 900;
const MAX_SESSION_SECONDS = 3600;

export function answerSts(call: QueryCall, backend: StsBackend): XmlElement {
  switch (call.operation) {
    case 'AssumeRole': return assumeRole(call, backend);
    case 'GetCallerIdentity':
      return queryResponse('sts', call, [element('Arn', call.principalArn), element('UserId', call.userId), element('Account', call.accountId)]);
    default:
      throw new FakeAwsError('InvalidAction', `The wire fake does not implement STS ${call.operation}`);
  }
}

function assumeRole(call: QueryCall, backend: StsBackend): XmlElement {
  const roleArn = required(call.params, 'RoleArn', 'roleArn');
  const roleSessionName = required(call.params, 'RoleSessionName', 'roleSessionName');
  if (!/^[\w+=,.@-]{2,64}$/.test(roleSessionName)) {
    throw new FakeAwsError('ValidationError', `1 validation error detected: Value '${roleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  const duration = call.params.DurationSeconds === undefined ? MAX_SESSION_SECONDS : Number(call.params.DurationSeconds);
  if (!Number.isInteger(duration) || duration < MIN_SESSION_SECONDS) {
    throw new FakeAwsError('ValidationError', `1 validation error detected: Value '${call.params.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_SESSION_SECONDS}`);
  }
  if (duration > MAX_SESSION_SECONDS) {
    throw new FakeAwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(roleArn);
  if (!match) throw new FakeAwsError('ValidationError', `${roleArn} is invalid`);
  const [, accountId = '', roleName = ''] = match;
  const account = backend.state.accounts[accountId];
  if (!account || account.denyAssumeRole === true || !(account.roles ?? []).includes(roleName)) {
    throw new FakeAwsError('AccessDenied', `User: ${call.principalArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  }
  const session = backend.issueSession({ accountId, roleArn, roleSessionName, durationSeconds: duration });
  return queryResponse('sts', call, [
    element('AssumedRoleUser', element('AssumedRoleId', `${roleIdOf(roleArn)}:${roleSessionName}`), element('Arn', assumedRoleArn(accountId, roleName, roleSessionName))),
    element('Credentials',
      element('AccessKeyId', session.accessKeyId),
      element('SecretAccessKey', session.secretAccessKey),
      element('SessionToken', session.sessionToken),
      element('Expiration', isoSeconds(session.expiration))),
  ]);
}

export function assumedRoleArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

/** A stable role id (`AROA…`) for a role ARN, as IAM shows one. */
export function roleIdOf(roleArn: string): string {
  return `AROA${createHash('sha256').update(roleArn).digest('hex').slice(0, 17).toUpperCase()}`;
}

export function answerSns(call: QueryCall, backend: SnsBackend): XmlElement {
  switch (call.operation) {
    case 'Publish': return publish(call, backend);
    case 'PublishBatch': return publishBatch(call, backend);
    default:
      throw new FakeAwsError('InvalidAction', `The wire fake does not implement SNS ${call.operation}`);
  }
}

function publish(call: QueryCall, backend: SnsBackend): XmlElement {
  const topicArn = call.params.TopicArn ?? call.params.TargetArn;
  if (topicArn === undefined) throw new FakeAwsError('InvalidParameter', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
  checkTopic(call, backend.state, topicArn);
  const message = call.params.Message ?? '';
  if (message === '') throw new FakeAwsError('InvalidParameter', 'Invalid parameter: Empty message');
  if (Buffer.byteLength(message) > SNS_MAX_PAYLOAD_BYTES) throw new FakeAwsError('InvalidParameter', 'Invalid parameter: Message too long');
  const messageId = crypto.randomUUID();
  backend.store({
    topicArn,
    messageId,
    message,
    ...(call.params.Subject === undefined ? {} : { subject: call.params.Subject }),
    messageAttributes: messageAttributesOf(call.params),
    via: 'Publish',
    accountId: call.accountId,
    region: call.region,
    publishedAt: call.now,
  });
  return queryResponse('sns', call, [element('MessageId', messageId)]);
}

function publishBatch(call: QueryCall, backend: SnsBackend): XmlElement {
  const topicArn = required(call.params, 'TopicArn', 'topicArn');
  checkTopic(call, backend.state, topicArn);
  const entries = membersOf(call.params, 'PublishBatchRequestEntries.member');
  if (entries.length === 0) throw new FakeAwsError('EmptyBatchRequest', 'The batch request does not contain any entries.');
  if (entries.length > 10) throw new FakeAwsError('TooManyEntriesInBatchRequest', `The batch request contains more entries than permissible: ${entries.length} (at most 10).`);
  const ids = entries.map((entry) => entry.Id ?? '');
  if (new Set(ids).size !== ids.length) throw new FakeAwsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
  const invalidId = ids.find((id) => !/^[A-Za-z0-9_-]{1,80}$/.test(id));
  if (invalidId !== undefined) throw new FakeAwsError('InvalidBatchEntryId', `The Id of a batch entry in a batch request doesn't abide by the specification: '${invalidId}'.`);
  const size = entries.reduce((total, entry) => total + Buffer.byteLength(entry.Message ?? ''), 0);
  if (size > SNS_MAX_PAYLOAD_BYTES) throw new FakeAwsError('BatchRequestTooLong', `The length of all the messages put together is more than the limit: ${size} bytes (at most ${SNS_MAX_PAYLOAD_BYTES}).`);

  const successful: XmlChild[][] = [];
  const failed: XmlChild[][] = [];
  for (const entry of entries) {
    const id = entry.Id ?? '';
    const message = entry.Message ?? '';
    const failure = message === ''
      ? { code: 'InvalidParameter', message: 'Invalid parameter: Empty message', senderFault: true }
      : backend.takeEntryFailure(topicArn);
    if (failure) {
      failed.push([element('Id', id), element('Code', failure.code), element('Message', failure.message), element('SenderFault', failure.senderFault)]);
      continue;
    }
    const messageId = crypto.randomUUID();
    backend.store({
      topicArn,
      messageId,
      message,
      ...(entry.Subject === undefined ? {} : { subject: entry.Subject }),
      messageAttributes: messageAttributesOf(entry),
      via: 'PublishBatch',
      batchEntryId: id,
      accountId: call.accountId,
      region: call.region,
      publishedAt: call.now,
    });
    successful.push([element('Id', id), element('MessageId', messageId)]);
  }
  return queryResponse('sns', call, [list('Successful', 'member', successful), list('Failed', 'member', failed)]);
}

/** SNS checks a topic ARN against the caller: well-formed, same region, existing, same account (no topic policy in the fake). */
function checkTopic(call: QueryCall, state: FakeAwsState, topicArn: string): void {
  const match = /^arn:aws[\w-]*:sns:([a-z0-9-]+):(\d{12}):[\w-]{1,256}(?:\.fifo)?$/.exec(topicArn);
  if (!match || match[1] !== call.region) throw new FakeAwsError('InvalidParameter', 'Invalid parameter: TopicArn');
  if (state.topics !== undefined && !state.topics.includes(topicArn)) throw new FakeAwsError('NotFound', 'Topic does not exist');
  if (match[2] !== call.accountId) {
    throw new FakeAwsError('AuthorizationError', `User: ${call.principalArn} is not authorized to perform: SNS:Publish on resource: ${topicArn} because no resource-based policy allows the SNS:Publish action`);
  }
}

function messageAttributesOf(fields: Record<string, string>): PublishedMessage['messageAttributes'] {
  const attributes: PublishedMessage['messageAttributes'] = {};
  for (const entry of membersOf(fields, 'MessageAttributes.entry')) {
    const name = entry.Name;
    if (name === undefined) continue;
    attributes[name] = {
      DataType: entry['Value.DataType'] ?? 'String',
      ...(entry['Value.StringValue'] === undefined ? {} : { StringValue: entry['Value.StringValue'] }),
    };
  }
  return attributes;
}

export function answerEc2(call: QueryCall, state: FakeAwsState): XmlElement {
  if (call.operation !== 'DescribeRegions') {
    throw new FakeAwsError('InvalidAction', `The wire fake does not implement EC2 ${call.operation}`);
  }
  const enabled = state.accounts[call.accountId]?.regions ?? [];
  const universe = state.allRegions ?? AWS_REGIONS.map((region) => region.name);
  const optIn = new Set(AWS_REGIONS.filter((region) => region.optIn).map((region) => region.name));
  let names = call.params.AllRegions === 'true'
    ? [...universe, ...enabled.filter((name) => !universe.includes(name))]
    : universe.filter((name) => enabled.includes(name)).concat(enabled.filter((name) => !universe.includes(name)));
  const status = (name: string): string => (!enabled.includes(name) ? 'not-opted-in' : optIn.has(name) ? 'opted-in' : 'opt-in-not-required');

  const requested = membersOf(call.params, 'RegionName').map((entry) => entry['']).filter((name): name is string => name !== undefined);
  if (requested.length > 0) names = names.filter((name) => requested.includes(name));
  for (const filter of membersOf(call.params, 'Filter')) {
    const values = Object.entries(filter).filter(([key]) => key.startsWith('Value.')).map(([, value]) => value);
    if (filter.Name === 'region-name') names = names.filter((name) => values.includes(name));
    else if (filter.Name === 'opt-in-status') names = names.filter((name) => values.includes(status(name)));
    else if (filter.Name !== 'endpoint') throw new FakeAwsError('InvalidParameterValue', `The filter '${filter.Name ?? ''}' is invalid`);
  }
  return root('DescribeRegionsResponse', NAMESPACES.ec2,
    element('requestId', call.requestId),
    list('regionInfo', 'item', names.map((name) => [
      element('regionName', name),
      element('regionEndpoint', `ec2.${name}.amazonaws.com`),
      element('optInStatus', status(name)),
    ])));
}

/** The error document of a query-protocol service. */
export function queryErrorDocument(service: QueryService, code: string, message: string, httpStatus: number, requestId: string): XmlElement {
  if (service === 'ec2') {
    return element('Response', element('Errors', element('Error', element('Code', code), element('Message', message))), element('RequestID', requestId));
  }
  return root('ErrorResponse', NAMESPACES[service],
    element('Error', element('Type', httpStatus >= 500 ? 'Receiver' : 'Sender'), element('Code', code), element('Message', message)),
    element('RequestId', requestId));
}

function queryResponse(service: 'sts' | 'sns', call: QueryCall, result: XmlChild[]): XmlElement {
  return root(`${call.operation}Response`, NAMESPACES[service],
    element(`${call.operation}Result`, ...result),
    element('ResponseMetadata', element('RequestId', call.requestId)));
}

function required(params: Record<string, string>, field: string, memberName: string): string {
  const value = params[field];
  if (value === undefined || value === '') {
    throw new FakeAwsError('ValidationError', `1 validation error detected: Value null at '${memberName}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

/**
 * The members of a query-protocol list, in index order: for the prefix
 * `A.member`, the fields `A.member.1.Id` and `A.member.1.Message` give
 * `{ Id, Message }`; a scalar member `A.1` gives `{ '': value }`.
 */
export function membersOf(fields: Record<string, string>, prefix: string): Array<Record<string, string>> {
  const members = new Map<number, Record<string, string>>();
  for (const [key, value] of Object.entries(fields)) {
    if (!key.startsWith(`${prefix}.`)) continue;
    const rest = key.slice(prefix.length + 1);
    const dot = rest.indexOf('.');
    const index = Number(dot === -1 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(index) || index < 1) continue;
    const member = members.get(index) ?? {};
    member[dot === -1 ? '' : rest.slice(dot + 1)] = value;
    members.set(index, member);
  }
  return [...members.entries()].sort(([a], [b]) => a - b).map(([, member]) => member);
}

/** `2026-11-26T16:56:20Z`, as STS writes an expiration. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
