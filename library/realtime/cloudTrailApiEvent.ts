/**
 * The EventBridge "AWS API Call via CloudTrail" events of the real-time path:
 * CloudTrail's own management calls that can break (or restore) logging,
 * forwarded from a controlled account's default bus to the master account's
 * bus. An event is an envelope (`account`, `region`, `time`, `source`,
 * `detail-type`), set by AWS when the event enters EventBridge, around the
 * CloudTrail record (`detail`). Within an organisation an account could also
 * send the bus an event of its own making; its envelope `account` is still
 * the sender's, but its `detail` says whatever the sender wrote. So the
 * envelope decides what is rescanned, and a `detail` that does not agree with
 * its envelope makes the event "forged": it causes a rescan of the envelope's
 * account and region and nothing else (no alert, no other region).
 */
import { isJsonObject, type JsonObject } from '../../config/jsonFields.ts';

/**
 * The calls that change whether or where a trail logs, hence an item of the
 * issues table: stopping, deleting, reconfiguring (destination, scope,
 * selectors), and the calls that fix it, so that a fix resolves an issue as
 * fast as a break opens one. PutInsightSelectors is left out: Insights
 * events change nothing this module records (logging, delivery, selectors).
 */
export const WATCHED_CALLS = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'CreateTrail', 'StartLogging'] as const;
export type WatchedCall = (typeof WATCHED_CALLS)[number];

/** The calls that stop a trail logging outright: the opt-in Slack alert is about these. */
export const ALERTED_CALLS: ReadonlySet<string> = new Set(['StopLogging', 'DeleteTrail']);

export const CLOUDTRAIL_EVENT_SOURCE = 'aws.cloudtrail';
export const API_CALL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
const CLOUDTRAIL_SERVICE = 'cloudtrail.amazonaws.com';

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;

export interface CloudTrailApiCall {
  /** The envelope's id (EventBridge's). */
  envelopeId: string;
  /** The CloudTrail record's eventID, when the record has one. */
  eventId: string | undefined;
  /** From the envelope: the account and region the call was made in, and when. */
  accountId: string;
  region: string;
  time: Date;
  /** detail.eventName. */
  eventName: string;
  /** Whether `detail` agrees with the envelope (see the file comment); `mismatches` says where it does not. */
  consistent: boolean;
  mismatches: string[];
  /** The trail the call names: an ARN or a name (requestParameters.name / trailName, responseElements.trailARN). */
  trail: string | undefined;
  /** detail.errorCode: the call failed and changed nothing. */
  errorCode: string | undefined;
  /**
   * What the call itself says about the trail's reach: `account` when it
   * creates or shows a multi-region or organization trail, or changes that
   * scope (an UpdateTrail turning multi-region off uncovers the other regions
   * too); `region` when it shows a single-region trail whose scope did not
   * change; undefined when the call does not say (StopLogging, DeleteTrail...).
   */
  scopeHint: 'account' | 'region' | undefined;
  /** detail.userIdentity.arn, detail.sourceIPAddress, detail.userAgent: for the alert. */
  callerArn: string | undefined;
  sourceIp: string | undefined;
  userAgent: string | undefined;
}

export type ParsedApiEvent =
  | { kind: 'call'; call: CloudTrailApiCall }
  | { kind: 'other-source'; source: string; detailType: string }
  | { kind: 'malformed'; reason: string };

/** Parses one event (the SQS message body the bus rule delivered); never throws. */
export function parseCloudTrailApiEvent(body: string): ParsedApiEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'malformed', reason: 'the event is not JSON' };
  }
  if (!isJsonObject(parsed)) return { kind: 'malformed', reason: 'the event is not a JSON object' };
  const source = parsed.source;
  const detailType = parsed['detail-type'];
  if (typeof source !== 'string' || typeof detailType !== 'string') return { kind: 'malformed', reason: 'source and detail-type must be strings' };
  if (source !== CLOUDTRAIL_EVENT_SOURCE || detailType !== API_CALL_DETAIL_TYPE) return { kind: 'other-source', source, detailType };

  const { account, region, time, id, detail } = parsed;
  if (typeof account !== 'string' || !ACCOUNT_ID.test(account)) return { kind: 'malformed', reason: 'account must be a 12-digit account id' };
  if (typeof region !== 'string' || !REGION.test(region)) return { kind: 'malformed', reason: 'region must be a region name' };
  const at = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  if (Number.isNaN(at)) return { kind: 'malformed', reason: 'time must be an ISO 8601 timestamp' };
  if (!isJsonObject(detail)) return { kind: 'malformed', reason: 'detail must be an object' };
  const eventName = detail.eventName;
  if (typeof eventName !== 'string' || eventName === '') return { kind: 'malformed', reason: 'detail.eventName must be a string' };

  const mismatches: string[] = [];
  if (detail.eventSource !== CLOUDTRAIL_SERVICE) mismatches.push(`detail.eventSource is ${JSON.stringify(detail.eventSource)}, not ${CLOUDTRAIL_SERVICE}`);
  if (detail.awsRegion !== region) mismatches.push(`detail.awsRegion ${JSON.stringify(detail.awsRegion)} is not the envelope's region ${region}`);
  if (detail.recipientAccountId !== account) mismatches.push(`detail.recipientAccountId ${JSON.stringify(detail.recipientAccountId)} is not the envelope's account ${account}`);
  if (detail.eventType !== 'AwsApiCall') mismatches.push(`detail.eventType is ${JSON.stringify(detail.eventType)}, not AwsApiCall (the detail-type says an API call)`);

  const request = isJsonObject(detail.requestParameters) ? detail.requestParameters : {};
  const response = isJsonObject(detail.responseElements) ? detail.responseElements : {};
  const identity = isJsonObject(detail.userIdentity) ? detail.userIdentity : {};
  return {
    kind: 'call',
    call: {
      envelopeId: typeof id === 'string' ? id : '',
      eventId: text(detail.eventID),
      accountId: account,
      region,
      time: new Date(at),
      eventName,
      consistent: mismatches.length === 0,
      mismatches,
      trail: text(response.trailARN) ?? text(request.name) ?? text(request.trailName),
      errorCode: text(detail.errorCode),
      scopeHint: scopeHint(eventName, request, response),
      callerArn: text(identity.arn),
      sourceIp: text(detail.sourceIPAddress),
      userAgent: text(detail.userAgent),
    },
  };
}

function scopeHint(eventName: string, request: JsonObject, response: JsonObject): CloudTrailApiCall['scopeHint'] {
  if (eventName !== 'CreateTrail' && eventName !== 'UpdateTrail') return undefined;
  // UpdateTrail naming either flag may turn it off: the regions it covered lose it.
  if (eventName === 'UpdateTrail' && ('isMultiRegionTrail' in request || 'isOrganizationTrail' in request)) return 'account';
  const multi = response.isMultiRegionTrail ?? request.isMultiRegionTrail;
  const organization = response.isOrganizationTrail ?? request.isOrganizationTrail;
  if (multi === true || organization === true) return 'account';
  if (multi === false && organization !== true && (eventName === 'CreateTrail' || 'isMultiRegionTrail' in response)) return 'region';
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
