/**
 * Black-box test of the built Lambda: `node build.mjs --only
 * create_cloudtrail_tickets` with a test config folder, the zip unpacked and
 * its handler run by a separate Node process as Lambda would (handler string
 * `create_cloudtrail_tickets.lambda_handler`, config from the zip's root),
 * against dynalite (AWS_ENDPOINT_URL_DYNAMODB), the fake JIRA (OAuth 1.0a
 * credentials in the credentials table) and the fake Slack server: the
 * bundled JIRA client and Slack client work from the zip.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startDynalite, TEST_CREDENTIALS, type LocalDynamo } from '../../fakes/dynalite.ts';
import { BOB, BOT, PROJECTS, SECRETS, USERS, credentialsItem, fakeCredentials, oauthKeyPair } from '../../fakes/fakeJiraFixtures.ts';
import { startFakeJira, type FakeJira } from '../../fakes/fakeJiraServer.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/fakeSlackServer.ts';
import { SLACK_TOKEN, SLAVE1, disabledIssue, putIssue, setUpReporting, type ReportingSetup } from '../../helpers/reportingFixtures.ts';

const test = suite('create_cloudtrail_tickets');
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const IDENTIFIED = '2026-11-26T14:15:03.250000+00:00';
const LABEL = 'hammer-cloudtrails-210987654321-eu-west-1-20261126T1415032500000000';

let dynamo: LocalDynamo;
let slack: FakeSlack;
let jira: FakeJira;
let work: string;

test.before(async () => {
  dynamo = await startDynalite();
  slack = await startFakeSlack({ token: SLACK_TOKEN, users: [{ id: 'U0BOB', name: 'bob' }, { id: 'U0ALICE', name: 'alice' }], channels: ['#devops-channel'] });
  jira = await startFakeJira({ flavour: 'server', users: USERS, projects: PROJECTS, credentials: fakeCredentials() });
  jira.addIssue({ project: 'AWSSEC', summary: 'CloudTrail logging issues' });
  work = mkdtempSync(join(tmpdir(), 'hammer-reporting-zip-'));
});

test.after(async () => {
  await jira.stop();
  await slack.stop();
  await dynamo.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Reporting with JIRA on, at the fake JIRA, OAuth credentials in the credentials table (or none). */
function reportingSetup(options: { reporting: boolean; jiraCredentials?: boolean }): Promise<ReportingSetup> {
  return setUpReporting(dynamo, {
    slackApiUrl: slack.apiUrl,
    reporting: options.reporting,
    keepConfigFolder: true,
    credentials: { jira: options.jiraCredentials === false ? null : credentialsItem('oauth').credentials },
    jira: { server: jira.url, deployment: 'auto' },
    ticketOwners: { account: { [SLAVE1]: { slack_owner: 'alice' } }, jira_project: 'AWSSEC', jira_owner: BOB.name, jira_parent_ticket: 'AWSSEC-1', slack_owner: ['#devops-channel', 'bob'] },
  });
}

/** Secrets of the credentials items: none may reach the Lambda's output. */
const SECRET_VALUES = [SLACK_TOKEN, SECRETS.oauthAccessToken, SECRETS.oauthAccessTokenSecret, oauthKeyPair().privateKeyPem.split('\n')[3] ?? ''];

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let bundle: Uint8Array | undefined;

/**
 * Builds the zip with the setup's config folder and unpacks it. The bundle
 * does not depend on the config, so later calls reuse the first bundle with
 * their own config files, as the build would package them.
 */
async function buildAndUnpack(setup: ReportingSetup, name: string): Promise<string> {
  const taskRoot = join(work, name);
  mkdirSync(taskRoot);
  if (bundle === undefined) {
    const out = join(work, `${name}-dist`);
    const build = await run(process.execPath, [join(root, 'build.mjs'), '--only', 'create_cloudtrail_tickets', '--config', setup.configDir, '--out', out], { ...process.env }, root);
    assert.is(build.code, 0, build.stderr);
    const files = unzipSync(readFileSync(join(out, 'create_cloudtrail_tickets.zip')));
    assert.equal(Object.keys(files).sort(), ['config.json', 'create_cloudtrail_tickets.js', 'ticket_owners.json', 'whitelist.json']);
    bundle = files['create_cloudtrail_tickets.js'];
  }
  writeFileSync(join(taskRoot, 'create_cloudtrail_tickets.js'), bundle as Uint8Array);
  for (const file of readdirSync(setup.configDir)) writeFileSync(join(taskRoot, file), readFileSync(join(setup.configDir, file)));
  return taskRoot;
}

