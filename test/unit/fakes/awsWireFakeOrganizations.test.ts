import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startAwsWireFake, type AwsWireFake, type FakeAwsState } from '../../fakes/awsWireFake.ts';
import { fakeOrganization, memberAccountId, ROOT_ID } from '../../helpers/organizationFixtures.ts';

const test = suite('awsWireFake: AWS Organizations');

const MANAGEMENT = '111111111111';
const DELEGATED = '222222222222';
const OUTSIDER = '999999999999';
const OU_PROD = 'ou-a1b2-prod0001';
const OU_PROD_EU = 'ou-a1b2-prodeu01';
const ROLE = 'hammer-organization-reader';
const BASE_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

function state(callerAccountId = MANAGEMENT): FakeAwsState {
  const organization = fakeOrganization({
    managementAccountId: MANAGEMENT,
    members: 45,
    suspended: [7],
    delegatedAdministrators: [DELEGATED],
    extra: [{ id: DELEGATED, name: 'security', parentId: OU_PROD }],
    organizationalUnits: { [OU_PROD]: { parentId: ROOT_ID, name: 'prod' }, [OU_PROD_EU]: { parentId: OU_PROD, name: 'prod-eu' } },
    memberParents: [ROOT_ID, OU_PROD, OU_PROD_EU],
  });
  return {
    callerAccountId,
    organization,
    accounts: {
      [MANAGEMENT]: { regions: ['us-east-1'], roles: [ROLE] },
      [DELEGATED]: { regions: ['us-east-1'], roles: [ROLE] },
      [memberAccountId(1)]: { regions: ['us-east-1'], roles: [ROLE] },
      [OUTSIDER]: { regions: ['us-east-1'], roles: [ROLE] },
    },
  };
}

let fake: AwsWireFake;
let clients: Array<{ destroy(): void }> = [];

test.before.each(async () => {
  fake = await startAwsWireFake(state());
});

test.after.each(async () => {
  for (const client of clients) client.destroy();
  clients = [];
  await fake.stop();
});

function organizations(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = BASE_CREDENTIALS, region = 'eu-west-1'): OrganizationsClient {
  const client = new OrganizationsClient({ endpoint: fake.endpoint, region, credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

async function credentialsIn(accountId: string): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }> {
  const sts = new STSClient({ endpoint: fake.endpoint, region: 'eu-west-1', credentials: BASE_CREDENTIALS });
  clients.push(sts);
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${ROLE}`, RoleSessionName: 'test' }));
  return { accessKeyId: out.Credentials?.AccessKeyId ?? '', secretAccessKey: out.Credentials?.SecretAccessKey ?? '', sessionToken: out.Credentials?.SessionToken ?? '' };
}

async function errorOf(call: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (err: unknown) {
    assert.instance(err, Error);
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

test('ListAccounts answers at most 20 accounts a page, and NextToken walks every account once', async () => {
  const client = organizations();
  const first = await client.send(new ListAccountsCommand({}));
  assert.is(first.Accounts?.length, 20);
  assert.type(first.NextToken, 'string');
  const ids: string[] = [];
  for await (const page of paginateListAccounts({ client }, {})) ids.push(...(page.Accounts ?? []).map((account) => account.Id ?? ''));
  assert.is(ids.length, 47, 'management + 45 members + the delegated administrator');
  assert.is(new Set(ids).size, 47);
  const calls = fake.callsTo('organizations', 'ListAccounts');
  assert.is(calls.length, 1 + 3, 'one page alone, then three pages');
  assert.equal(calls.map((call) => call.params.NextToken === undefined), [true, true, false, false]);
});

test('a suspended account is listed with State and Status SUSPENDED, the others ACTIVE, with their names', async () => {
  const accounts = [];
  for await (const page of paginateListAccounts({ client: organizations() }, {})) accounts.push(...(page.Accounts ?? []));
  const suspended = accounts.filter((account) => account.State !== 'ACTIVE');
  assert.equal(suspended.map((account) => [account.Id, account.Name, account.State, account.Status]), [[memberAccountId(7), 'member-0007', 'SUSPENDED', 'SUSPENDED']]);
  const first = accounts.find((account) => account.Id === memberAccountId(1));
  assert.is(first?.Name, 'member-0001');
  assert.is(first?.Arn, `arn:aws:organizations::${MANAGEMENT}:account/o-a1b2c3d4e5/${memberAccountId(1)}`);
  assert.instance(first?.JoinedTimestamp, Date);
});

test('MaxResults over 20 and a NextToken of another listing are refused with InvalidInputException', async () => {
  const client = organizations();
  assert.is((await errorOf(client.send(new ListAccountsCommand({ MaxResults: 21 })))).name, 'InvalidInputException');
  const page = await client.send(new ListAccountsForParentCommand({ ParentId: ROOT_ID, MaxResults: 2 }));
  assert.type(page.NextToken, 'string');
  assert.is((await errorOf(client.send(new ListAccountsCommand({ NextToken: page.NextToken })))).name, 'InvalidInputException');
});

test('a member that is not a delegated administrator is denied; a delegated administrator may list', async () => {
  const member = await errorOf(organizations(await credentialsIn(memberAccountId(1))).send(new ListAccountsCommand({})));
  assert.is(member.name, 'AccessDeniedException');
  assert.is(member.$metadata?.httpStatusCode, 400);
  const delegated = await organizations(await credentialsIn(DELEGATED)).send(new ListAccountsCommand({}));
  assert.is(delegated.Accounts?.length, 20);
});

test('an account outside any organisation gets AWSOrganizationsNotInUseException', async () => {
  const err = await errorOf(organizations(await credentialsIn(OUTSIDER)).send(new ListAccountsCommand({})));
  assert.is(err.name, 'AWSOrganizationsNotInUseException');
  assert.match(err.message, /not a member of an organization/);
});

test('ListAccountsForParent lists only the direct children; ListOrganizationalUnitsForParent the OUs under a parent', async () => {
  const client = organizations();
  const inProd = await client.send(new ListAccountsForParentCommand({ ParentId: OU_PROD }));
  assert.equal((inProd.Accounts ?? []).map((account) => account.Id).slice(0, 3), [memberAccountId(2), memberAccountId(5), memberAccountId(8)]);
  assert.is(inProd.NextToken, undefined, '15 members + the delegated administrator fit one page of 20');
  assert.is(inProd.Accounts?.length, 16);
  const units = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: OU_PROD }));
  assert.equal(units.OrganizationalUnits?.map((unit) => [unit.Id, unit.Name]), [[OU_PROD_EU, 'prod-eu']]);
  assert.equal((await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: OU_PROD_EU }))).OrganizationalUnits, []);
  assert.is((await errorOf(client.send(new ListAccountsForParentCommand({ ParentId: 'ou-a1b2-missing1' })))).name, 'ParentNotFoundException');
});

test('an injected error answers as Organizations does, once', async () => {
  fake.inject({ service: 'organizations', operation: 'ListAccounts', code: 'TooManyRequestsException', times: 1 });
  const client = organizations();
  assert.is((await errorOf(client.send(new ListAccountsCommand({})))).name, 'TooManyRequestsException');
  assert.is((await client.send(new ListAccountsCommand({}))).Accounts?.length, 20);
});

test.run();
