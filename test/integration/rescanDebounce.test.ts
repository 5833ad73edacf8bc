/**
 * The debounce table against DynamoDB's own conditional writes (dynalite):
 * one rescan per account-region for the calls made before it, a new one for
 * a call made after it, exactly one winner among concurrent claims.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { COVERAGE_MARGIN_MS, RescanDebounce } from '../../library/realtime/rescanDebounce.ts';
import { hashKeyTableInput, startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';

const test = suite('rescanDebounce');
const TABLE = 'debounce-test';
const ACCOUNT = '210987654321';

let dynamo: LocalDynamo;
let now: number;
let debounce: RescanDebounce;

test.before(async () => {
  dynamo = await startDynalite();
  await dynamo.createTable(hashKeyTableInput(TABLE, 'id'));
});

test.after(async () => {
  await dynamo?.stop();
});

let region = 0;
function freshRegion(): string {
  region += 1;
  return `eu-test-${region}`;
}

test.before.each(() => {
  now = Date.parse('2026-11-26T16:02:30.000Z');
  debounce = new RescanDebounce(dynamo.doc, TABLE, () => new Date(now));
});

test('the first call of an account-region claims the rescan, and the item says when it was asked', async () => {
  const at = freshRegion();
  assert.equal(await debounce.claimRescan(ACCOUNT, at, new Date('2026-11-26T16:02:11Z')), { claimed: true, startedAt: now });
  const item = (await dynamo.doc.send(new GetCommand({ TableName: TABLE, Key: { id: `scan/${ACCOUNT}/${at}` } }))).Item;
  assert.equal(item, { id: `scan/${ACCOUNT}/${at}`, scan_started: now, account_id: ACCOUNT, region: at, expires_at: Math.floor(now / 1000) + 86_400 });
});

test('calls made before the rescan was asked are covered by it: ten calls, one rescan', async () => {
  const at = freshRegion();
  const claims = [];
  for (let second = 0; second < 10; second += 1) {
    claims.push(await debounce.claimRescan(ACCOUNT, at, new Date(Date.parse('2026-11-26T16:02:11Z') + second * 1000)));
    now += 50;
  }
  assert.equal(claims.map((claim) => claim.claimed), [true, false, false, false, false, false, false, false, false, false]);
});

test('a call made after the rescan was asked (less the margin) gets a rescan of its own', async () => {
  const at = freshRegion();
  assert.ok((await debounce.claimRescan(ACCOUNT, at, new Date(now - 15_000))).claimed);
  const askedAt = now;
  now += 20_000;
  assert.not.ok((await debounce.claimRescan(ACCOUNT, at, new Date(askedAt - COVERAGE_MARGIN_MS))).claimed, 'made a margin before: covered');
  assert.ok((await debounce.claimRescan(ACCOUNT, at, new Date(askedAt - COVERAGE_MARGIN_MS + 1000))).claimed, 'within the margin: rescanned, whatever the clocks say');
});

test('of concurrent claims for one account-region exactly one wins; other regions are independent', async () => {
  const [a, b] = [freshRegion(), freshRegion()];
  const calledAt = new Date(now - 15_000);
  const results = await Promise.all([...Array.from({ length: 8 }, () => debounce.claimRescan(ACCOUNT, a, calledAt)), debounce.claimRescan(ACCOUNT, b, calledAt)]);
  assert.is(results.slice(0, 8).filter((claim) => claim.claimed).length, 1);
  assert.ok(results[8]?.claimed);
});

test('a released claim lets the same call claim again; a release after a newer claim changes nothing', async () => {
  const at = freshRegion();
  const calledAt = new Date(now - 15_000);
  const first = await debounce.claimRescan(ACCOUNT, at, calledAt);
  assert.ok(first.claimed);
  if (first.claimed) await debounce.releaseRescan(ACCOUNT, at, first.startedAt);
  now += 1000;
  const second = await debounce.claimRescan(ACCOUNT, at, calledAt);
  assert.ok(second.claimed);
  if (first.claimed) await debounce.releaseRescan(ACCOUNT, at, first.startedAt);
  assert.not.ok((await debounce.claimRescan(ACCOUNT, at, calledAt)).claimed, 'the second claim still stands');
});

test('an alert is recorded once per event id', async () => {
  assert.is(await debounce.recordFirstAlert('7116c6a1-0000-4000-8000-00000000aaaa'), true);
  assert.is(await debounce.recordFirstAlert('7116c6a1-0000-4000-8000-00000000aaaa'), false);
  assert.is(await debounce.recordFirstAlert('7116c6a1-0000-4000-8000-00000000bbbb'), true);
});

test.run();
