import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeAdvancedSelector, summariseEventSelectors } from '../../../library/scan/eventSelectorSummary.ts';
import { MANAGEMENT_READ_WRITE, S3_DATA_EVENTS } from '../../helpers/trailFixtures.ts';

const test = suite('eventSelectorSummary');

test('basic selectors give Hammer\'s comma-joined ReadWriteType', () => {
  assert.is(summariseEventSelectors({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }] }), 'All');
  assert.is(summariseEventSelectors({ EventSelectors: [{ ReadWriteType: 'ReadOnly' }, { ReadWriteType: 'WriteOnly' }] }), 'ReadOnly,WriteOnly');
});

test('no selectors at all is All', () => {
  assert.is(summariseEventSelectors({}), 'All');
  assert.is(summariseEventSelectors({ EventSelectors: [], AdvancedEventSelectors: [] }), 'All');
});

test('advanced selectors are summarised readably, one part per selector', () => {
  assert.is(summariseEventSelectors({ AdvancedEventSelectors: [MANAGEMENT_READ_WRITE] }), 'Advanced: Management(ReadWrite)');
  assert.is(summariseEventSelectors({ AdvancedEventSelectors: [S3_DATA_EVENTS] }), 'Advanced: Data(AWS::S3::Object)');
  assert.is(summariseEventSelectors({ EventSelectors: [], AdvancedEventSelectors: [MANAGEMENT_READ_WRITE, S3_DATA_EVENTS] }), 'Advanced: Management(ReadWrite); Data(AWS::S3::Object)');
});

test('read-only and write-only scopes and excluded sources are named', () => {
  assert.is(describeAdvancedSelector({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }), 'Management(Write)');
  assert.is(describeAdvancedSelector({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }] }), 'Management(ReadWrite, except kms.amazonaws.com rdsdata.amazonaws.com)');
  assert.is(describeAdvancedSelector({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] }, { Field: 'readOnly', Equals: ['true'] }] }), 'Data(AWS::Lambda::Function, Read)');
});

test('other field conditions are flagged as filtered', () => {
  assert.is(describeAdvancedSelector({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::audit-bucket/'] }] }), 'Data(AWS::S3::Object, filtered)');
  assert.is(describeAdvancedSelector({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['NetworkActivity'] }, { Field: 'eventSource', Equals: ['cloudtrail.amazonaws.com'] }] }), 'NetworkActivity(filtered)');
  assert.is(describeAdvancedSelector({ FieldSelectors: [] }), 'AnyCategory');
});

test.run();
