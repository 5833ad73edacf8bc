import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ALL_MANAGEMENT_EVENTS,
  READ_EVENTS,
  UNKNOWN_COVERAGE,
  WRITE_EVENTS,
  coversRegion,
  managementCoverage,
  notCoveringReason,
  type ManagementCoverage,
} from '../../../library/scan/managementEventCoverage.ts';
import { MANAGEMENT_READ_WRITE, S3_DATA_EVENTS } from '../../helpers/trailFixtures.ts';

const test = suite('managementEventCoverage');

/** A basic selector exactly as GetEventSelectors returns it (AWS fills every field). */
function basic(readWriteType: 'All' | 'ReadOnly' | 'WriteOnly', includeManagementEvents = true, extra: Partial<EventSelector> = {}): EventSelector {
  return { ReadWriteType: readWriteType, IncludeManagementEvents: includeManagementEvents, DataResources: [], ExcludeManagementEventSources: [], ...extra };
}

function management(...conditions: AdvancedFieldSelector[]): AdvancedEventSelector {
  return { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, ...conditions] };
}

const S3_OBJECTS_BASIC = { DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] };
const CLOUDTRAIL_WRITES = WRITE_EVENTS.filter((event) => event.eventSource === 'cloudtrail.amazonaws.com');
const CLOUDTRAIL_READS = READ_EVENTS.filter((event) => event.eventSource === 'cloudtrail.amazonaws.com');

function ofBasic(...selectors: EventSelector[]): ManagementCoverage {
  return managementCoverage({ EventSelectors: selectors });
}

function ofAdvanced(...selectors: AdvancedEventSelector[]): ManagementCoverage {
  return managementCoverage({ AdvancedEventSelectors: selectors });
}

/** `yes`/`no`/`unknown` without and with cloudtrails.require_read_management_events. */
function verdicts(coverage: ManagementCoverage): [string, string] {
  return [coversRegion(coverage, false), coversRegion(coverage, true)];
}

