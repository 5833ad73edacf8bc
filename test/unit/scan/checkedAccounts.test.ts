/**
 * The checked accounts with and without aws.organization, against AWS
 * Organizations of the loopback wire fake through the real SDK client (the
 * production factory, its STS role included).
 */
import { STSClient } from '@aws-sdk/client-sts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HammerConfig } from '../../../config/hammerConfig.ts';
import { parseMainConfig } from '../../../config/loadConfig.ts';
import { organizationsClientFactory } from '../../../library/aws/organizationsClient.ts';
import { CheckedAccounts, mergeCheckedAccounts, ORGANIZATION_RETRY_MS } from '../../../library/scan/checkedAccounts.ts';
import { startAwsWireFake, type AwsWireFake, type FakeAwsState } from '../../fakes/awsWireFake.ts';
import { sampleConfigJson } from '../../helpers/configFolder.ts';
import { fakeOrganization, memberAccountId, ROOT_ID } from '../../helpers/organizationFixtures.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';

const test = suite('checkedAccounts');

const MASTER = '123456789012';
const MANAGEMENT = '111111111111';
const OUTSIDE = '555555555555';
const READER = 'hammer-organization-reader';
const OU_PROD = 'ou-a1b2-prod0001';
const OU_PROD_EU = 'ou-a1b2-prodeu01';
const OU_SANDBOX = 'ou-a1b2-sandbox1';
const BASE_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

function worldState(): FakeAwsState {
  return {
    callerAccountId: MASTER,
    organization: fakeOrganization({
      managementAccountId: MANAGEMENT,
      members: 45,
      suspended: [7],
      extra: [{ id: MASTER, name: 'security-tooling', parentId: OU_PROD }],
      organizationalUnits: {
        [OU_PROD]: { parentId: ROOT_ID, name: 'prod' },
        [OU_PROD_EU]: { parentId: OU_PROD, name: 'prod-eu' },
        [OU_SANDBOX]: { parentId: ROOT_ID, name: 'sandbox' },
      },
      memberParents: [OU_PROD, OU_PROD_EU, OU_SANDBOX],
    }),
    accounts: {
      [MASTER]: { regions: ['eu-west-1'] },
      [MANAGEMENT]: { regions: ['eu-west-1'], roles: [READER] },
    },
  };
}

function configWith(aws: Record<string, unknown>, cloudtrails: Record<string, unknown> = {}): Pick<HammerConfig, 'aws' | 'cloudtrails'> {
  const raw = sampleConfigJson();
  raw.aws = { ...(raw.aws as object), main_account_id: MASTER, ...aws };
  raw.cloudtrails = { ...(raw.cloudtrails as object), ...cloudtrails };
  return parseMainConfig('config.json', raw);
}

const ORGANIZATION = { account_id: MANAGEMENT, role_name: READER };

let fake: AwsWireFake;
let clock: Date;
let log: RecordingLog;
let destroy: Array<{ destroy(): void }> = [];

test.before.each(async () => {
  clock = new Date('2026-11-26T16:15:00.000Z');
  log = new RecordingLog();
  fake = await startAwsWireFake(worldState());
});

test.after.each(async () => {
  for (const client of destroy) client.destroy();
  destroy = [];
  await fake.stop();
});

function checkedAccounts(config: Pick<HammerConfig, 'aws' | 'cloudtrails'>): CheckedAccounts {
  const sts = new STSClient({ endpoint: fake.endpoint, region: 'eu-west-1', credentials: BASE_CREDENTIALS });
  destroy.push(sts);
  const organization = config.aws.organization;
  const factory = organization === undefined
    ? () => {
      throw new Error('Organizations must not be asked without aws.organization');
    }
    : organizationsClientFactory(organization, { region: 'eu-west-1', clock: () => clock, sts, clientConfig: { endpoint: fake.endpoint, credentials: BASE_CREDENTIALS, maxAttempts: 1 } });
  return new CheckedAccounts({
    config,
    organizations: () => {
      const client = factory();
      destroy.push(client);
      return client;
    },
    clock: () => clock,
    log,
  });
}

test('without aws.organization the checked accounts are config.json\'s, and Organizations is never asked', async () => {
  const config = configWith({}, { ignore_accounts: ['654321210987'] });
  const source = checkedAccounts(config);
  const list = await source.current();
  assert.equal(list, { accounts: { '123456789012': 'master', '210987654321': 'slave1' }, source: 'config' });
  assert.is(list.accounts, config.cloudtrails.accounts, 'the very list of the config, untouched');
  assert.equal(await source.lookup('654321210987'), { checked: false, name: '' });
  assert.is(fake.calls.length, 0);
  assert.is(log.entries.length, 0);
});

