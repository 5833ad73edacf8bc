import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { JiraCredentialsError, describeJiraCredentials, parseJiraCredentials } from '../../../reporting/jira/jiraCredentials.ts';
import { SECRETS, credentialsItem, oauthKeyPair } from '../../fakes/fakeJiraFixtures.ts';

const test = suite('jiraCredentials');

function failure(value: unknown): JiraCredentialsError {
  try {
    parseJiraCredentials(value);
  } catch (err: unknown) {
    assert.instance(err, JiraCredentialsError);
    return err as JiraCredentialsError;
  }
  throw new Error('expected a JiraCredentialsError');
}

test("reads Hammer's OAuth item (key_cert a PKCS#8 PEM) into a usable RSA key", () => {
  const credentials = parseJiraCredentials(credentialsItem('oauth'));
  assert.is(credentials.kind, 'oauth');
  if (credentials.kind !== 'oauth') return;
  assert.is(credentials.consumerKey, SECRETS.consumerKey);
  assert.is(credentials.accessToken, SECRETS.oauthAccessToken);
  assert.is(credentials.privateKey.asymmetricKeyType, 'rsa');
});

test('reads a PKCS#1 "BEGIN RSA PRIVATE KEY" key_cert too', () => {
  const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  assert.ok(pkcs1.startsWith('-----BEGIN RSA PRIVATE KEY-----'));
  assert.is(parseJiraCredentials(credentialsItem('oauth', pkcs1)).kind, 'oauth');
});

test('reads the credentials map alone as well as the whole item', () => {
  assert.equal(parseJiraCredentials({ basic: { username: 'bot@example.com', password: 'p' } }), { kind: 'basic', username: 'bot@example.com', password: 'p' });
  assert.equal(parseJiraCredentials({ service: 'jira', credentials: { token: 't' } }), { kind: 'bearer', token: 't' });
});

test('prefers oauth, then basic, then token when an item holds several', () => {
  const both = { oauth: credentialsItem('oauth').credentials.oauth, basic: { username: 'u', password: 'p' }, token: 't' };
  assert.is(parseJiraCredentials(both).kind, 'oauth');
  assert.is(parseJiraCredentials({ basic: { username: 'u', password: 'p' }, token: 't' }).kind, 'basic');
});

test('names the missing field', () => {
  const err = failure({ oauth: { consumer_key: 'c', key_cert: oauthKeyPair().privateKeyPem } });
  assert.is(err.field, 'credentials.oauth.access_token');
  assert.is(err.message, 'JIRA credentials item (service "jira"): credentials.oauth.access_token: expected a non-empty string, found nothing (the key is missing)');
  assert.is(failure({ basic: { username: 'u', password: '' } }).field, 'credentials.basic.password');
  assert.is(failure({ token: 42 }).message, 'JIRA credentials item (service "jira"): credentials.token: expected a non-empty string, found a number');
});

test('says what it expected of an empty or unknown item', () => {
  assert.match(failure({}).message, /expected one of "oauth", "basic" or "token", found an empty map/);
  assert.match(failure({ api_token: 'x' }).message, /found only the keys "api_token"/);
  assert.match(failure('a string').message, /credentials: expected a map with "oauth", "basic" or "token", found a string/);
  assert.match(failure({ service: 'jira', credentials: null }).message, /found null/);
});

test('rejects a key_cert that is not a private key without quoting it', () => {
  const pem = '-----BEGIN PRIVATE KEY-----\nTm90QUtleVNlY3JldE1hdGVyaWFs\n-----END PRIVATE KEY-----\n';
  const err = failure({ oauth: { consumer_key: 'c', key_cert: pem, access_token: 'a', access_token_secret: 's' } });
  assert.is(err.field, 'credentials.oauth.key_cert');
  assert.not.match(err.message, /Tm90QUtleVNlY3JldE1hdGVyaWFs/);
  assert.is(err.cause, undefined);
});

test('never shows a secret in its errors', () => {
  const err = failure({ basic: { username: 'bot:x', password: SECRETS.basicPassword } });
  assert.is(err.field, 'credentials.basic.username');
  assert.not.match(err.message, new RegExp(SECRETS.basicPassword));
  assert.not.match(failure({ oauth: { consumer_key: 'c', key_cert: SECRETS.oauthAccessTokenSecret, access_token: 'a' } }).message, /never-logged/);
});

test('describes credentials for logs without secrets', () => {
  for (const kind of ['oauth', 'basic', 'bearer'] as const) {
    const text = describeJiraCredentials(parseJiraCredentials(credentialsItem(kind)));
    for (const secret of [SECRETS.basicPassword, SECRETS.bearerToken, SECRETS.oauthAccessToken]) assert.not.ok(text.includes(secret));
  }
  assert.is(describeJiraCredentials(parseJiraCredentials(credentialsItem('oauth'))), 'OAuth 1.0a RSA-SHA1 (consumer key "hammer-consumer")');
});

test.run();
