import { CloudTrailClient, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CallPacer } from '../../library/callPacer.ts';
import { CloudTrailReader } from '../../library/cloudTrailReader.ts';
import { CLOUDTRAIL_RETRY_POLICY } from '../../library/transientRetry.ts';
import { TEST_CREDENTIALS } from '../helpers/dynalite.ts';
import { cloudTrailError } from '../helpers/fakeAws.ts';
import { RecordingLog } from '../helpers/recordingLog.ts';
import { logging } from '../helpers/trailFixtures.ts';
import { VirtualTime } from '../helpers/virtualTime.ts';

const test = suite('cloudTrailReader');
const stubCloudTrail = () => mockClient(CloudTrailClient);
let cloudTrail: ReturnType<typeof stubCloudTrail>;
const ORG = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org';

test.before(() => {
  cloudTrail = stubCloudTrail();
});

test.after(() => {
  cloudTrail.restore();
});

test.before.each(() => {
  cloudTrail.reset();
});

function reader(time: VirtualTime, log = new RecordingLog()): CloudTrailReader {
  const clients = new Map<string, CloudTrailClient>();
  return new CloudTrailReader('210987654321', (region) => {
    const client = clients.get(region) ?? new CloudTrailClient({ region, credentials: TEST_CREDENTIALS });
    clients.set(region, client);
    return client;
  }, { pacer: new CallPacer(8, time.now, time.sleep), retryPolicy: CLOUDTRAIL_RETRY_POLICY, sleep: time.sleep, random: () => 0.5, log });
}

test('reads a trail\'s status once per invocation, however many regions show it', async () => {
  cloudTrail.on(GetTrailStatusCommand).resolves({ ...logging(), $metadata: {} });
  const once = reader(new VirtualTime());
  const answers = await Promise.all(['eu-west-1', 'eu-central-1', 'us-west-2'].map(() => once.trailStatus('us-east-1', ORG)));
  assert.is(cloudTrail.commandCalls(GetTrailStatusCommand).length, 1);
  assert.ok(answers.every((answer) => answer.IsLogging === true));
});

test('a refused status is remembered too, so it is refused once', async () => {
  cloudTrail.on(GetTrailStatusCommand).rejects(cloudTrailError('AccessDeniedException'));
  const once = reader(new VirtualTime());
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await once.trailStatus('us-east-1', ORG);
      assert.unreachable('expected AccessDeniedException');
    } catch (err: unknown) {
      assert.is((err as Error).name, 'AccessDeniedException');
    }
  }
  assert.is(cloudTrail.commandCalls(GetTrailStatusCommand).length, 1);
});

test('twenty status reads in one region are paced to eight per second', async () => {
  cloudTrail.on(GetTrailStatusCommand).resolves({ ...logging(), $metadata: {} });
  const time = new VirtualTime(1_000_000, false);
  const paced = reader(time);
  await Promise.all(Array.from({ length: 20 }, (_, index) => paced.trailStatus('eu-west-1', `arn:aws:cloudtrail:eu-west-1:210987654321:trail/t${index}`)));
  assert.is(cloudTrail.commandCalls(GetTrailStatusCommand).length, 20);
  assert.equal(time.sleeps, [...Array(8).fill(1000), ...Array(4).fill(2000)]);
});

test('a throttled read is logged with account, region, operation and code, and retried', async () => {
  cloudTrail.on(GetTrailStatusCommand).rejectsOnce(cloudTrailError('ThrottlingException', 'Rate exceeded')).resolves({ ...logging(), $metadata: {} });
  const log = new RecordingLog();
  const answer = await reader(new VirtualTime(), log).trailStatus('us-east-1', ORG);
  assert.is(answer.IsLogging, true);
  assert.equal(log.at('warn').map((entry) => entry.fields), [{ account_id: '210987654321', region: 'us-east-1', operation: 'GetTrailStatus', error_code: 'ThrottlingException', attempt: 1, delay_ms: 125 }]);
});

test.run();
