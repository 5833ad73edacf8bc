/**
 * `npm run remediate`: --help, usage errors (exit 2, never a stack trace),
 * the dry run, the confirmation per trail and --batch, the lock; in process
 * against the remediation world (AWS clients pointed at the wire fake), and
 * --help and a bad option as a real process.
 */
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HELP, USAGE, runRemediateCommand, type RemediateCommandDeps } from '../../../remediation/remediateCommand.ts';
import { acquireRunLock } from '../../../reporting/runLock.ts';
import { startDynalite, type LocalDynamo } from '../../fakes/dynalite.ts';
import { REPOSITORY_ROOT, runProcess } from '../../helpers/builtLambdas.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';
import { EXPECTED, MASTER, SLAVE1, TRAILS, startRemediationWorld, withFakeAws, type RemediationWorld } from '../../helpers/remediationWorld.ts';

const test = suite('remediate command');

let dynamo: LocalDynamo;
let world: RemediationWorld | undefined;

test.before(async () => {
  dynamo = await startDynalite();
});

test.after(async () => {
  await dynamo.stop();
});

test.after.each(async () => {
  await world?.stop();
  world = undefined;
});

interface Captured {
  out: string[];
  err: string[];
  log: RecordingLog;
  deps: RemediateCommandDeps;
}

function capture(w?: RemediationWorld, extra: Partial<RemediateCommandDeps> = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const log = new RecordingLog();
  const deps: RemediateCommandDeps = {
    env: {},
    log,
    doc: dynamo.doc,
    print: (text) => out.push(text),
    printError: (line) => err.push(line),
    ownAccountId: async () => MASTER,
    ...(w === undefined ? {} : { adjust: (production) => withFakeAws(production, w) }),
    ...extra,
  };
  return { out, err, log, deps };
}

test('--help prints the usage and what the command does, exit 0', async () => {
  const c = capture();
  assert.is(await runRemediateCommand(['--help'], c.deps), 0);
  assert.equal(c.out, [HELP]);
  assert.ok(HELP.startsWith(USAGE));
  assert.match(HELP, '--dry-run');
});

test('a bad option, a stray argument or no --config prints the usage, exit 2', async () => {
  for (const argv of [['--bogus'], ['--config', '/tmp', 'extra'], [], ['--batch']]) {
    const c = capture();
    assert.is(await runRemediateCommand(argv, c.deps), 2, argv.join(' '));
    assert.is(c.err.length, 1);
    assert.match(c.err[0] ?? '', USAGE);
    assert.not.match(c.err[0] ?? '', /\n\s+at /);
  }
});

test('an invalid config names the file and key, exit 2', async () => {
  const c = capture();
  assert.is(await runRemediateCommand(['--config', join(REPOSITORY_ROOT, 'no-such-config')], c.deps), 2);
  assert.match(c.err[0] ?? '', 'remediate: invalid config:');
});

test('--dry-run prints what it would do and changes nothing', async () => {
  const w = (world = await startRemediationWorld(dynamo, { now: new Date() }));
  const before = await w.items();
  const c = capture(w);
  assert.is(await runRemediateCommand(['--config', w.setup.configDir, '--dry-run'], c.deps), 0);
  assert.ok(c.out.includes(`dry run: would start logging of trail ${TRAILS.main} in eu-west-1 (CloudTrail logging issue with 'eu-west-1' in 'slave1 / ${SLAVE1}' account)`), c.out.join('\n'));
  assert.ok(c.out.includes(`dry run: would report as not remediable (CloudTrail logging issue with 'ap-southeast-2' in 'slave1 / ${SLAVE1}' account): no trail logs the region and there is no trail to start (hammer does not create trails or buckets)`));
  assert.equal(await w.items(), before);
  assert.equal(w.aws.callsTo('cloudtrail', 'StartLogging'), []);
  assert.equal(w.jira.requests, []);
  assert.equal(w.slack.requests, []);
});

test('without --batch it asks per trail and starts only what the operator accepts; with --batch it asks nothing', async () => {
  const w = (world = await startRemediationWorld(dynamo, { now: new Date() }));
  const asked: string[] = [];
  const c = capture(w, { confirm: async (question) => { asked.push(question); return question.includes(TRAILS.main); } });
  const lock = join(w.setup.configDir, 'remediate.lock');
  assert.is(await runRemediateCommand(['--config', w.setup.configDir, '--lock-file', lock], c.deps), 0);
  assert.is(asked.length, 2);
  assert.equal(w.aws.callsTo('cloudtrail', 'StartLogging').map((call) => call.params.Name), [TRAILS.main]);
  assert.equal(w.jira.issue(w.tickets[`${SLAVE1}/eu-west-1`] as string)?.comments.map((comment) => comment.body), [EXPECTED.remediated]);

  const batch = capture(w, { confirm: async () => assert.unreachable('--batch asks nothing') as never });
  assert.is(await runRemediateCommand(['--config', w.setup.configDir, '--batch', '--lock-file', lock], batch.deps), 0);
  assert.equal(w.aws.callsTo('cloudtrail', 'StartLogging').map((call) => call.params.Name), [TRAILS.main, TRAILS.denied]);
});

test('another run holding the lock: exit 3, nothing done', async () => {
  const w = (world = await startRemediationWorld(dynamo, { now: new Date() }));
  const path = join(w.setup.configDir, 'held.lock');
  const held = acquireRunLock(path);
  try {
    const c = capture(w);
    assert.is(await runRemediateCommand(['--config', w.setup.configDir, '--batch', '--lock-file', path], c.deps), 3);
    assert.equal(c.log.at('error').map((entry) => entry.fields.error_code), ['RunLocked']);
    assert.equal(w.aws.calls, []);
  } finally {
    held.release();
  }
});

test('as a process (the npm script\'s entry), a bad option exits 2 with the usage on stderr and no stack trace', async () => {
  const env = { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  // What `npm run remediate -- --frobnicate` runs.
  const bad = await runProcess(process.execPath, ['--import', 'tsx', 'remediation/remediateCommand.ts', '--frobnicate'], { cwd: REPOSITORY_ROOT, env });
  assert.is(bad.code, 2);
  assert.is(bad.stdout, '');
  assert.match(bad.stderr, `remediate: Unknown option '--frobnicate'`);
  assert.match(bad.stderr, USAGE);
  assert.not.match(bad.stderr, /\n\s+at /);
});

test.run();
