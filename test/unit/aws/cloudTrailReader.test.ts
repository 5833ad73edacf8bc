import { CloudTrailClient, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CallPacer } from '../../../library/aws/callPacer.ts';
import { CloudTrailReader } from '../../../library/aws/cloudTrailReader.ts';
import { CLOUDTRAIL_RETRY_POLICY } from '../../../library/aws/transientRetry.ts';
import { TEST_CREDENTIALS } from '../../fakes/dynalite.ts';
import { cloudTrailError } from '../../fakes/fakeAws.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';
import { logging } from '../../helpers/trailFixtures.ts';
import { VirtualTime } from '../../helpers/virtualTime.ts';

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

function reader(time: VirtualTime, log = new RecordingLog(), pacer = new CallPacer(10, async () => undefined)): CloudTrailReader {
  const clients = new Map<string, CloudTrailClient>();
  return new CloudTrailReader('210987654321', (region) => {
    const client = clients.get(region) ?? new CloudTrailClient({ region, credentials: TEST_CREDENTIALS });
    clients.set(region, client);
    return client;
  }, { pacer, retryPolicy: CLOUDTRAIL_RETRY_POLICY, sleep: time.sleep, random: () => 0.5, log });
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

test('twenty status reads in one region go through the pacer: ten, then ten more a second later', async () => {
  cloudTrail.on(GetTrailStatusCommand).resolves({ ...logging(), $metadata: {} });
  const releases: Array<() => void> = [];
  const pacer = new CallPacer(10, () => new Promise<void>((resolve) => releases.push(resolve)));
  const paced = reader(new VirtualTime(), new RecordingLog(), pacer);
  const reads = Promise.all(Array.from({ length: 20 }, (_, index) => paced.trailStatus('eu-west-1', `arn:aws:cloudtrail:eu-west-1:210987654321:trail/t${index}`)));
  // Wait until the first ten calls have ended (each then holds its permit for a second).
  while (releases.length < 10) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.is(cloudTrail.commandCalls(GetTrailStatusCommand).length, 10);
  for (const release of releases.splice(0)) release(); // one second passes
  await reads;
  assert.is(cloudTrail.commandCalls(GetTrailStatusCommand).length, 20);
});

test('a throttled read is logged with account, region, operation and code, and retried', async () => {
  cloudTrail.on(GetTrailStatusCommand).rejectsOnce(cloudTrailError('ThrottlingException', 'Rate exceeded')).resolves({ ...logging(), $metadata: {} });
  const log = new RecordingLog();
  const answer = await reader(new VirtualTime(), log).trailStatus('us-east-1', ORG);
  assert.is(answer.IsLogging, true);
  assert.equal(log.at('warn').map((entry) => entry.fields), [{ account_id: '210987654321', region: 'us-east-1', operation: 'GetTrailStatus', error_code: 'ThrottlingException', attempt: 1, delay_ms: 125 }]);
});

test.run();
