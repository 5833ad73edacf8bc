/**
 * The AWS SDK's default credential chain as code run unbundled gets it (the
 * tests, and the laptop commands run through tsx): build.mjs's stand-ins for
 * the SSO and shared-file providers exist only in the Lambda bundles
 * (builtStandIns.test.ts), so a profile and an SSO sign-in still work here.
 * SSO's portal is a loopback server (AWS_ENDPOINT_URL_SSO).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STSClient } from '@aws-sdk/client-sts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const VARIABLES = ['HOME', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL_SSO', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];

let home: string;
let saved: Record<string, string | undefined>;
let portal: Server;
let portalUrl: string;
const portalRequests: IncomingMessage[] = [];

const test = suite('default credential chain, unbundled');

test.before(async () => {
  saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  home = mkdtempSync(join(tmpdir(), 'hammer-credentials-'));
  mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
  writeFileSync(join(home, 'credentials'), '[laptop]\naws_access_key_id = AKIAQLAPTOPPROFILE01\naws_secret_access_key = bGFwdG9wLXNlY3JldA\n');
  writeFileSync(join(home, 'config'), [
    '[profile sso-audit]',
    'sso_session = corp',
    'sso_account_id = 123456789012',
    'sso_role_name = SecurityAudit',
    'region = eu-west-1',
    '',
    '[sso-session corp]',
    'sso_start_url = https://corp.awsapps.com/start',
    'sso_region = eu-west-1',
    '',
  ].join('\n'));
  // What `aws sso login --sso-session corp` leaves behind.
  writeFileSync(join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`), JSON.stringify({
    startUrl: 'https://corp.awsapps.com/start',
    region: 'eu-west-1',
    accessToken: 'sso-access-token',
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  }));
  // SSO's GetRoleCredentials: GET /federation/credentials with the bearer token.
  portal = createServer((request, response) => {
    portalRequests.push(request);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ roleCredentials: { accessKeyId: 'ASIAQSSOAUDITROLE001', secretAccessKey: 'c3NvLXNlY3JldA', sessionToken: 'sso-session-token', expiration: Date.now() + 3_600_000 } }));
  });
  await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', () => resolve()));
  portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
});

test.before.each(() => {
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, { HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWS_ENDPOINT_URL_SSO: portalUrl });
});

test.after(async () => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  portal.closeAllConnections();
  await new Promise<void>((resolve) => portal.close(() => resolve()));
  rmSync(home, { recursive: true, force: true });
});

test('reads the profile named by AWS_PROFILE from the shared credentials file', async () => {
  process.env.AWS_PROFILE = 'laptop';
  const sts = new STSClient({ region: 'eu-west-1' });
  try {
    const credentials = await sts.config.credentials();
    assert.is(credentials.accessKeyId, 'AKIAQLAPTOPPROFILE01');
  } finally {
    sts.destroy();
  }
});

test('signs in through an SSO profile with the token `aws sso login` cached', async () => {
  process.env.AWS_PROFILE = 'sso-audit';
  const sts = new STSClient({ region: 'eu-west-1' });
  try {
    const credentials = await sts.config.credentials();
    assert.is(credentials.accessKeyId, 'ASIAQSSOAUDITROLE001');
    assert.is(credentials.sessionToken, 'sso-session-token');
    const request = portalRequests.at(-1);
    assert.match(request?.url ?? '', /^\/federation\/credentials\?/);
    assert.match(request?.url ?? '', 'account_id=123456789012');
    assert.match(request?.url ?? '', 'role_name=SecurityAudit');
    assert.is(request?.headers['x-amz-sso_bearer_token'], 'sso-access-token');
  } finally {
    sts.destroy();
  }
});

test.run();