/** Runs the handler as Lambda would; `node -e INVOKE <remaining ms>` sets what getRemainingTimeInMillis answers (default 300 s). */
const INVOKE = `
const handler = require(process.env.LAMBDA_TASK_ROOT + '/create_cloudtrail_tickets.js');
const remaining = Number(process.argv[1] || 300000);
const context = { functionName: 'hammer-reporting-cloudtrails', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:hammer-reporting-cloudtrails', memoryLimitInMB: '256', awsRequestId: 'req-0001', logGroupName: '/aws/lambda/hammer-reporting-cloudtrails', logStreamName: 's', getRemainingTimeInMillis: () => remaining };
handler.lambda_handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, context)
  .then((result) => process.stderr.write('RESULT ' + JSON.stringify(result) + '\\n'))
  .catch((err) => { process.stderr.write('FAILED ' + err.name + ': ' + err.message + '\\n'); process.exit(1); });
`;

function lambdaEnv(taskRoot: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: 'hammer-reporting-cloudtrails',
  };
}

test('the built zip files the JIRA ticket (OAuth 1.0a) and reports to Slack, marks the issue reported, and logs JSON without secrets', async () => {
  const setup = await reportingSetup({ reporting: true });
  try {
    await putIssue(dynamo.doc, setup.issuesTable, disabledIssue(IDENTIFIED));
    const taskRoot = await buildAndUnpack(setup, 'enabled');
    const jiraSeen = jira.requests.length;

    const result = await run(process.execPath, ['-e', INVOKE], lambdaEnv(taskRoot), taskRoot);

    assert.is(result.code, 0, result.stderr);
    const summary = JSON.parse(/RESULT (.*)/.exec(result.stderr)?.[1] ?? '{}') as { jira?: boolean; outcomes?: { reported?: number } };
    assert.equal([summary.jira, summary.outcomes?.reported], [true, 1]);
    const requests = jira.requests.slice(jiraSeen);
    assert.equal(requests.map((request) => `${request.method} ${request.path}`), [
      'POST /rest/api/2/issue',
      'GET /rest/api/2/issueLinkType',
      'POST /rest/api/2/issueLink',
      'GET /rest/api/2/serverInfo',
      'GET /rest/api/2/user/assignable/search',
      'PUT /rest/api/2/issue/AWSSEC-2/assignee',
      'POST /rest/api/2/issue/AWSSEC-2/watchers',
    ]);
    assert.ok(requests.every((request) => request.auth === 'oauth' && request.authenticated), 'every request signed with RSA-SHA1 and verified');
    const ticket = jira.issue('AWSSEC-2');
    assert.equal(
      [ticket?.summary, ticket?.priority, ticket?.labels, ticket?.assignee, ticket?.watchers, ticket?.links],
      ["Disabled CloudTrail in 'slave1 / 210987654321 / eu-west-1'", 'Major', ['cloudtrail-issue', LABEL], BOB.name, [BOT.name, BOB.name], [{ type: 'Relates', inward: 'AWSSEC-2', outward: 'AWSSEC-1' }]],
    );
    const discovered = `Discovered Disabled CloudTrail in 'slave1 / 210987654321 / eu-west-1' (${jira.url}/browse/AWSSEC-2)`;
    assert.equal(slack.messages.map((message) => `${message.channel}: ${message.text}`).sort(), [`#devops-channel: ${discovered}`, `U0ALICE: ${discovered}`, `U0BOB: ${discovered}`]);
    const item = (await dynamo.doc.send(new GetCommand({ TableName: setup.issuesTable, Key: { account_id: SLAVE1, issue_id: 'eu-west-1' } }))).Item;
    assert.equal(item?.jira_details, { ticket_label: LABEL, ticket_creation_started: (item?.jira_details as Record<string, unknown>).ticket_creation_started, ticket: 'AWSSEC-2', ticket_assignee_id: BOB.name });
    assert.type((item?.jira_details as Record<string, unknown>).ticket_creation_started, 'string');
    assert.type((item?.timestamps as Record<string, unknown>).reported, 'string');

    const lines = result.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const finished = lines.find((line) => line.message === 'reporting run finished');
    assert.is(finished?.service, 'create_cloudtrail_tickets');
    assert.is(finished?.function_request_id, 'req-0001');
    assert.ok(lines.some((line) => line.message === 'created JIRA ticket' && line.ticket_key === 'AWSSEC-2'));
    for (const secret of SECRET_VALUES) assert.not.ok((result.stdout + result.stderr).includes(secret), 'a secret reached the Lambda output');
  } finally {
    setup.removeConfigFolder();
  }
});

