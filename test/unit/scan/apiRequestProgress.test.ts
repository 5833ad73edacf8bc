import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ApiRequestProgress } from '../../../library/scan/apiRequestProgress.ts';
import { startDynalite, type LocalDynamo } from '../../fakes/dynalite.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';
import { VirtualTime } from '../../helpers/virtualTime.ts';

const test = suite('apiRequestProgress');
const TABLE = 'hammer-api-requests';
let dynamo: LocalDynamo;

test.before(async () => {
  dynamo = await startDynalite();
  await dynamo.createApiRequestsTable(TABLE);
});

test.after(async () => {
  await dynamo.stop();
});

test('adds to progress and sets updated to epoch seconds, as Hammer\'s track_progress', async () => {
  await dynamo.doc.send(new PutCommand({ TableName: TABLE, Item: { request_id: 'r1', request_params: { account_id: '210987654321' }, progress: 2, total: 17, updated: 1_700_000_000 } }));
  const time = new VirtualTime(Date.UTC(2026, 10, 26, 15, 56, 20, 999));
  const progress = new ApiRequestProgress(dynamo.doc, TABLE, time.date, new RecordingLog());
  assert.is(await progress.add('r1', 1), true);
  assert.is(await progress.add('r1', 3), true);
  const item = await dynamo.doc.send(new GetCommand({ TableName: TABLE, Key: { request_id: 'r1' } }));
  assert.equal(item.Item, { request_id: 'r1', request_params: { account_id: '210987654321' }, progress: 6, total: 17, updated: Math.floor(time.nowMs / 1000) });
});

test('an unknown request id creates nothing and is logged as a warning', async () => {
  const log = new RecordingLog();
  const progress = new ApiRequestProgress(dynamo.doc, TABLE, new VirtualTime().date, log);
  assert.is(await progress.add('missing', 1, { account_id: '210987654321', region: 'eu-west-1' }), false);
  const item = await dynamo.doc.send(new GetCommand({ TableName: TABLE, Key: { request_id: 'missing' } }));
  assert.is(item.Item, undefined);
  assert.equal(log.at('warn').map((entry) => entry.fields), [{ account_id: '210987654321', region: 'eu-west-1', request_id: 'missing', table: TABLE, operation: 'UpdateItem', error_code: 'ConditionalCheckFailedException' }]);
});

test('a table that does not exist is logged as an error, without throwing', async () => {
  const log = new RecordingLog();
  const progress = new ApiRequestProgress(dynamo.doc, 'no-such-table', new VirtualTime().date, log);
  assert.is(await progress.add('r1', 1), false);
  assert.equal([log.at('error')[0]?.fields.operation, log.at('error')[0]?.fields.error_code], ['UpdateItem', 'ResourceNotFoundException']);
});

test.run();
