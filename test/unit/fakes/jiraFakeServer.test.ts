// The fake JIRA is itself tested where a test elsewhere relies on it refusing
// what the real Jira refuses: otherwise a client bug would pass unnoticed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { oauthAuthorizationHeader, rsaPrivateKey } from '../../../reporting/jira/oauth1Signature.ts';
import { BOT, SECRETS, SUPPORT, USERS, PROJECTS, fakeCredentials, oauthKeyPair } from '../../fakes/fakeJiraFixtures.ts';
import { CLOUD_DEFAULT_PRIORITIES, startFakeJira, type FakeJira, type FakeJiraFlavour } from '../../fakes/fakeJiraServer.ts';

const test = suite('jiraFakeServer');

async function withFake(flavour: FakeJiraFlavour, body: (jira: FakeJira) => Promise<void>): Promise<void> {
  const jira = await startFakeJira({ flavour, users: USERS, projects: PROJECTS, credentials: fakeCredentials() });
  try {
    await body(jira);
  } finally {
    await jira.stop();
  }
}

const bearer = { Authorization: `Bearer ${SECRETS.bearerToken}` };

async function call(jira: FakeJira, method: string, path: string, body?: unknown, headers: Record<string, string> = bearer): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${jira.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

test('Cloud refuses user names as GDPR strict mode does', async () => {
  await withFake('cloud', async (jira) => {
    const search = await call(jira, 'GET', '/rest/api/2/user/assignable/search?project=AWSSEC&username=bob');
    assert.is(search.status, 400);
    const { key } = jira.addIssue({ project: 'AWSSEC' });
    assert.is((await call(jira, 'PUT', `/rest/api/2/issue/${key}/assignee`, { name: SUPPORT.name })).status, 400);
    assert.is((await call(jira, 'POST', `/rest/api/2/issue/${key}/watchers`, SUPPORT.name)).status, 404);
    assert.is((await call(jira, 'PUT', `/rest/api/2/issue/${key}/assignee`, { accountId: SUPPORT.accountId })).status, 204);
    const me = await call(jira, 'GET', '/rest/api/2/myself');
    assert.equal(Object.keys(me.body as object).includes('name'), false);
    assert.is((me.body as { accountId?: string }).accountId, BOT.accountId);
  });
});

test('Server needs the username parameter and names users by name', async () => {
  await withFake('server', async (jira) => {
    assert.is((await call(jira, 'GET', '/rest/api/2/user/assignable/search?project=AWSSEC&query=bob')).status, 400);
    const found = await call(jira, 'GET', '/rest/api/2/user/assignable/search?project=AWSSEC&username=bob');
    assert.equal((found.body as Array<{ name: string }>).map((u) => u.name), ['bob', 'bobby']);
    const info = await call(jira, 'GET', '/rest/api/2/serverInfo', undefined, {});
    assert.is((info.body as { deploymentType: string }).deploymentType, 'Server');
  });
});

test('refuses a replayed OAuth nonce and a stale timestamp', async () => {
  await withFake('server', async (jira) => {
    const key = { consumerKey: SECRETS.consumerKey, accessToken: SECRETS.oauthAccessToken, privateKey: rsaPrivateKey(oauthKeyPair().privateKeyPem) };
    const url = `${jira.url}/rest/api/2/myself`;
    const header = oauthAuthorizationHeader(key, { method: 'GET', url, timestamp: Math.floor(Date.now() / 1000), nonce: 'once' });
    assert.is((await call(jira, 'GET', '/rest/api/2/myself', undefined, { Authorization: header })).status, 200);
    assert.is((await call(jira, 'GET', '/rest/api/2/myself', undefined, { Authorization: header })).status, 401);
    const stale = oauthAuthorizationHeader(key, { method: 'GET', url, timestamp: Math.floor(Date.now() / 1000) - 3600, nonce: 'fresh' });
    assert.is((await call(jira, 'GET', '/rest/api/2/myself', undefined, { Authorization: stale })).status, 401);
    assert.equal(jira.requests.map((r) => r.authProblem), [undefined, 'nonce_used', 'timestamp_refused']);
  });
});

test('answers 401 without credentials, except serverInfo', async () => {
  await withFake('cloud', async (jira) => {
    assert.is((await call(jira, 'GET', '/rest/api/2/myself', undefined, {})).status, 401);
    assert.is((await call(jira, 'GET', '/rest/api/2/serverInfo', undefined, {})).status, 200);
    assert.equal(jira.requests.map((r) => [r.auth, r.authenticated]), [['none', false], ['none', false]]);
  });
});

test('injects a failure n times, then answers normally', async () => {
  await withFake('server', async (jira) => {
    jira.failOn({ method: 'GET', path: '/rest/api/2/myself', status: 503, times: 2, retryAfterSeconds: 3 });
    const statuses = [];
    for (let n = 0; n < 3; n += 1) statuses.push((await call(jira, 'GET', '/rest/api/2/myself')).status);
    assert.equal(statuses, [503, 503, 200]);
    assert.equal(jira.requests.map((r) => r.injectedStatus), [503, 503, undefined]);
  });
});

test('an after-effect failure creates the issue and loses the answer', async () => {
  await withFake('server', async (jira) => {
    jira.failOn({ method: 'POST', path: '/rest/api/2/issue', status: 504, afterEffect: true });
    const fields = { project: { key: 'AWSSEC' }, summary: 's', issuetype: { name: 'Task' }, labels: ['cloudtrail-issue'] };
    assert.is((await call(jira, 'POST', '/rest/api/2/issue', { fields })).status, 504);
    assert.equal(jira.issues().map((i) => i.key), ['AWSSEC-1']);
  });
});

test('validates new issues as Jira does: summary, project, labels without spaces, text limit', async () => {
  await withFake('server', async (jira) => {
    const answer = await call(jira, 'POST', '/rest/api/2/issue', { fields: { project: { key: 'AWSSEC' }, summary: 'x'.repeat(256), issuetype: { name: 'Task' }, labels: ['two words'], description: 'd'.repeat(32768) } });
    assert.is(answer.status, 400);
    assert.equal(Object.keys((answer.body as { errors: object }).errors).sort(), ['description', 'labels', 'summary']);
    assert.equal(jira.issues(), []);
  });
});

test("refuses a priority outside the site's scheme, as Cloud's default scheme refuses Major", async () => {
  const jira = await startFakeJira({ flavour: 'cloud', users: USERS, projects: PROJECTS, credentials: fakeCredentials(), priorities: CLOUD_DEFAULT_PRIORITIES });
  try {
    const fields = { project: { key: 'AWSSEC' }, summary: 's', issuetype: { name: 'Task' } };
    const refused = await call(jira, 'POST', '/rest/api/2/issue', { fields: { ...fields, priority: { name: 'Major' } } });
    assert.is(refused.status, 400);
    assert.equal((refused.body as { errors: object }).errors, { priority: "Specify a valid 'id' or 'name' for Priority" });
    assert.is((await call(jira, 'POST', '/rest/api/2/issue', { fields: { ...fields, priority: { name: 'High' } } })).status, 201);
    assert.equal(jira.issues().map((i) => [i.key, i.priority]), [['AWSSEC-1', 'High']]);
  } finally {
    await jira.stop();
  }
});

test.run();