test('the built zip with reporting off logs that it is off and sends nothing', async () => {
  const setup = await reportingSetup({ reporting: false });
  try {
    await putIssue(dynamo.doc, setup.issuesTable, disabledIssue(IDENTIFIED));
    const taskRoot = await buildAndUnpack(setup, 'off');
    const slackSeen = slack.requests.length;
    const jiraSeen = jira.requests.length;

    const result = await run(process.execPath, ['-e', INVOKE], lambdaEnv(taskRoot), taskRoot);

    assert.is(result.code, 0, result.stderr);
    assert.match(result.stdout, 'cloudtrails.reporting is false');
    assert.is(slack.requests.length, slackSeen);
    assert.is(jira.requests.length, jiraSeen);
  } finally {
    setup.removeConfigFolder();
  }
});

/** The JSON log lines of a run's output. */
function logLines(result: Outcome): Array<Record<string, unknown>> {
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function storedItem(setup: ReportingSetup, region = 'eu-west-1'): Promise<Record<string, unknown> | undefined> {
  return (await dynamo.doc.send(new GetCommand({ TableName: setup.issuesTable, Key: { account_id: SLAVE1, issue_id: region } }))).Item;
}

test('the built zip with JIRA on and no JIRA credentials fails the invocation with one error line naming the item and the command, and marks nothing', async () => {
  const setup = await reportingSetup({ reporting: true, jiraCredentials: false });
  try {
    await putIssue(dynamo.doc, setup.issuesTable, disabledIssue(IDENTIFIED));
    const taskRoot = await buildAndUnpack(setup, 'no-credentials');
    const slackSeen = slack.requests.length;
    const jiraSeen = jira.requests.length;

    const result = await run(process.execPath, ['-e', INVOKE], lambdaEnv(taskRoot), taskRoot);

    assert.is(result.code, 1, 'the handler throws, so the function\'s error alarm fires');
    assert.match(result.stderr, 'FAILED ReportingSetupError');
    const errors = logLines(result).filter((line) => line.level === 'ERROR');
    assert.is(errors.length, 1, JSON.stringify(errors));
    assert.equal([errors[0]?.operation, errors[0]?.error_code], ['create_cloudtrail_tickets', 'CredentialsMissing']);
    assert.match(String(errors[0]?.error_message), `table ${setup.credentialsTable} has no JIRA credentials (item service = "jira")`);
    assert.match(String(errors[0]?.error_message), 'npm run credentials -- --config');
    assert.is(slack.requests.length, slackSeen);
    assert.is(jira.requests.length, jiraSeen);
    assert.equal(await storedItem(setup), disabledIssue(IDENTIFIED));
  } finally {
    setup.removeConfigFolder();
  }
});

test('the built zip stops starting issues when the invocation\'s remaining time is under its reserve, and ends cleanly', async () => {
  const setup = await reportingSetup({ reporting: true });
  try {
    await putIssue(dynamo.doc, setup.issuesTable, disabledIssue(IDENTIFIED));
    await putIssue(dynamo.doc, setup.issuesTable, disabledIssue(IDENTIFIED, { issue_id: 'us-east-1' }));
    const taskRoot = await buildAndUnpack(setup, 'budget');
    const created = jira.requestsTo('POST', '/rest/api/2/issue').length;

    // 100 s left, under the 120 s reserve: the first issue starts (every run makes progress), the other waits.
    const result = await run(process.execPath, ['-e', INVOKE, '100000'], lambdaEnv(taskRoot), taskRoot);

    assert.is(result.code, 0, result.stderr);
    const summary = JSON.parse(/RESULT (.*)/.exec(result.stderr)?.[1] ?? '{}') as { issues?: number; deferred?: number; outcomes?: { reported?: number } };
    assert.equal([summary.issues, summary.outcomes?.reported, summary.deferred], [1, 1, 1]);
    assert.is(jira.requestsTo('POST', '/rest/api/2/issue').length, created + 1);
    const warning = logLines(result).find((line) => line.error_code === 'TimeBudget');
    assert.equal([warning?.level, warning?.issues_left, warning?.reserve_ms], ['WARN', 1, 120000]);
    const reported = [await storedItem(setup), await storedItem(setup, 'us-east-1')].map((item) => (item?.timestamps as Record<string, unknown>).reported !== null);
    assert.equal(reported.filter(Boolean).length, 1);
  } finally {
    setup.removeConfigFolder();
  }
});

test('the built zip killed after JIRA created the ticket but before its key reached DynamoDB: the next invocation adopts that ticket, no second one', async () => {
  const setup = await reportingSetup({ reporting: true });
  try {
    // Its own lifecycle (identified time), apart from the tickets earlier tests filed in this JIRA.
    const identified = '2026-11-26T14:20:00.000001+00:00';
    await putIssue(dynamo.doc, setup.issuesTable, disabledIssue(identified));
    const taskRoot = await buildAndUnpack(setup, 'killed');
    const keysBefore = jira.issues().map((issue) => issue.key);
    const creates = jira.requestsTo('POST', '/rest/api/2/issue').length;
    // JIRA creates the ticket and the reply never comes: the Lambda is killed while it waits (a timeout, a crash).
    jira.failOn({ method: 'POST', path: '/rest/api/2/issue', status: 0, afterEffect: true, reply: 'hang' });

    const child = spawn(process.execPath, ['-e', INVOKE], { cwd: taskRoot, env: lambdaEnv(taskRoot), stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    for (let waited = 0; jira.requestsTo('POST', '/rest/api/2/issue').length === creates && waited < 30_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await exited;
    jira.clearFailures();

    const created = jira.issues().map((issue) => issue.key).filter((key) => !keysBefore.includes(key));
    assert.is(created.length, 1, 'JIRA made the ticket');
    const marked = await storedItem(setup);
    assert.equal(marked?.jira_details, { ticket_label: 'hammer-cloudtrails-210987654321-eu-west-1-20261126T1420000000010000', ticket_creation_started: (marked?.jira_details as Record<string, unknown>).ticket_creation_started });
    assert.is((marked?.timestamps as Record<string, unknown>).reported, null);

    // The next scheduled run comes an hour later.
    const started = new Date(Date.now() - 3_600_000).toISOString().replace('Z', '000+00:00');
    await dynamo.doc.send(new UpdateCommand({ TableName: setup.issuesTable, Key: { account_id: SLAVE1, issue_id: 'eu-west-1' }, UpdateExpression: 'SET jira_details.ticket_creation_started = :t', ExpressionAttributeValues: { ':t': started } }));
    const jiraSeen = jira.requests.length;
    const result = await run(process.execPath, ['-e', INVOKE], lambdaEnv(taskRoot), taskRoot);

    assert.is(result.code, 0, result.stderr);
    const requests = jira.requests.slice(jiraSeen).map((request) => `${request.method} ${request.path}`);
    assert.equal(requests.slice(0, 2), ['GET /rest/api/2/serverInfo', 'GET /rest/api/2/search']);
    assert.not.ok(requests.includes('POST /rest/api/2/issue'), 'no second create');
    const item = await storedItem(setup);
    assert.equal((item?.jira_details as Record<string, unknown>).ticket, created[0]);
    assert.type((item?.timestamps as Record<string, unknown>).reported, 'string');
  } finally {
    jira.clearFailures();
    setup.removeConfigFolder();
  }
});

test.run();