test('the organisation\'s ACTIVE accounts are checked under their names, merged with aws.accounts, minus ignored and suspended', async () => {
  const config = configWith(
    { organization: ORGANIZATION, accounts: { [MASTER]: 'master', [memberAccountId(3)]: 'payments-prod', [OUTSIDE]: 'outside-the-org', [memberAccountId(7)]: 'closed-last-year' } },
    { ignore_accounts: [memberAccountId(4)] },
  );
  const list = await checkedAccounts(config).current();
  assert.is(list.source, 'organization');
  const ids = Object.keys(list.accounts);
  assert.is(ids.length, 47 - 1 - 1 + 1, 'management + 45 members + master, minus the suspended and the ignored one, plus the account outside');
  assert.is(list.accounts[MANAGEMENT], 'management');
  assert.is(list.accounts[memberAccountId(1)], 'member-0001', 'the organisation\'s name');
  assert.is(list.accounts[memberAccountId(3)], 'payments-prod', 'an explicit aws.accounts entry wins for the name');
  assert.is(list.accounts[MASTER], 'master');
  assert.is(list.accounts[OUTSIDE], 'outside-the-org', 'an account outside the organisation stays checked');
  assert.not.ok(memberAccountId(7) in list.accounts, 'suspended, even though aws.accounts lists it');
  assert.not.ok(memberAccountId(4) in list.accounts, 'ignore_accounts');

  assert.equal(fake.callsTo('sts', 'AssumeRole').map((call) => [call.params.RoleArn, call.params.RoleSessionName]), [[`arn:aws:iam::${MANAGEMENT}:role/${READER}`, 'hammer-cloudtrails-organization']]);
  const pages = fake.callsTo('organizations', 'ListAccounts');
  assert.is(pages.length, 3, '47 accounts in pages of 20');
  assert.ok(pages.every((call) => call.accountId === MANAGEMENT), 'asked with the role\'s credentials in the management account');
  const info = log.at('info').find((entry) => entry.message === 'read the accounts of the organisation');
  assert.equal(info?.fields, { operation: 'ListAccounts', organization_accounts: 47, checked_accounts: 46, not_active: [`${memberAccountId(7)} (SUSPENDED)`] });
});

test('cloudtrails.accounts still narrows the list, names coming from the organisation', async () => {
  const config = configWith({ organization: ORGANIZATION }, { accounts: [memberAccountId(1), memberAccountId(2), memberAccountId(7), OUTSIDE] });
  const list = await checkedAccounts(config).current();
  assert.equal(list.accounts, { [memberAccountId(1)]: 'member-0001', [memberAccountId(2)]: 'member-0002', [OUTSIDE]: '' });
});

test('parent_ids checks the accounts under those OUs, nested OUs included, and no others', async () => {
  const config = configWith({ organization: { ...ORGANIZATION, parent_ids: [OU_PROD] }, accounts: { [MASTER]: 'master' } });
  const list = await checkedAccounts(config).current();
  const members = Object.keys(list.accounts).filter((id) => id.startsWith('4000'));
  // Members 1, 4, 7, ... are in prod, 2, 5, 8, ... in prod-eu (under prod), 3, 6, 9, ... in the sandbox.
  const expected = Array.from({ length: 45 }, (_, offset) => offset + 1).filter((index) => index % 3 !== 0 && index !== 7).map(memberAccountId).sort();
  assert.equal(members.sort(), expected);
  assert.is(list.accounts[MASTER], 'master', 'in prod, and listed in aws.accounts');
  assert.not.ok(MANAGEMENT in list.accounts, 'the management account sits in the root, outside prod');
  assert.equal(fake.callsTo('organizations').map((call) => `${call.operation} ${String(call.params.ParentId)}`), [
    `ListAccountsForParent ${OU_PROD}`,
    `ListOrganizationalUnitsForParent ${OU_PROD}`,
    `ListAccountsForParent ${OU_PROD_EU}`,
    `ListOrganizationalUnitsForParent ${OU_PROD_EU}`,
  ]);
});

test('the list is read once and kept for cache_minutes; a new account joins at the next read without a config change', async () => {
  const source = checkedAccounts(configWith({ organization: { ...ORGANIZATION, cache_minutes: 5 } }));
  const [a, b] = await Promise.all([source.current(), source.current()]);
  assert.is(a, b, 'concurrent callers share one read');
  assert.is(fake.callsTo('organizations').length, 3);
  fake.state.organization?.accounts.push({ id: '777777777777', name: 'created-today' });
  clock = new Date(clock.getTime() + 4 * 60_000);
  assert.not.ok('777777777777' in (await source.current()).accounts, 'still the cached list');
  assert.is(fake.callsTo('organizations').length, 3);
  clock = new Date(clock.getTime() + 60_000);
  assert.is((await source.current()).accounts['777777777777'], 'created-today');
  assert.is(fake.callsTo('organizations').length, 6);
});

