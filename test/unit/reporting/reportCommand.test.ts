import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HELP, USAGE, runReportCommand } from '../../../reporting/reportCommand.ts';
import { startDynalite, type LocalDynamo } from '../../fakes/dynalite.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/fakeSlackServer.ts';
import { MemoryTicketTracker } from '../../helpers/memoryTicketTracker.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';
import { JIRA_SERVER, SLACK_TOKEN, SLAVE1, disabledIssue, putIssue, setUpReporting, type ReportingSetup } from '../../helpers/reportingFixtures.ts';

const test = suite('reportCommand');
const IDENTIFIED = '2026-11-26T14:15:03.250000+00:00';

let dynamo: LocalDynamo;
let slack: FakeSlack;
let log: RecordingLog;
let lockDir: string;
let lockFile: string;
let setup: ReportingSetup;
let tracker: MemoryTicketTracker;

test.before(async () => {
  dynamo = await startDynalite();
});

test.after(async () => {
  await dynamo.stop();
});

test.before.each(async () => {
  slack = await startFakeSlack({ token: SLACK_TOKEN, users: [{ id: 'U0BOB', name: 'bob' }, { id: 'U0ALICE', name: 'alice' }], channels: ['#devops-channel'] });
  log = new RecordingLog();
  lockDir = mkdtempSync(join(tmpdir(), 'hammer-report-'));
  lockFile = join(lockDir, 'report.lock');
  setup = await setUpReporting(dynamo, { slackApiUrl: slack.apiUrl, keepConfigFolder: true });
  tracker = new MemoryTicketTracker(JIRA_SERVER);
  await putIssue(dynamo.doc, setup.issuesTable, disabledIssue(IDENTIFIED));
});

test.after.each(async () => {
  await slack.stop();
  setup.removeConfigFolder();
  rmSync(lockDir, { recursive: true, force: true });
});

function command(argv: string[], errors: string[] = [], extra: { printed?: string[]; now?: () => number } = {}): Promise<number> {
  return runReportCommand(argv, {
    env: {},
    log,
    doc: dynamo.doc,
    adjust: (deps) => ({ ...deps, createTracker: () => tracker }),
    printError: (line) => errors.push(line),
    print: (text) => extra.printed?.push(text),
    ...(extra.now === undefined ? {} : { now: extra.now }),
  });
}

async function reported(): Promise<unknown> {
  const item = (await dynamo.doc.send(new GetCommand({ TableName: setup.issuesTable, Key: { account_id: SLAVE1, issue_id: 'eu-west-1' } }))).Item;
  return (item?.timestamps as Record<string, unknown> | undefined)?.reported;
}

test('runs the reporting flow with the config folder and releases its lock', async () => {
  const code = await command(['--config', setup.configDir, '--lock-file', lockFile]);
  assert.is(code, 0);
  assert.is(tracker.tickets.size, 1);
  assert.is(slack.messages.length, 3);
  assert.type(await reported(), 'string');
  assert.is(existsSync(lockFile), false);
});

test('quits without touching anything while another run holds the lock', async () => {
  writeFileSync(lockFile, `${process.pid}\n`);
  const code = await command(['--config', setup.configDir, '--lock-file', lockFile]);
  assert.is(code, 3);
  assert.equal(tracker.calls, []);
  assert.equal(slack.requests, []);
  assert.is(await reported(), null);
  assert.is(readFileSync(lockFile, 'utf8'), `${process.pid}\n`);
  assert.match(log.at('error')[0]?.message ?? '', 'already running');
});

test('exits 1 when an issue could not be reported, and still releases the lock', async () => {
  tracker.failOn('createTicket', 500);
  const code = await command(['--config', setup.configDir, '--lock-file', lockFile]);
  assert.is(code, 1);
  assert.is(existsSync(lockFile), false);
});

test('an invalid config folder exits 2 naming the file and path', async () => {
  const errors: string[] = [];
  writeFileSync(join(setup.configDir, 'config.json'), JSON.stringify({ aws: { region: 'eu-west-1', accounts: { [SLAVE1]: 'slave1' } }, cloudtrails: { 'ddb.table_name': 't', reporting: 'maybe' } }));
  const code = await command(['--config', setup.configDir, '--lock-file', lockFile], errors);
  assert.is(code, 2);
  assert.match(errors[0] ?? '', 'config.json: cloudtrails.reporting: expected a boolean');
  assert.equal(slack.requests, []);
});

