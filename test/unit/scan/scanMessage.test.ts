import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseScanMessage, serializeScanMessage, topicRegion } from '../../../library/scan/scanMessage.ts';

const test = suite('scanMessage');
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda';

test('reads Hammer\'s message with many regions', () => {
  const parsed = parseScanMessage(JSON.stringify({ account_id: '210987654321', account_name: 'slave1', regions: ['eu-west-1', 'us-east-1', 'ap-southeast-2'], sns_arn: TOPIC }));
  assert.equal(parsed, { ok: true, message: { account_id: '210987654321', account_name: 'slave1', regions: ['eu-west-1', 'us-east-1', 'ap-southeast-2'], sns_arn: TOPIC } });
});

test('keeps request_id and unknown keys, and drops a null request_id', () => {
  const withId = parseScanMessage(JSON.stringify({ account_id: '210987654321', account_name: '', regions: ['us-gov-west-1'], sns_arn: TOPIC, request_id: 'a1b2', origin: 'api' }));
  assert.equal(withId, { ok: true, message: { account_id: '210987654321', account_name: '', regions: ['us-gov-west-1'], sns_arn: TOPIC, request_id: 'a1b2', origin: 'api' } });
  const nullId = parseScanMessage(JSON.stringify({ account_id: '210987654321', account_name: 'slave1', regions: ['eu-west-1'], sns_arn: TOPIC, request_id: null }));
  assert.equal(nullId, { ok: true, message: { account_id: '210987654321', account_name: 'slave1', regions: ['eu-west-1'], sns_arn: TOPIC } });
});

test('checks a region listed twice once', () => {
  const parsed = parseScanMessage(JSON.stringify({ account_id: '210987654321', account_name: 'slave1', regions: ['eu-west-1', 'eu-west-1'], sns_arn: TOPIC }));
  assert.equal(parsed.ok && parsed.message.regions, ['eu-west-1']);
});

const invalid: Array<[string, string, string]> = [
  ['text that is not JSON', 'account_id=1', 'the message is not JSON'],
  ['a JSON list', '["eu-west-1"]', 'the message is not a JSON object'],
  ['a numeric account id', JSON.stringify({ account_id: 210987654321, account_name: 'a', regions: ['eu-west-1'], sns_arn: TOPIC }), 'account_id must be a 12-digit account id string'],
  ['a missing account_name', JSON.stringify({ account_id: '210987654321', regions: ['eu-west-1'], sns_arn: TOPIC }), 'account_name must be a string'],
  ['empty regions', JSON.stringify({ account_id: '210987654321', account_name: 'a', regions: [], sns_arn: TOPIC }), 'regions must be a non-empty list'],
  ['a region that is not one', JSON.stringify({ account_id: '210987654321', account_name: 'a', regions: ['eu-west-1', 'Ireland'], sns_arn: TOPIC }), 'regions holds "Ireland", which is not a region name'],
  ['a missing sns_arn', JSON.stringify({ account_id: '210987654321', account_name: 'a', regions: ['eu-west-1'] }), 'sns_arn must be an SNS topic ARN'],
  ['an empty request_id', JSON.stringify({ account_id: '210987654321', account_name: 'a', regions: ['eu-west-1'], sns_arn: TOPIC, request_id: '' }), 'request_id must be a non-empty string when present'],
];

for (const [what, text, reason] of invalid) {
  test(`rejects ${what}, saying why`, () => {
    assert.equal(parseScanMessage(text), { ok: false, reason });
  });
}

test('writes keys in Hammer\'s order, request_id after sns_arn, extra keys last', () => {
  const text = serializeScanMessage({ origin: 'api', request_id: 'r1', sns_arn: TOPIC, regions: ['eu-west-1'], account_name: 'slave1', account_id: '210987654321' });
  assert.is(text, `{"account_id":"210987654321","account_name":"slave1","regions":["eu-west-1"],"sns_arn":"${TOPIC}","request_id":"r1","origin":"api"}`);
});

test('finds the region of a topic ARN', () => {
  assert.is(topicRegion(TOPIC), 'eu-west-1');
  assert.is(topicRegion('not-an-arn'), undefined);
});

test.run();