test('the representative events start with CloudTrail\'s own write calls and leave out the sources AWS lets a trail exclude', () => {
  assert.equal(CLOUDTRAIL_WRITES.map((event) => event.eventName), ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors']);
  assert.ok(WRITE_EVENTS.every((event) => !event.readOnly) && READ_EVENTS.every((event) => event.readOnly));
  for (const event of [...WRITE_EVENTS, ...READ_EVENTS]) assert.not.ok(['kms.amazonaws.com', 'rdsdata.amazonaws.com'].includes(event.eventSource));
});

test('a trail without custom selectors records every management event, read and write', () => {
  assert.equal(verdicts(ALL_MANAGEMENT_EVENTS), ['yes', 'yes']);
  assert.is(notCoveringReason(ALL_MANAGEMENT_EVENTS, true), undefined);
});

test('basic All with management events covers the region, also in the stricter mode', () => {
  assert.equal(ofBasic(basic('All')), ALL_MANAGEMENT_EVENTS);
});

test('basic ReadOnly records no write management events', () => {
  const coverage = ofBasic(basic('ReadOnly'));
  assert.equal({ writes: coverage.writes.kind, reads: coverage.reads.kind }, { writes: 'none', reads: 'all' });
  assert.equal(verdicts(coverage), ['no', 'no']);
  assert.is(notCoveringReason(coverage, false), 'logging, but records no write management events');
});

test('basic WriteOnly covers the region, unless read management events are required', () => {
  const coverage = ofBasic(basic('WriteOnly'));
  assert.equal(verdicts(coverage), ['yes', 'no']);
  assert.is(notCoveringReason(coverage, false), undefined);
  assert.is(notCoveringReason(coverage, true), 'logging, but records no read management events');
});

test('basic selectors with management events off record none, even with data events on', () => {
  const coverage = ofBasic(basic('All', false, S3_OBJECTS_BASIC));
  assert.equal({ writes: coverage.writes.kind, reads: coverage.reads.kind }, { writes: 'none', reads: 'none' });
  assert.equal(verdicts(coverage), ['no', 'no']);
  assert.is(notCoveringReason(coverage, true), 'logging, but records no write management events', 'writes are named first');
});

test('basic selectors are OR-ed: ReadOnly and WriteOnly together record everything; a data-only ReadOnly adds no reads', () => {
  assert.equal(verdicts(ofBasic(basic('ReadOnly'), basic('WriteOnly'))), ['yes', 'yes']);
  assert.equal(verdicts(ofBasic(basic('WriteOnly'), basic('ReadOnly', false, S3_OBJECTS_BASIC))), ['yes', 'no']);
  assert.equal(verdicts(ofBasic(basic('All', false, S3_OBJECTS_BASIC), basic('All'))), ['yes', 'yes']);
});

test('basic fields AWS leaves at their defaults (management events included, All) are read as the defaults', () => {
  assert.equal(verdicts(ofBasic({ ReadWriteType: 'WriteOnly' })), ['yes', 'no']);
  assert.equal(verdicts(ofBasic({})), ['yes', 'yes']);
});

test('excluding KMS and RDS Data API events still records CloudTrail\'s own calls: the trail covers', () => {
  const coverage = ofBasic(basic('All', true, { ExcludeManagementEventSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }));
  assert.equal(coverage, ALL_MANAGEMENT_EVENTS);
});

test('a basic exclusion of cloudtrail.amazonaws.com (AWS refuses it today) would leave the trail blind to itself', () => {
  const coverage = ofBasic(basic('All', true, { ExcludeManagementEventSources: ['cloudtrail.amazonaws.com'] }));
  assert.equal(coverage.writes, { kind: 'partial', missed: CLOUDTRAIL_WRITES });
  assert.equal(verdicts(coverage), ['no', 'no']);
});

test('advanced Management without readOnly records read and write events', () => {
  assert.equal(ofAdvanced(MANAGEMENT_READ_WRITE), ALL_MANAGEMENT_EVENTS);
});

test('advanced Management with readOnly Equals true records no write management events', () => {
  const coverage = ofAdvanced(management({ Field: 'readOnly', Equals: ['true'] }));
  assert.equal({ writes: coverage.writes.kind, reads: coverage.reads.kind }, { writes: 'none', reads: 'all' });
  assert.is(notCoveringReason(coverage, false), 'logging, but records no write management events');
  assert.equal(verdicts(ofAdvanced(management({ Field: 'readOnly', Equals: ['TRUE'] }))), ['no', 'no'], 'readOnly compares without case');
});

test('advanced Management with readOnly Equals false records writes only', () => {
  assert.equal(verdicts(ofAdvanced(management({ Field: 'readOnly', Equals: ['false'] }))), ['yes', 'no']);
  assert.equal(verdicts(ofAdvanced(management({ Field: 'readOnly', Equals: ['true', 'false'] }))), ['yes', 'yes']);
});

test('readOnly NotEquals is the opposite of Equals', () => {
  assert.equal(verdicts(ofAdvanced(management({ Field: 'readOnly', NotEquals: ['true'] }))), ['yes', 'no']);
  assert.equal(verdicts(ofAdvanced(management({ Field: 'readOnly', NotEquals: ['false'] }))), ['no', 'no']);
});

test('an eventSource exclusion of kms.amazonaws.com keeps the trail covering', () => {
  assert.equal(ofAdvanced(management({ Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] })), ALL_MANAGEMENT_EVENTS);
});

test('an eventSource exclusion of cloudtrail.amazonaws.com blinds the trail to its own tampering', () => {
  const coverage = ofAdvanced(management({ Field: 'eventSource', NotEquals: ['cloudtrail.amazonaws.com'] }));
  assert.equal(coverage.writes, { kind: 'partial', missed: CLOUDTRAIL_WRITES });
  assert.equal(coverage.reads, { kind: 'partial', missed: CLOUDTRAIL_READS });
  assert.equal(verdicts(coverage), ['no', 'no']);
  assert.is(notCoveringReason(coverage, false), 'logging, but does not record some write management events (cloudtrail.amazonaws.com: StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors)');
});

test('StartsWith, EndsWith and their negations are applied to the value', () => {
  assert.equal(ofAdvanced(management({ Field: 'eventSource', NotStartsWith: ['cloudtrail.'] })).writes.missed, CLOUDTRAIL_WRITES);
  assert.equal(ofAdvanced(management({ Field: 'eventSource', NotEndsWith: ['trail.amazonaws.com'] })).writes.missed, CLOUDTRAIL_WRITES);
  const onlyCloudTrail = ofAdvanced(management({ Field: 'eventSource', StartsWith: ['cloudtrail'] }));
  assert.is(onlyCloudTrail.writes.kind, 'partial');
  assert.equal(onlyCloudTrail.writes.missed.map((event) => event.eventSource), ['iam.amazonaws.com', 'iam.amazonaws.com', 'ec2.amazonaws.com', 'ec2.amazonaws.com', 's3.amazonaws.com', 'signin.amazonaws.com']);
  assert.equal(ofAdvanced(management({ Field: 'eventSource', EndsWith: ['.amazonaws.com'] })), ALL_MANAGEMENT_EVENTS);
  assert.equal(verdicts(ofAdvanced(management({ Field: 'eventSource', Equals: ['nothing.example.com'] }))), ['no', 'no']);
});

