// The fake JIRA is itself tested where a test elsewhere relies on it refusing
// what the real Jira refuses: otherwise a client bug would pass unnoticed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { oauthAuthorizationHeader, rsaPrivateKey } from '../../../reporting/jira/oauth1Signature.ts';
import { BOT, SECRETS, SUPPORT, USERS, PROJECTS, fakeCredentials, oauthKeyPair } from '../../fakes/fakeJiraFixtures.ts';
import { CLOUD_DEFAULT_PRIORITIES, CLOUD_SEARCH_GONE, startFakeJira, type FakeJira, type FakeJiraFlavour, type FakeJiraOptions } from '../../fakes/fakeJiraServer.ts';

const test = suite('jiraFakeServer');

async function withFake(flavour: FakeJiraFlavour, body: (jira: FakeJira) => Promise<void>, options: Partial<FakeJiraOptions> = {}): Promise<void> {
  const jira = await startFakeJira({ flavour, users: USERS, projects: PROJECTS, credentials: fakeCredentials(), ...options });
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

const LABEL = 'hammer-cloudtrails-210987654321-eu-west-1-20261126T141503250000';

test('Server searches by JQL on /rest/api/2/search with startAt, maxResults and total', async () => {
  await withFake('server', async (jira) => {
    for (let n = 0; n < 3; n += 1) jira.addIssue({ project: 'AWSSEC', labels: ['cloudtrail-issue', LABEL] });
    jira.addIssue({ project: 'AWSSEC', labels: ['cloudtrail-issue'] });
    const jql = encodeURIComponent(`labels = "${LABEL}" ORDER BY created ASC`);
    const first = await call(jira, 'GET', `/rest/api/2/search?jql=${jql}&fields=status&startAt=0&maxResults=2`);
    assert.is(first.status, 200);
    const page = first.body as { startAt: number; maxResults: number; total: number; issues: Array<{ key: string; fields: object }> };
    assert.equal([page.startAt, page.maxResults, page.total, page.issues.map((i) => i.key)], [0, 2, 3, ['AWSSEC-1', 'AWSSEC-2']]);
    assert.equal(Object.keys(page.issues[0]?.fields ?? {}), ['status']);
    const second = await call(jira, 'POST', '/rest/api/2/search', { jql: `labels = "${LABEL}" ORDER BY created ASC`, startAt: 2, maxResults: 2, fields: ['status'] });
    assert.equal((second.body as { issues: Array<{ key: string }> }).issues.map((i) => i.key), ['AWSSEC-3']);
    assert.is((await call(jira, 'GET', `/rest/api/2/search/jql?jql=${jql}`)).status, 404, 'Data Center has no /search/jql');
  });
});

test('Cloud answers 410 Gone on /search and pages /search/jql with nextPageToken', async () => {
  await withFake('cloud', async (jira) => {
    for (let n = 0; n < 3; n += 1) jira.addIssue({ project: 'AWSSEC', labels: [LABEL] });
    const jql = encodeURIComponent(`labels = "${LABEL}" ORDER BY created ASC`);
    for (const path of [`/rest/api/2/search?jql=${jql}`, `/rest/api/3/search?jql=${jql}`]) {
      const gone = await call(jira, 'GET', path);
      assert.equal([gone.status, gone.body], [410, CLOUD_SEARCH_GONE], path);
    }
    const idsOnly = await call(jira, 'GET', `/rest/api/2/search/jql?jql=${jql}`);
    assert.equal((idsOnly.body as { issues: unknown[] }).issues, [{ id: '10000' }, { id: '10001' }, { id: '10002' }], 'only ids without fields');
    const first = await call(jira, 'GET', `/rest/api/3/search/jql?jql=${jql}&fields=status&maxResults=2`);
    const page = first.body as { issues: Array<{ key: string }>; isLast: boolean; nextPageToken?: string };
    assert.equal([page.issues.map((i) => i.key), page.isLast, typeof page.nextPageToken], [['AWSSEC-1', 'AWSSEC-2'], false, 'string']);
    const second = await call(jira, 'POST', '/rest/api/2/search/jql', { jql: `labels = "${LABEL}" ORDER BY created ASC`, fields: ['status'], maxResults: 2, nextPageToken: page.nextPageToken });
    const last = second.body as { issues: Array<{ key: string }>; isLast: boolean; nextPageToken?: string };
    assert.equal([last.issues.map((i) => i.key), last.isLast, last.nextPageToken], [['AWSSEC-3'], true, undefined]);
    const unbounded = await call(jira, 'GET', `/rest/api/2/search/jql?jql=${encodeURIComponent('ORDER BY created')}`);
    assert.is(unbounded.status, 400);
    assert.match(String((unbounded.body as { errorMessages: string[] }).errorMessages[0]), 'Unbounded JQL');
  });
});

test('Cloud search is eventually consistent: a new issue is found after the index lag, or at once when reconciled', async () => {
  let now = 1_000_000;
  await withFake('cloud', async (jira) => {
    const issue = jira.addIssue({ project: 'AWSSEC', labels: [LABEL] });
    const jql = encodeURIComponent(`labels = "${LABEL}"`);
    const keys = async (extra = '') => ((await call(jira, 'GET', `/rest/api/2/search/jql?jql=${jql}&fields=status${extra}`)).body as { issues: Array<{ key: string }> }).issues.map((i) => i.key);
    assert.equal(await keys(), [], 'not indexed yet');
    assert.equal(await keys(`&reconcileIssues=${issue.id}`), [issue.key]);
    now += 30_000;
    assert.equal(await keys(), [issue.key]);
  }, { searchIndexLagMs: 30_000, clock: () => now });
});

test('refuses JQL it does not understand as a JQL error', async () => {
  await withFake('server', async (jira) => {
    const answer = await call(jira, 'GET', `/rest/api/2/search?jql=${encodeURIComponent('summary ~ "CloudTrail"')}`);
    assert.is(answer.status, 400);
    assert.match(String((answer.body as { errorMessages: string[] }).errorMessages[0]), 'Error in the JQL Query');
  });
});

test('a Closed issue (not editable) refuses labels, comments and assignment with 400; a deleted one answers 404', async () => {
  await withFake('server', async (jira) => {
    const closed = jira.addIssue({ project: 'AWSSEC', status: 'Closed' });
    const label = await call(jira, 'PUT', `/rest/api/2/issue/${closed.key}`, { update: { labels: [{ add: 'whitelisted' }] } });
    assert.equal([label.status, label.body], [400, { errorMessages: [], errors: { labels: "Field 'labels' cannot be set. It is not on the appropriate screen, or unknown." } }]);
    const comment = await call(jira, 'POST', `/rest/api/2/issue/${closed.key}/comment`, { body: 'hello' });
    assert.equal([comment.status, comment.body], [400, { errorMessages: ['You do not have the permission to comment on this issue.'], errors: {} }]);
    assert.is((await call(jira, 'PUT', `/rest/api/2/issue/${closed.key}/assignee`, { name: 'bob' })).status, 400);
    assert.equal([jira.issue(closed.key)?.labels, jira.issue(closed.key)?.comments], [[], []]);
    const resolved = jira.addIssue({ project: 'AWSSEC', status: 'Resolved' });
    assert.is((await call(jira, 'POST', `/rest/api/2/issue/${resolved.key}/comment`, { body: 'still editable' })).status, 201);

    jira.deleteIssue(resolved.key);
    for (const [method, path, body] of [['GET', `/rest/api/2/issue/${resolved.key}`], ['POST', `/rest/api/2/issue/${resolved.key}/comment`, { body: 'x' }], ['PUT', `/rest/api/2/issue/${resolved.key}`, { update: { labels: [{ add: 'x' }] } }]] as const) {
      const answer = await call(jira, method, path, body);
      assert.equal([answer.status, answer.body], [404, { errorMessages: ['Issue Does Not Exist'], errors: {} }], `${method} ${path}`);
    }
  });
});

test('a dropped reply after the effect creates the issue and answers nothing', async () => {
  await withFake('server', async (jira) => {
    jira.failOn({ method: 'POST', path: '/rest/api/2/issue', status: 0, afterEffect: true, reply: 'drop' });
    const fields = { project: { key: 'AWSSEC' }, summary: 's', issuetype: { name: 'Task' } };
    let failed = false;
    try {
      await call(jira, 'POST', '/rest/api/2/issue', { fields });
    } catch {
      failed = true;
    }
    assert.ok(failed, 'the client sees the connection closed');
    assert.equal(jira.issues().map((i) => i.key), ['AWSSEC-1']);
  });
});

test.run();
