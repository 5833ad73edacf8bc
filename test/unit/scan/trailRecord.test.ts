import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildTrailRecord, staleDeliveryError, trailEndpointErrors } from '../../../library/scan/trailRecord.ts';
import { bucketOf, logGroupOf, logging, stopped, trail, trailArn } from '../../helpers/trailFixtures.ts';

const test = suite('trailRecord');
const ACCOUNT = '210987654321';
const now = new Date('2026-11-26T15:56:20.123Z');
const described = trail({ account: ACCOUNT, name: 'main', home: 'eu-west-1', cloudWatch: true, multiRegion: true, snsTopic: true });

test('builds Hammer\'s trail shape from DescribeTrails and GetTrailStatus', () => {
  assert.equal(buildTrailRecord(described, logging(), 'All', { now }), {
    id: trailArn('eu-west-1', ACCOUNT, 'main'), enabled: true, multi_region: true, selectors: 'All', errors: {},
  });
  assert.is(buildTrailRecord(described, stopped(), 'All', { now }).enabled, false);
});

test('maps each delivery error to its endpoint and resource', () => {
  const errors = trailEndpointErrors(described, logging({
    LatestDeliveryError: 'AccessDenied',
    LatestCloudWatchLogsDeliveryError: 'LogGroupNotFound',
    LatestNotificationError: 'AuthorizationError',
    LatestDigestDeliveryError: 'NoSuchBucket',
  }), { now });
  assert.equal(errors, {
    s3: { resource: bucketOf(ACCOUNT, 'main'), error: 'AccessDenied' },
    cloudwatch: { resource: logGroupOf('eu-west-1', ACCOUNT, 'main'), error: 'LogGroupNotFound' },
    sns: { resource: `arn:aws:sns:eu-west-1:${ACCOUNT}:main-notifications`, error: 'AuthorizationError' },
    digest: { resource: bucketOf(ACCOUNT, 'main'), error: 'NoSuchBucket' },
  });
});

test('an endpoint error without its resource records the resource as null, as Python writes None', () => {
  const plain = trail({ account: ACCOUNT, name: 'plain', home: 'eu-west-1' });
  assert.equal(trailEndpointErrors(plain, logging({ LatestCloudWatchLogsDeliveryError: 'AccessDenied', LatestNotificationError: 'NotFound' }), { now }), {
    cloudwatch: { resource: null, error: 'AccessDenied' },
    sns: { resource: null, error: 'NotFound' },
  });
});

test('an empty error string is no error', () => {
  assert.equal(trailEndpointErrors(described, logging({ LatestDeliveryError: '' }), { now }), {});
});

test('stale delivery is off unless stale_delivery_hours is set', () => {
  assert.equal(trailEndpointErrors(described, logging({ LatestDeliveryTime: new Date('2026-01-01T00:00:00Z') }), { now }), {});
});

test('a logging trail with an old last delivery gets a stale error on that endpoint, with stable text', () => {
  const status = logging({ LatestDeliveryTime: new Date('2026-11-24T09:30:00Z'), LatestCloudWatchLogsDeliveryTime: new Date('2026-11-25T10:00:00Z') });
  assert.equal(trailEndpointErrors(described, status, { now, staleDeliveryHours: 24 }), {
    s3: { resource: bucketOf(ACCOUNT, 'main'), error: 'No delivery for more than 24 hours; last delivery at 2026-11-24T09:30:00.000Z' },
    cloudwatch: { resource: logGroupOf('eu-west-1', ACCOUNT, 'main'), error: 'No delivery for more than 24 hours; last delivery at 2026-11-25T10:00:00.000Z' },
  });
  const later = new Date(now.getTime() + 3_600_000);
  assert.equal(trailEndpointErrors(described, status, { now: later, staleDeliveryHours: 24 }), trailEndpointErrors(described, status, { now, staleDeliveryHours: 24 }));
});

test('a real delivery error wins over staleness', () => {
  const status = logging({ LatestDeliveryError: 'AccessDenied', LatestDeliveryTime: new Date('2026-11-01T00:00:00Z'), LatestCloudWatchLogsDeliveryTime: new Date('2026-11-26T15:00:00Z') });
  assert.equal(trailEndpointErrors(described, status, { now, staleDeliveryHours: 24 }), { s3: { resource: bucketOf(ACCOUNT, 'main'), error: 'AccessDenied' } });
});

test('a trail that never delivered is stale once logging started longer ago than the threshold', () => {
  const status = logging({ LatestDeliveryTime: undefined, StartLoggingTime: new Date('2026-11-20T00:00:00Z') });
  assert.is(staleDeliveryError(status, undefined, { now, staleDeliveryHours: 48 }), 'No delivery for more than 48 hours; no delivery since logging started at 2026-11-20T00:00:00.000Z');
});

test('a trail that restarted logging recently, or that does not log, is not stale', () => {
  const restarted = logging({ LatestDeliveryTime: new Date('2026-10-01T00:00:00Z'), StartLoggingTime: new Date('2026-11-26T12:00:00Z') });
  assert.is(staleDeliveryError(restarted, restarted.LatestDeliveryTime, { now, staleDeliveryHours: 24 }), undefined);
  const off = stopped();
  assert.is(staleDeliveryError(off, off.LatestDeliveryTime, { now, staleDeliveryHours: 24 }), undefined);
});

test('a trail without CloudWatch Logs has no stale CloudWatch error', () => {
  const plain = trail({ account: ACCOUNT, name: 'plain', home: 'eu-west-1' });
  const status = logging({ LatestDeliveryTime: new Date('2026-11-26T15:00:00Z') });
  assert.equal(trailEndpointErrors(plain, status, { now, staleDeliveryHours: 1 }), {});
});

test.run();