test('a missing --config exits 2 with the usage', async () => {
  const errors: string[] = [];
  assert.is(await command([], errors), 2);
  assert.match(errors[0] ?? '', 'usage: npm run report -- --config');
});

test('--help prints the usage and the options and exits 0, touching nothing', async () => {
  const printed: string[] = [];
  const errors: string[] = [];
  assert.is(await command(['--help'], errors, { printed }), 0);
  assert.equal(printed, [HELP]);
  assert.match(printed[0] ?? '', USAGE);
  for (const option of ['--config', '--lock-file', '--max-seconds', 'Exit codes']) assert.match(printed[0] ?? '', option);
  assert.equal(errors, []);
  assert.equal(tracker.calls, []);
  assert.is(await reported(), null);
});

test('an unknown option or a bad --max-seconds prints the usage and exits 2, without a stack trace', async () => {
  for (const argv of [['--config', setup.configDir, '--frobnicate'], ['--config', setup.configDir, '--max-seconds', 'soon'], ['--config', setup.configDir, '--max-seconds', '-5'], ['--config', setup.configDir, 'extra']]) {
    const errors: string[] = [];
    assert.is(await command(argv, errors), 2, argv.join(' '));
    assert.is(errors.length, 1);
    assert.match(errors[0] ?? '', /^report: /);
    assert.match(errors[0] ?? '', USAGE);
    assert.not.match(errors[0] ?? '', /\n\s+at /, 'no stack trace');
  }
  assert.equal(tracker.calls, []);
});

test('--max-seconds: no issue is started once the time is up; the ones left are logged and wait for the next run', async () => {
  // One issue at a time, so each start sees the time the one before took (the budget under concurrency: reportingConcurrency.test.ts).
  const configFile = join(setup.configDir, 'config.json');
  const configJson = JSON.parse(readFileSync(configFile, 'utf8')) as { cloudtrails: Record<string, unknown> };
  configJson.cloudtrails.reporting_concurrency = 1;
  writeFileSync(configFile, JSON.stringify(configJson));
  await putIssue(dynamo.doc, setup.issuesTable, disabledIssue(IDENTIFIED, { issue_id: 'us-east-1' }));
  await putIssue(dynamo.doc, setup.issuesTable, disabledIssue(IDENTIFIED, { issue_id: 'us-west-2' }));
  let now = 1_000_000;
  const clock = () => now;
  tracker.createTicket = ((original) => async (request) => {
    now += 31_000;
    return original(request);
  })(tracker.createTicket.bind(tracker));

  assert.is(await command(['--config', setup.configDir, '--lock-file', lockFile, '--max-seconds', '60'], [], { now: clock }), 0);
  assert.is(tracker.tickets.size, 2, 'two issues started within 60 s');
  const warning = log.at('warn').find((entry) => entry.fields.error_code === 'TimeBudget');
  assert.is(warning?.fields.issues_left, 1);

  assert.is(await command(['--config', setup.configDir, '--lock-file', lockFile], [], { now: clock }), 0);
  assert.is(tracker.tickets.size, 3);
});

test('JIRA on without its credentials item: exit 1, one error line naming the item and the command to store it, nothing marked', async () => {
  const missing = await setUpReporting(dynamo, { slackApiUrl: slack.apiUrl, keepConfigFolder: true, credentials: { jira: null } });
  try {
    await putIssue(dynamo.doc, missing.issuesTable, disabledIssue(IDENTIFIED));
    assert.is(await command(['--config', missing.configDir, '--lock-file', lockFile]), 1);
    const errors = log.at('error');
    assert.is(errors.length, 1);
    assert.equal([errors[0]?.fields.operation, errors[0]?.fields.error_code], ['create_cloudtrail_tickets', 'CredentialsMissing']);
    assert.match(String(errors[0]?.fields.error_message), `table ${missing.credentialsTable} has no JIRA credentials (item service = "jira")`);
    assert.match(String(errors[0]?.fields.error_message), 'npm run credentials -- --config');
    assert.equal(slack.requests, []);
    const item = (await dynamo.doc.send(new GetCommand({ TableName: missing.issuesTable, Key: { account_id: SLAVE1, issue_id: 'eu-west-1' } }))).Item;
    assert.equal(item, disabledIssue(IDENTIFIED));
    assert.is(existsSync(lockFile), false);
  } finally {
    missing.removeConfigFolder();
  }
});

test.run();
