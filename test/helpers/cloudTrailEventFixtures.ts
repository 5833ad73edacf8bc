/**
 * EventBridge "AWS API Call via CloudTrail" events, field for field as AWS
 * delivers them: the EventBridge envelope (version, id, detail-type, source,
 * account, time, region, resources) around the CloudTrail record (`detail`),
 * whose fields follow the CloudTrail record reference
 * (docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)
 * and real records of these calls: StartLogging in the CloudTrail user guide's
 * example, PutEventSelectors from a real detonation published by Stratus Red
 * Team (anonymised there; ids changed here). StopLogging, StartLogging and
 * DeleteTrail carry `requestParameters.name` and `responseElements: null`;
 * PutEventSelectors carries `trailName` and answers `trailARN`; CreateTrail
 * and UpdateTrail answer the trail's settings.
 */
import { randomUUID } from 'node:crypto';

export interface ApiCallEventInput {
  accountId: string;
  region: string;
  eventName: string;
  /** ISO time of the call, e.g. 2026-11-26T16:02:11Z. */
  time: string;
  requestParameters: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  callerArn?: string;
  sourceIp?: string;
  errorCode?: string;
  /** Overrides of the CloudTrail record (to forge a mismatch, say). */
  detail?: Record<string, unknown>;
  /** Overrides of the envelope. */
  envelope?: Record<string, unknown>;
  eventId?: string;
}

export type EventBridgeEvent = Record<string, unknown> & { detail: Record<string, unknown> };

export function apiCallEvent(input: ApiCallEventInput): EventBridgeEvent {
  const callerArn = input.callerArn ?? `arn:aws:iam::${input.accountId}:user/mallory`;
  const userName = callerArn.slice(callerArn.lastIndexOf('/') + 1);
  const detail: Record<string, unknown> = {
    eventVersion: '1.10',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDA3JXGLTFY4HTLVVO7',
      arn: callerArn,
      accountId: input.accountId,
      accessKeyId: 'AKIA2I0BSXU5LNRWIN0K',
      userName,
    },
    eventTime: input.time,
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: input.eventName,
    awsRegion: input.region,
    sourceIPAddress: input.sourceIp ?? '198.51.100.42',
    userAgent: 'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe command/cloudtrail.stop-logging',
    requestParameters: input.requestParameters,
    responseElements: input.responseElements ?? null,
    ...(input.errorCode === undefined ? {} : { errorCode: input.errorCode, errorMessage: `User: ${callerArn} is not authorized to perform: cloudtrail:${input.eventName}` }),
    requestID: 'ddf5140f-2a4c-4c5e-9a4d-5f0e7c9f3a11',
    eventID: input.eventId ?? randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: input.accountId,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `cloudtrail.${input.region}.amazonaws.com`,
    },
    ...input.detail,
  };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.cloudtrail',
    account: input.accountId,
    time: input.time,
    region: input.region,
    resources: [],
    detail,
    ...input.envelope,
  };
}

/** StopLogging of a trail (by ARN, as the console and most tools call it). */
export function stopLogging(accountId: string, region: string, trailArn: string, time: string, extra: Partial<ApiCallEventInput> = {}): EventBridgeEvent {
  return apiCallEvent({ accountId, region, eventName: 'StopLogging', time, requestParameters: { name: trailArn }, ...extra });
}

export function startLogging(accountId: string, region: string, trailArn: string, time: string, extra: Partial<ApiCallEventInput> = {}): EventBridgeEvent {
  return apiCallEvent({ accountId, region, eventName: 'StartLogging', time, requestParameters: { name: trailArn }, ...extra });
}

/** DeleteTrail by name (the CLI's `delete-trail --name`). */
export function deleteTrail(accountId: string, region: string, trailName: string, time: string, extra: Partial<ApiCallEventInput> = {}): EventBridgeEvent {
  return apiCallEvent({ accountId, region, eventName: 'DeleteTrail', time, requestParameters: { name: trailName }, ...extra });
}

/** PutEventSelectors leaving out management events, as in the real detonation record. */
export function putEventSelectorsWithoutManagementEvents(accountId: string, region: string, trailName: string, time: string, extra: Partial<ApiCallEventInput> = {}): EventBridgeEvent {
  const eventSelectors = [{
    dataResources: [{ type: 'AWS::S3::Object', values: [] }, { type: 'AWS::Lambda::Function', values: [] }],
    excludeManagementEventSources: [],
    includeManagementEvents: false,
    readWriteType: 'ReadOnly',
  }];
  return apiCallEvent({
    accountId,
    region,
    eventName: 'PutEventSelectors',
    time,
    requestParameters: { eventSelectors, trailName },
    responseElements: { eventSelectors, trailARN: `arn:aws:cloudtrail:${region}:${accountId}:trail/${trailName}` },
    ...extra,
  });
}

/** UpdateTrail as CloudTrail records it: the request's changes and the trail's settings after. */
export function updateTrail(accountId: string, region: string, trailName: string, time: string, request: Record<string, unknown>, after: { isMultiRegionTrail: boolean; isOrganizationTrail?: boolean; s3BucketName: string }): EventBridgeEvent {
  return apiCallEvent({
    accountId,
    region,
    eventName: 'UpdateTrail',
    time,
    requestParameters: { name: trailName, ...request },
    responseElements: {
      name: trailName,
      s3BucketName: after.s3BucketName,
      includeGlobalServiceEvents: after.isMultiRegionTrail,
      isMultiRegionTrail: after.isMultiRegionTrail,
      trailARN: `arn:aws:cloudtrail:${region}:${accountId}:trail/${trailName}`,
      logFileValidationEnabled: true,
      isOrganizationTrail: after.isOrganizationTrail ?? false,
    },
  });
}

/** The SQS event Lambda receives for events the bus rule sent to the queue (one record per event). */
export function sqsEventOf(events: readonly unknown[], queueArn = 'arn:aws:sqs:eu-west-1:123456789012:hammer-cloudtrails-realtime'): { Records: Array<Record<string, unknown>> } {
  const [, , , region = 'eu-west-1'] = queueArn.split(':');
  return {
    Records: events.map((event) => ({
      messageId: randomUUID(),
      receiptHandle: `AQEB${randomUUID().replace(/-/g, '')}`,
      body: typeof event === 'string' ? event : JSON.stringify(event),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'AIDAIENQZJOLO23YVJ4VO', ApproximateFirstReceiveTimestamp: String(Date.now()) },
      messageAttributes: {},
      md5OfBody: '0',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: region,
    })),
  };
}
