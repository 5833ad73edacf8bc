import { CloudTrailServiceException } from '@aws-sdk/client-cloudtrail';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isTransientError, retryTransient } from '../../../library/aws/transientRetry.ts';
import { cloudTrailError } from '../../fakes/fakeAws.ts';
import { VirtualTime } from '../../helpers/virtualTime.ts';

const test = suite('transientRetry');
const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 };

test('classifies throttling, 5xx and dropped connections as transient, access and validation errors as not', () => {
  assert.ok(isTransientError(cloudTrailError('ThrottlingException')));
  assert.ok(isTransientError(cloudTrailError('ServiceUnavailableException', 'down', 503)));
  assert.ok(isTransientError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
  assert.not.ok(isTransientError(cloudTrailError('AccessDeniedException')));
  assert.not.ok(isTransientError(cloudTrailError('TrailNotFoundException')));
  assert.not.ok(isTransientError(new CloudTrailServiceException({ name: 'InvalidParameterException', $fault: 'client', $metadata: { httpStatusCode: 400 } })));
});

test('retries transient errors with full-jitter delays under a doubling cap', async () => {
  const time = new VirtualTime();
  let calls = 0;
  const answer = await retryTransient(async () => {
    calls += 1;
    if (calls < 4) throw cloudTrailError('ThrottlingException');
    return 'ok';
  }, policy, { sleep: time.sleep, random: () => 0.99 });
  assert.is(answer, 'ok');
  assert.is(calls, 4);
  assert.equal(time.sleeps, [99, 198, 297]);
});

test('jitter spreads the delay between zero and the cap', async () => {
  const time = new VirtualTime();
  const randoms = [0, 0.5];
  let calls = 0;
  await retryTransient(async () => {
    calls += 1;
    if (calls < 3) throw cloudTrailError('ThrottlingException');
    return calls;
  }, policy, { sleep: time.sleep, random: () => randoms.shift() ?? 0 });
  assert.equal(time.sleeps, [0, 100]);
});

test('gives up after maxAttempts with the last error', async () => {
  const time = new VirtualTime();
  let calls = 0;
  try {
    await retryTransient(async () => {
      calls += 1;
      throw cloudTrailError('ThrottlingException', `attempt ${calls}`);
    }, policy, { sleep: time.sleep, random: () => 0 });
    assert.unreachable('expected the throttling error');
  } catch (err: unknown) {
    assert.is((err as Error).message, 'attempt 4');
  }
  assert.is(calls, 4);
});

test('does not retry an error that would not change', async () => {
  const time = new VirtualTime();
  let calls = 0;
  const retried: number[] = [];
  try {
    await retryTransient(async () => {
      calls += 1;
      throw cloudTrailError('AccessDeniedException');
    }, policy, { sleep: time.sleep, random: () => 0, onRetry: (_err, attempt) => retried.push(attempt) });
  } catch (err: unknown) {
    assert.is((err as Error).name, 'AccessDeniedException');
  }
  assert.is(calls, 1);
  assert.equal(retried, []);
});

test.run();
