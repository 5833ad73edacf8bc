import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_REGIONS, MAIN_REGION, benchAccounts, benchConfigJson, generateWorld, worldRegions } from '../../bench/benchWorld.ts';
import { scanExpectations } from '../../bench/scanExpectations.ts';
import { startAwsWireFake } from '../../fakes/awsWireFake.ts';

const test = suite('benchmark world');

test('a world checking fewer regions than the Lambdas\' region still lets the initiation publish there (--regions 4 crashed)', async () => {
  const world = generateWorld({ accounts: benchAccounts(3), regions: 4, seed: 7 });
  assert.equal(world.regions, DEFAULT_REGIONS.slice(0, 4));
  assert.not.ok(world.regions.includes(MAIN_REGION), 'the checked regions leave out the Lambdas\' own');
  for (const account of Object.values(world.state.accounts)) assert.ok(account.regions.includes(MAIN_REGION));
  const fake = await startAwsWireFake(world.state);
  const sns = new SNSClient({ region: MAIN_REGION, endpoint: fake.endpoint, credentials: { accessKeyId: 'AKIDBENCHWORLDTEST01', secretAccessKey: 'secret' } });
  try {
    await sns.send(new PublishCommand({ TopicArn: world.topicArn, Message: '{}' }));
    assert.is(fake.published(world.topicArn).length, 1);
  } finally {
    sns.destroy();
    await fake.stop();
  }
});

test('any number of regions: the default ones, then the opt-in ones, then made-up ones, never twice', () => {
  assert.equal(worldRegions(1), [DEFAULT_REGIONS[0]]);
  assert.equal(worldRegions(17), DEFAULT_REGIONS);
  const many = worldRegions(40);
  assert.is(many.length, 40);
  assert.is(new Set(many).size, 40);
  assert.ok(many.includes('me-central-1'), 'opt-in regions after the default ones');
  assert.match(many[39] ?? '', /^xx-bench-\d+$/);
  assert.throws(() => worldRegions(0), /regions must be a whole number >= 1/);
});

test('the world is built around any account list, the first account being the Lambdas\' own', () => {
  const accounts = { '222222222222': 'audit', '333333333333': 'prod', '444444444444': 'dev' };
  const world = generateWorld({ accounts, regions: 2, seed: 1 });
  assert.is(world.masterAccountId, '222222222222');
  assert.equal(world.accounts, accounts);
  assert.equal(Object.keys(world.state.accounts), Object.keys(accounts));
  assert.is(world.state.accounts['222222222222']?.roles, undefined, 'the Lambdas\' own account needs no role');
  assert.equal((benchConfigJson(world).aws as { accounts: unknown }).accounts, accounts);
  assert.equal(generateWorld({ accounts, regions: 2, seed: 1 }).state, world.state, 'the same parameters give the same world');
});

test('the scan\'s minimum: a role per account but the Lambdas\' own, a DescribeTrails per account-region, each trail\'s status once', () => {
  const world = generateWorld({ accounts: benchAccounts(3), regions: 3, seed: 7 });
  const expected = scanExpectations(world);
  assert.equal([...expected.keys.AssumeRole].sort(), Object.keys(world.accounts).slice(1).sort());
  assert.is(expected.keys.DescribeTrails.size, 9);
  assert.is(expected.accountRegions, 9);
  const trails = Object.entries(world.state.accounts).flatMap(([id, account]) => (account.trails ?? []).map((trail) => `${id}/${trail.trail.Name}`));
  assert.is(expected.keys.GetTrailStatus.size, trails.length, 'every trail of the world is in a checked region, and is read once');
  const busy = [...expected.keys.GetEventSelectors].filter((key) => key.startsWith(`${Object.keys(world.accounts)[1]}/`));
  assert.is(busy.length, 5, 'the busy account\'s five trails all have custom selectors');
  assert.is(expected.publishBatchCalls, 1);
});

test.run();
