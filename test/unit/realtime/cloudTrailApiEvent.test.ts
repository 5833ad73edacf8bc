import type { Trail } from '@aws-sdk/client-cloudtrail';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCloudTrailApiEvent, type CloudTrailApiCall } from '../../../library/realtime/cloudTrailApiEvent.ts';
import { loggingAlertText } from '../../../library/realtime/loggingAlert.ts';
import { rescanScope } from '../../../library/realtime/rescanScope.ts';
import { apiCallEvent, deleteTrail, putEventSelectorsWithoutManagementEvents, stopLogging, updateTrail } from '../../helpers/cloudTrailEventFixtures.ts';

const test = suite('CloudTrail API call events');

const ACCOUNT = '210987654321';
const TIME = '2026-11-26T16:02:11Z';
const REGIONAL_ARN = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/eu-audit`;
const GLOBAL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events`;

function callOf(event: unknown): CloudTrailApiCall {
  const parsed = parseCloudTrailApiEvent(typeof event === 'string' ? event : JSON.stringify(event));
  if (parsed.kind !== 'call') throw new Error(`expected a call, got ${JSON.stringify(parsed)}`);
  return parsed.call;
}

const TRAILS: Trail[] = [
  { Name: 'eu-audit', TrailARN: REGIONAL_ARN, HomeRegion: 'eu-west-1', IsMultiRegionTrail: false, IsOrganizationTrail: false },
  { Name: 'management-events', TrailARN: GLOBAL_ARN, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: false },
  { Name: 'organization', TrailARN: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/organization', HomeRegion: 'us-east-1', IsMultiRegionTrail: false, IsOrganizationTrail: true },
];

test('a StopLogging event gives the envelope\'s account, region and time, the trail, the caller and the source IP', () => {
  const event = stopLogging(ACCOUNT, 'eu-west-1', REGIONAL_ARN, TIME, { eventId: '7116c6a1-0000-4000-8000-000000000001' });
  const call = callOf(event);
  assert.equal(call, {
    envelopeId: event.id,
    eventId: '7116c6a1-0000-4000-8000-000000000001',
    accountId: ACCOUNT,
    region: 'eu-west-1',
    time: new Date(TIME),
    eventName: 'StopLogging',
    consistent: true,
    mismatches: [],
    trail: REGIONAL_ARN,
    errorCode: undefined,
    scopeHint: undefined,
    callerArn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
    sourceIp: '198.51.100.42',
    userAgent: (event.detail.userAgent as string),
  });
});

test('PutEventSelectors names the trail by the ARN it answers; DeleteTrail by the name it was given', () => {
  assert.is(callOf(putEventSelectorsWithoutManagementEvents(ACCOUNT, 'eu-west-1', 'eu-audit', TIME)).trail, REGIONAL_ARN);
  assert.is(callOf(deleteTrail(ACCOUNT, 'us-east-1', 'management-events', TIME)).trail, 'management-events');
});

test('a detail that does not match its envelope is flagged, with every mismatch named', () => {
  const forged = stopLogging(ACCOUNT, 'eu-west-1', REGIONAL_ARN, TIME, { detail: { recipientAccountId: '999999999999', awsRegion: 'us-west-2', eventSource: 'iam.amazonaws.com' } });
  const call = callOf(forged);
  assert.is(call.consistent, false);
  assert.equal(call.mismatches, [
    'detail.eventSource is "iam.amazonaws.com", not cloudtrail.amazonaws.com',
    'detail.awsRegion "us-west-2" is not the envelope\'s region eu-west-1',
    'detail.recipientAccountId "999999999999" is not the envelope\'s account 210987654321',
  ]);
  assert.is(call.accountId, ACCOUNT, 'the envelope decides');
  assert.equal(callOf(stopLogging(ACCOUNT, 'eu-west-1', REGIONAL_ARN, TIME, { detail: { eventType: 'AwsServiceEvent' } })).mismatches, ['detail.eventType is "AwsServiceEvent", not AwsApiCall (the detail-type says an API call)']);
});

test('events of another source or detail-type are told apart from malformed ones', () => {
  assert.equal(parseCloudTrailApiEvent(JSON.stringify(apiCallEvent({ accountId: ACCOUNT, region: 'eu-west-1', eventName: 'StopLogging', time: TIME, requestParameters: {}, envelope: { source: 'my.app' } }))), { kind: 'other-source', source: 'my.app', detailType: 'AWS API Call via CloudTrail' });
  assert.equal(parseCloudTrailApiEvent('{"source": "aws.cloudtrail"'), { kind: 'malformed', reason: 'the event is not JSON' });
  assert.equal(parseCloudTrailApiEvent('[]'), { kind: 'malformed', reason: 'the event is not a JSON object' });
  const base = stopLogging(ACCOUNT, 'eu-west-1', REGIONAL_ARN, TIME);
  assert.equal(parseCloudTrailApiEvent(JSON.stringify({ ...base, account: '12' })), { kind: 'malformed', reason: 'account must be a 12-digit account id' });
  assert.equal(parseCloudTrailApiEvent(JSON.stringify({ ...base, time: 'yesterday' })), { kind: 'malformed', reason: 'time must be an ISO 8601 timestamp' });
  assert.equal(parseCloudTrailApiEvent(JSON.stringify({ ...base, detail: 'x' })), { kind: 'malformed', reason: 'detail must be an object' });
});

test('a failed call keeps its error code', () => {
  assert.is(callOf(stopLogging(ACCOUNT, 'eu-west-1', REGIONAL_ARN, TIME, { errorCode: 'AccessDenied' })).errorCode, 'AccessDenied');
});

test('the scope of a call: its region for a single-region trail, the account for a multi-region or organization trail', () => {
  const scope = (event: unknown, trails: Trail[] | undefined = TRAILS): string => rescanScope(callOf(event), trails).scope;
  assert.is(scope(stopLogging(ACCOUNT, 'eu-west-1', REGIONAL_ARN, TIME)), 'region');
  assert.is(scope(stopLogging(ACCOUNT, 'eu-west-1', 'eu-audit', TIME)), 'region', 'by name, the trail homed in the region');
  assert.is(scope(stopLogging(ACCOUNT, 'us-east-1', GLOBAL_ARN, TIME)), 'account');
  assert.is(scope(stopLogging(ACCOUNT, 'us-east-1', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/organization', TIME)), 'account');
  assert.is(scope(putEventSelectorsWithoutManagementEvents(ACCOUNT, 'eu-west-1', 'eu-audit', TIME)), 'region');
});

test('the scope is the whole account when it cannot be known: a deleted trail, trails not readable, no trail named', () => {
  assert.equal(rescanScope(callOf(deleteTrail(ACCOUNT, 'eu-west-1', 'eu-audit', TIME)), TRAILS.slice(1)), { scope: 'account', reason: 'trail eu-audit is not there (deleted?)' });
  assert.equal(rescanScope(callOf(stopLogging(ACCOUNT, 'eu-west-1', REGIONAL_ARN, TIME)), undefined), { scope: 'account', reason: 'the account\'s trails could not be read' });
  assert.is(rescanScope(callOf(apiCallEvent({ accountId: ACCOUNT, region: 'eu-west-1', eventName: 'StopLogging', time: TIME, requestParameters: {} })), TRAILS).scope, 'account');
  assert.is(rescanScope(callOf(stopLogging(ACCOUNT, 'eu-west-1', 'eu-audit-2', TIME)), TRAILS).scope, 'account', 'a name no trail has');
});

test('UpdateTrail says its scope: changing the multi-region or organization flag uncovers every region', () => {
  const hint = (event: unknown): string | undefined => callOf(event).scopeHint;
  assert.is(hint(updateTrail(ACCOUNT, 'us-east-1', 'management-events', TIME, { isMultiRegionTrail: false }, { isMultiRegionTrail: false, s3BucketName: 'b' })), 'account');
  assert.is(hint(updateTrail(ACCOUNT, 'eu-west-1', 'eu-audit', TIME, { s3BucketName: 'elsewhere' }, { isMultiRegionTrail: false, s3BucketName: 'elsewhere' })), 'region');
  assert.is(hint(updateTrail(ACCOUNT, 'us-east-1', 'management-events', TIME, { s3BucketName: 'elsewhere' }, { isMultiRegionTrail: true, s3BucketName: 'elsewhere' })), 'account');
  assert.is(hint(apiCallEvent({ accountId: ACCOUNT, region: 'eu-west-1', eventName: 'CreateTrail', time: TIME, requestParameters: { name: 'new', s3BucketName: 'b' }, responseElements: { name: 'new', isMultiRegionTrail: false, trailARN: 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/new' } })), 'region');
  assert.is(hint(stopLogging(ACCOUNT, 'eu-west-1', REGIONAL_ARN, TIME)), undefined);
});

test('the alert names the call, the trail, the account, the caller, the source IP and the time', () => {
  assert.is(
    loggingAlertText(callOf(stopLogging(ACCOUNT, 'eu-west-1', REGIONAL_ARN, TIME)), 'slave1'),
    `CloudTrail logging stopped: StopLogging of trail '${REGIONAL_ARN}' in 'slave1 / ${ACCOUNT} / eu-west-1' by arn:aws:iam::${ACCOUNT}:user/mallory from 198.51.100.42 at 2026-11-26T16:02:11Z`,
  );
  assert.is(
    loggingAlertText(callOf(deleteTrail(ACCOUNT, 'us-east-1', 'management-events', TIME, { callerArn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/eve`, sourceIp: '203.0.113.9' })), 'slave1'),
    `CloudTrail trail deleted: DeleteTrail of trail 'management-events' in 'slave1 / ${ACCOUNT} / us-east-1' by arn:aws:sts::${ACCOUNT}:assumed-role/admin/eve from 203.0.113.9 at 2026-11-26T16:02:11Z`,
  );
});

test.run();
