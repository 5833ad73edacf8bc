import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseTimestamp, pythonIsoTimestamp } from '../../../library/runtime/clock.ts';

const test = suite('clock');

test('writes timestamps as Python datetime.isoformat() with microseconds and +00:00', () => {
  assert.is(pythonIsoTimestamp(new Date('2026-11-26T15:56:20.123Z')), '2026-11-26T15:56:20.123000+00:00');
  assert.is(pythonIsoTimestamp(new Date('2026-01-02T03:04:05.007Z')), '2026-01-02T03:04:05.007000+00:00');
});

test('leaves the fraction out at a whole second, as Python does', () => {
  assert.is(pythonIsoTimestamp(new Date('2026-11-26T15:56:20.000Z')), '2026-11-26T15:56:20+00:00');
});

test('keeps string order equal to time order, which Hammer reporting relies on', () => {
  const earlier = pythonIsoTimestamp(new Date('2026-11-26T15:56:20.000Z'));
  const later = pythonIsoTimestamp(new Date('2026-11-26T15:56:20.001Z'));
  assert.ok(earlier < later);
});

test('parses timestamps written by Python and by this module', () => {
  assert.is(parseTimestamp('2026-11-26T15:56:20.123456+00:00'), Date.parse('2026-11-26T15:56:20.123Z'));
  assert.is(parseTimestamp('2026-11-26T15:56:20+00:00'), Date.parse('2026-11-26T15:56:20Z'));
  assert.is(parseTimestamp('2026-11-26T17:56:20+02:00'), Date.parse('2026-11-26T15:56:20Z'));
  assert.ok(Number.isNaN(parseTimestamp('yesterday')));
});

test.run();
