import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runReportCommand } from '../../../reporting/reportCommand.ts';
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

function command(argv: string[], errors: string[] = []): Promise<number> {
  return runReportCommand(argv, {
    env: {},
    log,
    doc: dynamo.doc,
    adjust: (deps) => ({ ...deps, createTracker: () => tracker }),
    printError: (line) => errors.push(line),
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

test.run();
