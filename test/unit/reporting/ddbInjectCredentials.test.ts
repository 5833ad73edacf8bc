import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { maskCredentials, planCredentials, runCredentialsCommand } from '../../../reporting/ddb_inject_credentials.ts';
import { sampleConfigJson, writeConfigFolder } from '../../helpers/configFolder.ts';
import { startDynalite, type LocalDynamo } from '../../fakes/dynalite.ts';

const test = suite('ddb_inject_credentials');

const PEM = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
const SLACK = 'xoxb-000111222-secret-slack-token';
const ACCESS_SECRET = 'oauth-access-secret-value-123';

let dynamo: LocalDynamo;
let dir: string;
let keyFile: string;
let tableCounter = 0;
let table: string;

test.before(async () => {
  dynamo = await startDynalite();
  dir = mkdtempSync(join(tmpdir(), 'hammer-credentials-'));
  keyFile = join(dir, 'jira_privatekey.pem');
  writeFileSync(keyFile, PEM);
});

test.after(async () => {
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
});

test.before.each(async () => {
  tableCounter += 1;
  table = `hammer-credentials-${tableCounter}`;
  await dynamo.createCredentialsTable(table);
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCredentialsCommand(argv, { doc: dynamo.doc, env: {}, print: (line) => out.push(line), printError: (line) => err.push(line), generateToken: () => 'generated-token-0123456789abcdef' });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function stored(service: string): Promise<unknown> {
  return (await dynamo.doc.send(new GetCommand({ TableName: table, Key: { service } }))).Item;
}

test('writes the Slack token and JIRA OAuth items as Hammer does, printing them masked', async () => {
  const result = await run([
    '--table', table,
    '--slack-api-token', SLACK,
    '--jira-key-cert-file', keyFile,
    '--jira-consumer-key', 'hammer-consumer',
    '--jira-access-token', 'oauth-access-token-value',
    '--jira-access-token-secret', ACCESS_SECRET,
  ]);
  assert.is(result.code, 0, result.err);
  assert.equal(await stored('slack'), { service: 'slack', credentials: { api_token: SLACK } });
  assert.equal(await stored('jira'), {
    service: 'jira',
    credentials: { oauth: { consumer_key: 'hammer-consumer', key_cert: PEM, access_token: 'oauth-access-token-value', access_token_secret: ACCESS_SECRET } },
  });
  assert.match(result.out, "stored 'slack' credentials");
  assert.match(result.out, '"api_token": "********oken"');
  assert.match(result.out, '"consumer_key": "hammer-consumer"');
  assert.match(result.out, `"key_cert": "<private key, ${PEM.length} characters>"`);
  assert.not.match(result.out, SLACK);
  assert.not.match(result.out, ACCESS_SECRET);
  assert.not.match(result.out, 'PRIVATE KEY');
});

test('writes basic and bearer JIRA credentials', async () => {
  assert.is((await run(['--table', table, '--jira-username', 'bot@example.com', '--jira-password', 'atlassian-api-token-xyz'])).code, 0);
  assert.equal(await stored('jira'), { service: 'jira', credentials: { basic: { username: 'bot@example.com', password: 'atlassian-api-token-xyz' } } });
  const bearer = await run(['--table', table, '--jira-token', 'personal-access-token-abcdef']);
  assert.is(bearer.code, 0);
  assert.equal(await stored('jira'), { service: 'jira', credentials: { token: 'personal-access-token-abcdef' } });
  assert.not.match(bearer.out, 'personal-access-token-abcdef');
});

test('generates the Hammer API token when the option has no value', async () => {
  const result = await run(['--table', table, '--hammer-api-token', '--hammer-api-url', 'https://api.example.com']);
  assert.is(result.code, 0, result.err);
  assert.equal(await stored('api'), { service: 'api', credentials: { token: 'generated-token-0123456789abcdef', url: 'https://api.example.com' } });
  assert.match(result.out, 'token generated');
  assert.not.match(result.out, 'generated-token-0123456789abcdef');
});

test('a real generated token is 64 hex characters from a crypto source', () => {
  const first = planCredentials(['--table', 't-1', '--hammer-api-token']);
  const second = planCredentials(['--table', 't-1', '--hammer-api-token']);
  const token = first.items[0]?.credentials.token as string;
  assert.match(token, /^[0-9a-f]{64}$/);
  assert.is.not(token, second.items[0]?.credentials.token);
});

test('takes the table name from the config folder when --table is not given', () => {
  const config = sampleConfigJson();
  config.credentials = { 'ddb.table_name': 'prod-hammer-credentials' };
  const folder = writeConfigFolder({ 'config.json': config });
  try {
    const plan = planCredentials(['--config', folder.dir, '--slack-api-token', SLACK], { AWS_REGION: 'us-east-1' });
    assert.is(plan.table, 'prod-hammer-credentials');
    assert.is(plan.region, 'us-east-1');
  } finally {
    folder.remove();
  }
  assert.is(planCredentials(['--slack-api-token', SLACK]).table, 'hammer-credentials');
});

test('refuses incomplete OAuth, two JIRA methods, a key file that is not a private key, and no credentials at all', async () => {
  const partial = await run(['--table', table, '--jira-consumer-key', 'c', '--jira-access-token', 't']);
  assert.is(partial.code, 2);
  assert.match(partial.err, 'missing: --jira-key-cert-file, --jira-access-token-secret');
  const both = await run(['--table', table, '--jira-token', 'x', '--jira-username', 'u', '--jira-password', 'p']);
  assert.match(both.err, 'give one JIRA authentication only');
  const notKey = join(dir, 'not-a-key.pem');
  writeFileSync(notKey, 'hello');
  const bad = await run(['--table', table, '--jira-key-cert-file', notKey, '--jira-consumer-key', 'c', '--jira-access-token', 't', '--jira-access-token-secret', 's']);
  assert.match(bad.err, 'is not a PEM private key');
  const none = await run(['--table', table]);
  assert.is(none.code, 2);
  assert.match(none.err, 'no credentials given');
  assert.is(await stored('jira'), undefined);
});

test('a missing table fails with the DynamoDB error code', async () => {
  const result = await run(['--table', 'no-such-table', '--slack-api-token', SLACK]);
  assert.is(result.code, 1);
  assert.match(result.err, 'ResourceNotFoundException');
  assert.not.match(result.err, SLACK);
});

test('masks nested secrets and leaves other fields readable', () => {
  assert.equal(maskCredentials({ basic: { username: 'bot', password: 'short' }, url: 'https://x' }), { basic: { username: 'bot', password: '********' }, url: 'https://x' });
});

test.run();