test('an eventName exclusion of StopLogging misses exactly that call', () => {
  const coverage = ofAdvanced(management({ Field: 'eventName', NotEquals: ['StopLogging'] }));
  assert.equal(coverage.writes, { kind: 'partial', missed: [CLOUDTRAIL_WRITES[0]] });
  assert.is(notCoveringReason(coverage, false), 'logging, but does not record some write management events (cloudtrail.amazonaws.com: StopLogging)');
});

test('a positive and a negative condition on one field must both hold', () => {
  const coverage = ofAdvanced(management({ Field: 'eventSource', EndsWith: ['.amazonaws.com'], NotEquals: ['iam.amazonaws.com'] }));
  assert.equal(coverage.writes.missed.map((event) => event.eventName), ['CreateAccessKey', 'AttachRolePolicy']);
});

test('advanced selectors with only data events record no management events', () => {
  const coverage = ofAdvanced(S3_DATA_EVENTS);
  assert.equal({ writes: coverage.writes.kind, reads: coverage.reads.kind }, { writes: 'none', reads: 'none' });
  assert.is(notCoveringReason(coverage, false), 'logging, but records no write management events');
});

test('several advanced selectors are OR-ed', () => {
  assert.equal(ofAdvanced(management({ Field: 'readOnly', Equals: ['true'] }), management({ Field: 'readOnly', Equals: ['false'] })), ALL_MANAGEMENT_EVENTS);
  assert.equal(verdicts(ofAdvanced(S3_DATA_EVENTS, management({ Field: 'readOnly', Equals: ['false'] }))), ['yes', 'no']);
  assert.equal(verdicts(ofAdvanced(S3_DATA_EVENTS, management({ Field: 'readOnly', Equals: ['true'] }))), ['no', 'no']);
});

test('a condition on a field a management event does not define cannot be decided: unknown, never a reason', () => {
  const narrowed = management({ Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::210987654321:assumed-role/deploy/'] });
  const coverage = ofAdvanced(narrowed);
  assert.equal(coverage, UNKNOWN_COVERAGE);
  assert.equal(verdicts(coverage), ['unknown', 'unknown']);
  assert.is(notCoveringReason(coverage, true), undefined);
  assert.equal(ofAdvanced(narrowed, MANAGEMENT_READ_WRITE), ALL_MANAGEMENT_EVENTS, 'another selector that records everything decides');
  assert.equal(verdicts(ofAdvanced({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::logs/'] }] })), ['no', 'no'], 'a data selector is decided by its category');
});

test('a certain miss decides even when other events cannot be decided', () => {
  const coverage = ofAdvanced(management({ Field: 'readOnly', Equals: ['true'] }), management({ Field: 'readOnly', Equals: ['false'] }, { Field: 'userIdentity.arn', NotEquals: ['arn:aws:iam::210987654321:user/x'] }, { Field: 'eventSource', NotEquals: ['cloudtrail.amazonaws.com'] }));
  assert.equal(coverage.writes.missed, CLOUDTRAIL_WRITES);
  assert.equal(verdicts(coverage), ['no', 'no']);
});

test('advanced selectors win over basic ones, and an answer without selectors is unknown', () => {
  assert.equal(managementCoverage({ EventSelectors: [basic('ReadOnly')], AdvancedEventSelectors: [MANAGEMENT_READ_WRITE] }), ALL_MANAGEMENT_EVENTS);
  assert.equal(managementCoverage({}), UNKNOWN_COVERAGE);
  assert.equal(managementCoverage({ EventSelectors: [], AdvancedEventSelectors: [] }), UNKNOWN_COVERAGE);
});

test('a ReadWriteType AWS does not document is not guessed', () => {
  assert.equal(verdicts(ofBasic({ ReadWriteType: 'Sometimes' as EventSelector['ReadWriteType'], IncludeManagementEvents: true })), ['unknown', 'unknown']);
});

test.run();
