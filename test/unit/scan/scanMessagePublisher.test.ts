import { PublishBatchCommand, SNSClient, SNSServiceException, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ScanMessage } from '../../../library/scan/scanMessage.ts';
import { ScanMessagePublisher } from '../../../library/scan/scanMessagePublisher.ts';
import { TEST_CREDENTIALS } from '../../fakes/dynalite.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';
import { VirtualTime } from '../../helpers/virtualTime.ts';

const test = suite('scanMessagePublisher');
const stubSns = () => mockClient(SNSClient);
let sns: ReturnType<typeof stubSns>;
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:hammer-describe-cloudtrails-lambda';

test.before(() => {
  sns = stubSns();
});

test.after(() => {
  sns.restore();
});

test.before.each(() => {
  sns.reset();
});

function messages(count: number): ScanMessage[] {
  return Array.from({ length: count }, (_, index) => ({ account_id: String(100000000000 + index), account_name: `account${index}`, regions: ['eu-west-1'], sns_arn: TOPIC }));
}

function publisher(log = new RecordingLog(), time = new VirtualTime()): { publisher: ScanMessagePublisher; regions: string[] } {
  const regions: string[] = [];
  return {
    regions,
    publisher: new ScanMessagePublisher((region) => {
      regions.push(region);
      return new SNSClient({ region, credentials: TEST_CREDENTIALS });
    }, { log, sleep: time.sleep, concurrency: 2 }),
  };
}

test('sends 25 messages as batches of 10, 10 and 5 through a client of the topic\'s region', async () => {
  sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => ({
    Successful: input.PublishBatchRequestEntries.map((entry) => ({ Id: entry.Id, MessageId: `id-${entry.Id ?? ''}` })), Failed: [], $metadata: {},
  }));
  const { publisher: sender, regions } = publisher();
  const result = await sender.publish(TOPIC, messages(25), 'eu-west-1');
  assert.equal(result, { published: 25, failed: [] });
  assert.equal(sns.commandCalls(PublishBatchCommand).map((call) => call.args[0].input.PublishBatchRequestEntries?.length), [10, 10, 5]);
  assert.equal(regions, ['us-east-1']);
  const ids = sns.commandCalls(PublishBatchCommand)[2]?.args[0].input.PublishBatchRequestEntries?.map((entry) => entry.Id);
  assert.equal(ids, ['m0', 'm1', 'm2', 'm3', 'm4']);
});

test('entries refused as the sender\'s fault are not retried; others are, once more', async () => {
  let call = 0;
  sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
    call += 1;
    if (call === 1) {
      return {
        Successful: [{ Id: 'm0', MessageId: 'a' }],
        Failed: [{ Id: 'm1', Code: 'InvalidParameter', SenderFault: true, Message: 'bad' }, { Id: 'm2', Code: 'InternalError', SenderFault: false }],
        $metadata: {},
      };
    }
    return { Successful: input.PublishBatchRequestEntries.map((entry) => ({ Id: entry.Id, MessageId: 'b' })), Failed: [], $metadata: {} };
  });
  const log = new RecordingLog();
  const { publisher: sender } = publisher(log);
  const sent = messages(3);
  const result = await sender.publish(TOPIC, sent, 'eu-west-1');
  assert.equal(result, { published: 2, failed: [{ message: sent[1], errorCode: 'InvalidParameter' }] });
  assert.equal(sns.commandCalls(PublishBatchCommand).map((c) => c.args[0].input.PublishBatchRequestEntries?.map((entry) => entry.Id)), [['m0', 'm1', 'm2'], ['m2']]);
  assert.equal(log.at('error').map((entry) => [entry.fields.account_id, entry.fields.error_code]), [['100000000001', 'InvalidParameter']]);
});

test('a whole batch refused after the SDK\'s retries is reported message by message', async () => {
  sns.on(PublishBatchCommand).rejects(new SNSServiceException({ name: 'AuthorizationError', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'not authorized' }));
  const { publisher: sender } = publisher();
  const result = await sender.publish(TOPIC, messages(2), 'eu-west-1');
  assert.is(result.published, 0);
  assert.equal(result.failed.map((failure) => failure.errorCode), ['AuthorizationError', 'AuthorizationError']);
});

test.run();
