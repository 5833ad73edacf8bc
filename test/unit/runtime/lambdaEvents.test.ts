import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { accountOfFunctionArn, describeEventContent, snsMessagesOf } from '../../../library/runtime/lambdaEvents.ts';
import { snsEvent } from '../../helpers/lambdaFixtures.ts';

const test = suite('lambdaEvents');
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda';

test('takes every message out of an SNS event', () => {
  assert.equal(snsMessagesOf(snsEvent(TOPIC, ['{"a":1}', '{"b":2}'])), ['{"a":1}', '{"b":2}']);
});

test('an event that is not from SNS has no messages', () => {
  assert.is(snsMessagesOf({ 'detail-type': 'Scheduled Event', source: 'aws.events' }), undefined);
  assert.is(snsMessagesOf({ Records: [] }), undefined);
  assert.is(snsMessagesOf({ Records: [{ eventSource: 'aws:sqs', body: '{}' }] }), undefined);
  assert.is(snsMessagesOf(null), undefined);
});

test('reads the account from the invoked function ARN', () => {
  assert.is(accountOfFunctionArn('arn:aws:lambda:eu-west-1:123456789012:function:hammer-describe-cloudtrails'), '123456789012');
  assert.is(accountOfFunctionArn('arn:aws:lambda:eu-west-1:123456789012:function:hammer-describe-cloudtrails:live'), '123456789012');
  assert.is(accountOfFunctionArn(undefined), undefined);
});

test('content for a log line is kept whole when short and cut at 4 KiB otherwise', () => {
  assert.is(describeEventContent({ a: 1 }), '{"a":1}');
  const long = describeEventContent('x'.repeat(5000));
  assert.is(long, `${'x'.repeat(4096)}… (5000 characters)`);
});

test.run();
