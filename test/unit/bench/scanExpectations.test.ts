import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compareIssues, compareKeyedCalls, compareMessages } from '../../bench/scanExpectations.ts';

const test = suite('scanExpectations');

test('calls exactly once for every expected key are at the minimum', () => {
  const counted = compareKeyedCalls('DescribeTrails', new Set(['a/eu-west-1', 'a/us-east-1']), { DescribeTrails: [['a/eu-west-1', 1], ['a/us-east-1', 1]] });
  assert.equal(counted, { operation: 'DescribeTrails', expected: 2, calls: 2, missing: 0, repeated: 0, unexpected: 0, ok: true });
});

test('a repeated call is over the minimum even when another is missing and the total matches', () => {
  const counted = compareKeyedCalls('DescribeTrails', new Set(['a/eu-west-1', 'a/us-east-1']), { DescribeTrails: [['a/eu-west-1', 2]] });
  assert.is(counted.calls, 2);
  assert.is(counted.repeated, 1);
  assert.is(counted.missing, 1);
  assert.is(counted.ok, false);
});

test('calls about keys nobody expected fail, and no calls at all miss every key', () => {
  assert.is(compareKeyedCalls('AssumeRole', new Set(['111111111111']), { AssumeRole: [['111111111111', 1], ['999999999999', 1]] }).unexpected, 1);
  const none = compareKeyedCalls('AssumeRole', new Set(['111111111111']), {});
  assert.equal([none.calls, none.missing, none.ok], [0, 1, false]);
});

test('a missed and an invented issue are both named', () => {
  const compared = compareIssues(new Set(['a/eu-west-1', 'b/us-east-1']), [{ account_id: 'a', issue_id: 'eu-west-1' }, { account_id: 'c', issue_id: 'eu-west-1' }]);
  assert.equal(compared.missed, ['b/us-east-1']);
  assert.equal(compared.unexpected, ['c/eu-west-1']);
  assert.is(compared.ok, false);
  assert.is(compareIssues(new Set(['a/eu-west-1']), [{ account_id: 'a', issue_id: 'eu-west-1' }]).ok, true);
});

test('a scan message published twice for one account is a duplicate', () => {
  assert.equal(compareMessages(['a', 'b'], ['a', 'b']), { expected: 2, published: 2, missing: 0, repeated: 0, ok: true });
  assert.equal(compareMessages(['a', 'b'], ['a', 'a']), { expected: 2, published: 2, missing: 1, repeated: 1, ok: false });
});

test.run();
