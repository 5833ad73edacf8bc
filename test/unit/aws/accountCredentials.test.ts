import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AccountCredentials, AssumeRoleError } from '../../../library/aws/accountCredentials.ts';
import { TEST_CREDENTIALS } from '../../fakes/dynalite.ts';
import { VirtualTime } from '../../helpers/virtualTime.ts';

const test = suite('accountCredentials');
/** Stubbed in `before`, not at import: uvu imports every test file before running any suite. */
const stubSts = () => mockClient(STSClient);
let sts: ReturnType<typeof stubSts>;
let time: VirtualTime;
let denials = 0;

test.before(() => {
  sts = stubSts();
});

test.before.each(() => {
  sts.reset();
  time = new VirtualTime();
  denials = 0;
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string; DurationSeconds: number }) => {
    if (denials > 0) {
      denials -= 1;
      throw new STSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'not authorized to perform: sts:AssumeRole' });
    }
    const account = input.RoleArn.split(':')[4] ?? '';
    return {
      Credentials: { AccessKeyId: `ASIA${account}${sts.commandCalls(AssumeRoleCommand).length}`, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(time.nowMs + input.DurationSeconds * 1000) },
      $metadata: { httpStatusCode: 200 },
    };
  });
});

test.after(() => {
  sts.restore();
});

function credentials(): AccountCredentials {
  return new AccountCredentials(new STSClient({ region: 'eu-west-1', credentials: TEST_CREDENTIALS }), time.date, { roleName: 'hammer-cloudsec-crossact-id' });
}

test('assumes the identification role for 3600 s and reuses the credentials', async () => {
  const cache = credentials();
  const first = await cache.forAccount('210987654321', '123456789012');
  time.nowMs += 30 * 60_000;
  const second = await cache.forAccount('210987654321', '123456789012');
  assert.equal(sts.commandCalls(AssumeRoleCommand).map((call) => [call.args[0].input.RoleArn, call.args[0].input.DurationSeconds]), [['arn:aws:iam::210987654321:role/hammer-cloudsec-crossact-id', 3600]]);
  assert.is(second, first);
  assert.is(first?.accessKeyId, 'ASIA2109876543211');
});

test('renews credentials that are near expiry', async () => {
  const cache = credentials();
  await cache.forAccount('210987654321', '123456789012');
  time.nowMs += 51 * 60_000;
  const renewed = await cache.forAccount('210987654321', '123456789012');
  assert.is(sts.commandCalls(AssumeRoleCommand).length, 2);
  assert.is(renewed?.accessKeyId, 'ASIA2109876543212');
});

test('the account the Lambda runs in needs no AssumeRole', async () => {
  const cache = credentials();
  assert.is(await cache.forAccount('123456789012', '123456789012'), undefined);
  assert.is(sts.commandCalls(AssumeRoleCommand).length, 0);
});

test('concurrent callers for one account share one AssumeRole call', async () => {
  const cache = credentials();
  const all = await Promise.all([1, 2, 3, 4].map(() => cache.forAccount('654321210987', undefined)));
  assert.is(sts.commandCalls(AssumeRoleCommand).length, 1);
  assert.ok(all.every((identity) => identity === all[0]));
});

test('a denied AssumeRole is an AssumeRoleError naming the role and code, and is not cached', async () => {
  denials = 1;
  const cache = credentials();
  try {
    await cache.forAccount('210987654321', undefined);
    assert.unreachable('expected AssumeRoleError');
  } catch (err: unknown) {
    assert.instance(err, AssumeRoleError);
    const denied = err as AssumeRoleError;
    assert.is(denied.errorCode, 'AccessDenied');
    assert.is(denied.roleArn, 'arn:aws:iam::210987654321:role/hammer-cloudsec-crossact-id');
    assert.is(denied.message, 'cannot assume arn:aws:iam::210987654321:role/hammer-cloudsec-crossact-id in account 210987654321: AccessDenied');
  }
  const later = await cache.forAccount('210987654321', undefined);
  assert.ok(later !== undefined);
  assert.is(sts.commandCalls(AssumeRoleCommand).length, 2);
});

test.run();