test('an account missing from a list older than a minute is looked up again before being turned away', async () => {
  const source = checkedAccounts(configWith({ organization: ORGANIZATION }));
  await source.current();
  fake.state.organization?.accounts.push({ id: '777777777777', name: 'created-today' });
  assert.equal(await source.lookup('777777777777'), { checked: false, name: '' }, 'a fresh list is not re-read');
  assert.is(fake.callsTo('organizations').length, 3);
  clock = new Date(clock.getTime() + ORGANIZATION_RETRY_MS);
  assert.equal(await source.lookup('777777777777'), { checked: true, name: 'created-today' });
  assert.equal(await source.lookup('888888888888'), { checked: false, name: '' });
  assert.is(fake.callsTo('organizations').length, 6, 'and only once a minute');
});

test('Organizations denied: one error naming the operation and code, config.json\'s accounts checked, retried after a minute', async () => {
  fake.inject({ service: 'organizations', operation: 'ListAccounts', code: 'AccessDeniedException', message: 'You don\'t have permissions to access this resource.', times: 1 });
  const config = configWith({ organization: ORGANIZATION });
  const source = checkedAccounts(config);
  const list = await source.current();
  assert.equal(list, { accounts: config.cloudtrails.accounts, source: 'fallback' });
  await source.current();
  assert.is(log.at('error').length, 1, 'one error, not one per caller');
  assert.equal(log.at('error')[0]?.fields, {
    operation: 'ListAccounts',
    error_code: 'AccessDeniedException',
    error_message: 'You don\'t have permissions to access this resource.',
    http_status: 400,
    organization_account_id: MANAGEMENT,
    role_name: READER,
    accounts: 3,
  });
  assert.match(log.at('error')[0]?.message ?? '', /cannot read the accounts of the organisation \(aws\.organization\); checking the accounts of config\.json instead/);
  clock = new Date(clock.getTime() + ORGANIZATION_RETRY_MS);
  assert.is((await source.current()).source, 'organization');
});

test('an account outside any organisation falls back with AWSOrganizationsNotInUseException', async () => {
  delete fake.state.organization;
  const list = await checkedAccounts(configWith({ organization: ORGANIZATION })).current();
  assert.is(list.source, 'fallback');
  assert.is(log.at('error')[0]?.fields.error_code, 'AWSOrganizationsNotInUseException');
});

test('a role of aws.organization that cannot be assumed is named with STS\'s code', async () => {
  const list = await checkedAccounts(configWith({ organization: { account_id: MANAGEMENT, role_name: 'missing-role' } })).current();
  assert.is(list.source, 'fallback');
  assert.equal([log.at('error')[0]?.fields.operation, log.at('error')[0]?.fields.error_code], ['AssumeRole', 'AccessDenied']);
  assert.is(fake.callsTo('organizations').length, 0);
});

test('without role_name the Lambda\'s own credentials ask (it runs in the management account or a delegated administrator)', async () => {
  fake.state.organization = { ...(fake.state.organization as NonNullable<FakeAwsState['organization']>), delegatedAdministrators: [MASTER] };
  const list = await checkedAccounts(configWith({ organization: {} })).current();
  assert.is(list.source, 'organization');
  assert.is(fake.callsTo('sts').length, 0);
  assert.ok(fake.callsTo('organizations').every((call) => call.accountId === MASTER));
});

test('mergeCheckedAccounts leaves out accounts in a state other than ACTIVE, and reports them', () => {
  const merged = mergeCheckedAccounts(
    [
      { id: '111111111111', name: 'a', state: 'ACTIVE' },
      { id: '222222222222', name: 'b', state: 'PENDING_CLOSURE' },
      { id: '333333333333', name: 'c', state: 'CLOSED' },
      { id: 'not-an-id', name: 'x', state: 'ACTIVE' },
    ],
    { '222222222222': 'b-explicit', '444444444444': 'd' },
    { listed: [], ignored: [] },
  );
  assert.equal(merged, { accounts: { '111111111111': 'a', '444444444444': 'd' }, inactive: ['222222222222 (PENDING_CLOSURE)'] });
});

test('aws.organization is validated with the file and key named', () => {
  const bad = (organization: unknown): string => {
    try {
      configWith({ organization });
    } catch (err: unknown) {
      return (err as Error).message;
    }
    return 'no error';
  };
  assert.match(bad({ account_id: '12345' }), /config\.json: aws\.organization\.account_id: expected the 12-digit id/);
  assert.match(bad({ parent_ids: ['ou-bad'] }), /aws\.organization\.parent_ids\[0\]: expected a root id/);
  assert.match(bad({ cache_minutes: 90 }), /aws\.organization\.cache_minutes: expected a number from 1 to 60/);
  assert.match(bad({ role_name: 'has space' }), /aws\.organization\.role_name: expected an IAM role name/);
  assert.equal(configWith({ organization: {} }).aws.organization, { accountId: MASTER, roleName: undefined, parentIds: [], cacheMinutes: 10 });
});

test.run();
