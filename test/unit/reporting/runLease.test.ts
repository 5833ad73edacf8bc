/**
 * The reporting run lease (reporting/runLease.ts) against dynalite: one run at
 * a time without reserved concurrency, invisible to every reader of the
 * issues table (Hammer's Python modules query it per account id, as this
 * module does). The last test runs the built zip's handler with RUN_LEASE set,
 * as Terraform sets it when reporting_reserved_concurrency is null.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { IssueStore } from '../../../library/issues/issueStore.ts';
import { LEASE_MARGIN_MS, RUN_LEASE_KEY, oneRunAtATime, takeRunLease, withRunLease, type RunLeaseDeps } from '../../../reporting/runLease.ts';
import { startDynalite, TEST_CREDENTIALS, type LocalDynamo } from '../../fakes/dynalite.ts';
import { buildAndUnpack, invokeBuiltHandler, writeLambdaRunner } from '../../helpers/builtLambdas.ts';
import { sampleConfigJson, writeConfigFolder } from '../../helpers/configFolder.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';
import { disabledIssue, putIssue, SLAVE1 } from '../../helpers/reportingFixtures.ts';

const test = suite('runLease');
const TABLE = 'hammer-cloudtrails';
const START = Date.parse('2026-11-26T15:55:00.000Z');
const FIFTEEN_MINUTES = 900_000;

let dynamo: LocalDynamo;
let now: number;
let log: RecordingLog;
let deps: RunLeaseDeps;

test.before(async () => {
  dynamo = await startDynalite();
  await dynamo.createIssuesTable(TABLE);
});

test.after(async () => {
  await dynamo.stop();
});

test.before.each(async () => {
  now = START;
  log = new RecordingLog();
  deps = { doc: dynamo.doc, tableName: TABLE, clock: () => new Date(now), log };
  await dynamo.doc.send(new PutCommand({ TableName: TABLE, Item: { ...RUN_LEASE_KEY, holder: 'nobody', expires_at: 0, taken_at: '2026-01-01T00:00:00.000Z' } }));
});

async function storedLease(): Promise<Record<string, unknown> | undefined> {
  return (await dynamo.doc.send(new GetCommand({ TableName: TABLE, Key: RUN_LEASE_KEY, ConsistentRead: true }))).Item;
}

test('a run takes the lease until the end of its invocation plus the margin, and releases it when done', async () => {
  let seenWhileRunning: Record<string, unknown> | undefined;
  const result = await withRunLease(deps, 'req-1', FIFTEEN_MINUTES, async () => {
    seenWhileRunning = await storedLease();
    return 'summary';
  });

  assert.is(result, 'summary');
  assert.equal([seenWhileRunning?.holder, seenWhileRunning?.expires_at], ['req-1', START + FIFTEEN_MINUTES + LEASE_MARGIN_MS]);
  assert.equal([(await storedLease())?.holder, (await storedLease())?.expires_at], ['req-1', 0]);
});

test('a second run while the first holds the lease does nothing and says who holds it until when', async () => {
  const first = await takeRunLease(deps, 'req-1', FIFTEEN_MINUTES);
  assert.ok('release' in first);
  now += 60_000;
  let ran = false;

  const second = await withRunLease(deps, 'req-2', FIFTEEN_MINUTES, async () => {
    ran = true;
    return 'summary';
  });

  assert.is(ran, false);
  assert.equal(second, {
    skipped: 'another reporting run holds the run lease',
    holder: 'req-1',
    expires_at: new Date(START + FIFTEEN_MINUTES + LEASE_MARGIN_MS).toISOString(),
  });
  assert.equal(log.at('warn').map((entry) => [entry.message, entry.fields.lease_holder]), [['another reporting run holds the run lease; this run does nothing', 'req-1']]);
  assert.is((await storedLease())?.holder, 'req-1');
});

test('a lease left by a run that was killed expires, and the next run takes it over', async () => {
  await takeRunLease(deps, 'req-killed', FIFTEEN_MINUTES);
  now += FIFTEEN_MINUTES + LEASE_MARGIN_MS + 1;

  const next = await takeRunLease(deps, 'req-next', FIFTEEN_MINUTES);

  assert.ok('release' in next);
  assert.is((await storedLease())?.holder, 'req-next');
});

test('a run that lost its expired lease to another does not release the other run\'s lease', async () => {
  const slow = await takeRunLease(deps, 'req-slow', FIFTEEN_MINUTES);
  now += FIFTEEN_MINUTES + LEASE_MARGIN_MS + 1;
  await takeRunLease(deps, 'req-new', FIFTEEN_MINUTES);

  if (!('release' in slow)) throw new Error('the first run should hold the lease');
  await slow.release();

  const stored = await storedLease();
  assert.equal([stored?.holder, stored?.expires_at], ['req-new', now + FIFTEEN_MINUTES + LEASE_MARGIN_MS]);
  assert.equal(log.at('warn').map((entry) => [entry.message, entry.fields.error_code]), [['run lease not released; it expires by itself', 'ConditionalCheckFailedException']]);
});

test('a run that fails releases the lease and fails', async () => {
  try {
    await withRunLease(deps, 'req-1', FIFTEEN_MINUTES, async () => {
      throw new Error('JIRA unreachable');
    });
    assert.unreachable('the run error must reach the handler');
  } catch (err: unknown) {
    assert.is((err as Error).message, 'JIRA unreachable');
  }
  assert.is((await storedLease())?.expires_at, 0);
});

test('the lease item is invisible to readers that query the issues table per account id', async () => {
  await putIssue(dynamo.doc, TABLE, disabledIssue('2026-11-26T14:15:03.250000+00:00'));
  await takeRunLease(deps, 'req-1', FIFTEEN_MINUTES);

  // Hammer's Python readers: Query with KeyConditionExpression account_id = <id> for each configured account.
  const accounts = Object.keys((sampleConfigJson().aws as { accounts: Record<string, string> }).accounts);
  const pythonView = [];
  for (const account of accounts) {
    const page = await dynamo.doc.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'account_id = :id', ExpressionAttributeValues: { ':id': account } }));
    pythonView.push(...(page.Items ?? []));
  }
  const store = new IssueStore(dynamo.doc, TABLE, () => new Date(now), new RecordingLog());
  const ourView = (await Promise.all(accounts.map((account) => store.listAccountIssues(account)))).flat();

  assert.equal(pythonView.map((item) => `${String(item.account_id)}/${String(item.issue_id)}`), [`${SLAVE1}/eu-west-1`]);
  assert.equal(ourView.map((item) => `${item.account_id}/${item.issue_id}`), [`${SLAVE1}/eu-west-1`]);
});

test('without RUN_LEASE (reserved concurrency 1) the run goes ahead without touching the table', async () => {
  await takeRunLease(deps, 'req-other', FIFTEEN_MINUTES);

  const result = await oneRunAtATime({}, { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 }, deps, async () => 'summary');

  assert.is(result, 'summary');
  assert.is((await storedLease())?.holder, 'req-other');
});

test('with RUN_LEASE the hook holds the lease for the invocation\'s remaining time', async () => {
  let held: Record<string, unknown> | undefined;
  const result = await oneRunAtATime({ RUN_LEASE: 'issues-table' }, { awsRequestId: 'req-7', getRemainingTimeInMillis: () => 120_000 }, deps, async () => {
    held = await storedLease();
    return 'summary';
  });

  assert.is(result, 'summary');
  assert.equal([held?.holder, held?.expires_at], ['req-7', START + 120_000 + LEASE_MARGIN_MS]);
});

test('the built reporting zip with RUN_LEASE does nothing while another run holds the lease, and runs once it is free', async () => {
  const work = mkdtempSync(join(tmpdir(), 'hammer-run-lease-'));
  const config = writeConfigFolder({ 'config.json': { ...sampleConfigJson(), cloudtrails: { ...(sampleConfigJson().cloudtrails as object), reporting: true } } });
  try {
    const built = await buildAndUnpack({ names: ['create_cloudtrail_tickets'], configDir: config.dir, work });
    const runner = writeLambdaRunner(work);
    const lambda = built.create_cloudtrail_tickets;
    if (lambda === undefined) throw new Error('the reporting zip was not built');
    const invoke = (requestId: string) => invokeBuiltHandler({
      runner,
      lambda,
      event: { source: 'aws.events', 'detail-type': 'Scheduled Event' },
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:hammer-reporting-cloudtrails',
      requestId,
      timeoutMs: FIFTEEN_MINUTES,
      env: {
        RUN_LEASE: 'issues-table',
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      },
    });
    const realNow = { ...deps, clock: () => new Date() };
    const other = await takeRunLease(realNow, 'req-running', FIFTEEN_MINUTES);

    const skipped = await invoke('req-second');

    assert.is(skipped.outcome?.ok, true, skipped.stderr);
    assert.equal((skipped.outcome?.result as { skipped?: string; holder?: string }).holder, 'req-running');
    assert.ok(skipped.logs.some((line) => line.message === 'another reporting run holds the run lease; this run does nothing'));
    assert.not.ok(skipped.logs.some((line) => line.message === 'reporting run finished'));

    if (!('release' in other)) throw new Error('the first run should hold the lease');
    await other.release();
    const ran = await invoke('req-third');

    assert.is(ran.outcome?.ok, true, ran.stderr);
    assert.is((ran.outcome?.result as { reporting?: boolean }).reporting, true);
    assert.equal([(await storedLease())?.holder, (await storedLease())?.expires_at], ['req-third', 0]);
  } finally {
    config.remove();
    rmSync(work, { recursive: true, force: true });
  }
});

test.run();
