/**
 * `npm run demo`, run once as a user runs it (a child process, as the npm
 * script starts it): it exits 0 and prints what it must show. The assertions
 * are on stable facts of the demo world (demo/demoWorld.ts): each of its
 * cases in the findings table, the tickets and Slack messages of the first
 * reporting run, and after the world changes, the fixed issue's ticket closed
 * and the new issue's ticket filed; the findings each reporting run sent to
 * Security Hub (the wire fake's BatchImportFindings, as the demo prints what
 * the fake recorded); a trail that logs but records no management events
 * (issue 13); remediation's StartLogging and what it told (issue 11).
 * Ticket numbers and URLs are not asserted (reporting may file in another order).
 */
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { REPOSITORY_ROOT, runProcess, type ProcessOutcome } from '../helpers/builtLambdas.ts';

const test = suite('demo');

let run: ProcessOutcome;
let scenes: string[];

test.before(async () => {
  run = await runProcess(process.execPath, ['--import', 'tsx', join(REPOSITORY_ROOT, 'commands', 'demo.ts')], {
    cwd: REPOSITORY_ROOT,
    // No AWS settings from the machine: the demo needs none.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    timeoutMs: 240_000,
  });
  scenes = run.stdout.split(/\n=+\nScene \d+: /).slice(1);
});

/** The findings table row of an account name and region in a scene's output: "<status> | <what is wrong>". */
function row(scene: string | undefined, name: string, region: string): string {
  const line = (scene ?? '').split('\n').find((candidate) => new RegExp(`^\\d{12}  ${name} +${region} `).test(candidate));
  return line === undefined ? `(no row for ${name} ${region})` : line.split(/ {2,}/).slice(3).join(' | ');
}

/** The Security Hub findings a scene's reporting sent: "<account / region> | <record state> | <compliance> | <severity> | <created|updated> (issue <status>)", sorted. */
function findingsSent(scene: string | undefined): string[] {
  const section = (scene ?? '').split(/^Security Hub findings sent .*:\n/m)[1]?.split('\n\n')[0] ?? '';
  return section.split('\n').filter((line) => line.trim() !== '').map((line) => {
    const [where = '', id = '', ...rest] = line.trim().split(/ {2,}/);
    const [account = '', region = ''] = where.split(' / ');
    assert.is(id, `hammer-cloudtrails/${ACCOUNT_IDS[account] ?? '?'}/${region}/cloudtrail-logging`, 'the stable finding Id of the account and region');
    return [where, ...rest].join(' | ');
  }).sort();
}

const ACCOUNT_IDS: Record<string, string> = { prod: '210987654321', staging: '345678901234', dev: '456789012345', sandbox: '678901234567' };

test('runs to the end with exit 0, progress on stderr and five scenes on stdout', () => {
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, 'demo: building the Lambda zips from the demo config (node build.mjs)');
  assert.match(run.stderr, 'demo:   describe_cloudtrails x 6 (one invocation per SNS message: one per account)');
  assert.is(scenes.length, 5);
  assert.not.match(run.stdout, /^demo: /m, 'progress stays off stdout');
});

test('the first scan\'s table shows every case of the demo world', () => {
  const [first] = scenes;
  assert.is(row(first, 'master', 'us-east-1'), 'ok | nothing: organization logs');
  assert.is(row(first, 'master', 'eu-south-1'), 'ok | nothing: organization (multi-region, from us-east-1) logs');
  assert.is(row(first, 'prod', 'eu-west-1'), 'open | S3 delivery fails for prod-eu (AccessDenied, bucket acme-prod-eu-trail)');
  assert.is(row(first, 'prod', 'us-east-1'), 'open | CloudWatch Logs delivery fails for prod-us (AccessDeniedException, log group prod-us-trail)');
  assert.is(row(first, 'prod', 'eu-south-1'), 'whitelisted | logging disabled: no trail in this region');
  assert.is(row(first, 'staging', 'eu-west-1'), 'open | logging disabled: staging is stopped');
  assert.is(row(first, 'staging', 'us-east-1'), 'open | logging disabled: staging (multi-region, from eu-west-1) is stopped');
  assert.is(row(first, 'dev', 'us-east-1'), 'open | logging disabled: no trail in this region');
  assert.is(row(first, 'analytics', 'eu-west-1'), 'status-unknown | unknown: no readable trail logs; unreadable: organization (multi-region, from us-east-1)');
  assert.is(row(first, 'analytics', 'eu-south-1'), 'region-not-enabled | region not enabled in the account');
  assert.is(row(first, 'sandbox', 'eu-west-1'), 'ok | nothing: sandbox-eu-west-1 logs');
  assert.match(first ?? '', '6 open issues in 18 account-regions, 1 whitelisted, 5 ok, 2 status unknown, 4 not enabled');
});

test('the first reporting run files a ticket per open issue, tells Slack, and closes the whitelisted one without a ticket', () => {
  const first = scenes[0] ?? '';
  const filed = first.split('JIRA tickets filed:\n')[1]?.split('JIRA tickets closed:')[0] ?? '';
  const summaries = filed.trim().split('\n').map((line) => line.replace(/^\s*AWSSEC-\d+\s+Open\s+assignee bob\s+/, '')).sort();
  assert.equal(summaries, [
    "CloudTrail logging issues in 'prod / 210987654321 / eu-west-1'",
    "CloudTrail logging issues in 'prod / 210987654321 / us-east-1'",
    "Disabled CloudTrail in 'dev / 456789012345 / eu-west-1'",
    "Disabled CloudTrail in 'dev / 456789012345 / us-east-1'",
    "Disabled CloudTrail in 'staging / 345678901234 / eu-west-1'",
    "Disabled CloudTrail in 'staging / 345678901234 / us-east-1'",
  ]);
  assert.match(first, /#cloudsec\s+Discovered Disabled CloudTrail in 'dev \/ 456789012345 \/ us-east-1' \(http:\/\/127\.0\.0\.1:\d+\/browse\/AWSSEC-\d+\)/);
  assert.match(first, /@alice\s+Discovered CloudTrail logging issues in 'prod \/ 210987654321 \/ eu-west-1'/);
  assert.not.match(first, /@alice\s+Discovered Disabled CloudTrail in 'dev/, 'alice owns prod only');
  assert.match(first, /prod \/ eu-south-1\s+new -> whitelisted -> closed\s+no ticket/);
});

test('after the world changes, the fixed issue is resolved and its ticket closed, and the new issue gets a ticket', () => {
  const second = scenes[1] ?? '';
  assert.is(row(second, 'prod', 'eu-west-1'), 'ok | nothing: prod-eu logs');
  assert.is(row(second, 'sandbox', 'eu-west-1'), 'open | logging disabled: sandbox-eu-west-1 is stopped');
  assert.match(second, /JIRA tickets filed:\n\s+AWSSEC-\d+\s+Open\s+assignee bob\s+Disabled CloudTrail in 'sandbox \/ 678901234567 \/ eu-west-1'\n/);
  assert.match(second, /JIRA tickets closed:\n\s+AWSSEC-\d+\s+Closed\s+"Closing resolved issue with 'eu-west-1' CloudTrail logging in 'prod \/ 210987654321'"\n/);
  assert.match(second, /#cloudsec\s+Closing resolved issue with 'eu-west-1' CloudTrail logging in 'prod \/ 210987654321'/);
  assert.match(second, /prod \/ eu-west-1\s+open -> resolved -> closed\s+ticket AWSSEC-\d+ \(closed in JIRA\)/);
  assert.match(second, /sandbox \/ eu-west-1\s+new -> open\s+ticket filed AWSSEC-\d+/);
  assert.not.match(second, /staging \/ /, 'issues that did not change are not listed as changed');
});

test('a StopLogging event becomes a finding at once: the one region rescanned, the Slack alert, then the ticket', () => {
  const third = scenes[2] ?? '';
  assert.match(run.stderr, 'demo:   realtime_to_desc_cloudtrails (1 CloudTrail event(s) from the SQS queue)');
  assert.match(run.stderr, 'demo:   describe_cloudtrails x 1 (the rescan, as the schedule\'s)');
  assert.is(row(third, 'prod', 'eu-west-1'), 'open | logging disabled: prod-eu is stopped');
  assert.match(third, '1 open issue in 1 account-region', 'only the region of the call is rescanned');
  assert.match(third, /#cloudsec\s+CloudTrail logging stopped: StopLogging of trail 'arn:aws:cloudtrail:eu-west-1:210987654321:trail\/prod-eu' in 'prod \/ 210987654321 \/ eu-west-1' by arn:aws:iam::210987654321:user\/ci-deployer from 198\.51\.100\.42 at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/);
  assert.match(third, /@alice\s+CloudTrail logging stopped: StopLogging of trail/);
  assert.match(third, /JIRA tickets filed:\n\s+AWSSEC-\d+\s+Open\s+assignee bob\s+Disabled CloudTrail in 'prod \/ 210987654321 \/ eu-west-1'\n/);
  assert.match(third, /prod \/ eu-west-1\s+closed -> open\s+ticket AWSSEC-\d+/);
});

test('each reporting run sends Security Hub the findings that changed: new issues active and failed, a whitelisted one archived, a resolved one archived and passed', () => {
  assert.equal(findingsSent(scenes[0]), [
    'dev / eu-west-1 | ACTIVE | FAILED | HIGH | created (issue open)',
    'dev / us-east-1 | ACTIVE | FAILED | HIGH | created (issue open)',
    'prod / eu-south-1 | ARCHIVED | FAILED | HIGH | created (issue whitelisted)',
    'prod / eu-west-1 | ACTIVE | FAILED | MEDIUM | created (issue open)',
    'prod / us-east-1 | ACTIVE | FAILED | MEDIUM | created (issue open)',
    'staging / eu-west-1 | ACTIVE | FAILED | HIGH | created (issue open)',
    'staging / us-east-1 | ACTIVE | FAILED | HIGH | created (issue open)',
  ]);
  assert.equal(findingsSent(scenes[1]), [
    'prod / eu-west-1 | ARCHIVED | PASSED | INFORMATIONAL | updated (issue resolved)',
    'sandbox / eu-west-1 | ACTIVE | FAILED | HIGH | created (issue open)',
  ], 'the unchanged findings are not sent again');
  assert.equal(findingsSent(scenes[2]), ['prod / eu-west-1 | ACTIVE | FAILED | HIGH | updated (issue open)'], 'the reopened issue\'s finding is active again');
});

test('a trail that logs but records no management events makes its region an issue, with the reason in the table, the ticket and Slack', () => {
  const [, second, , fourth] = scenes;
  assert.is(row(second, 'sandbox', 'us-east-1'), 'ok | nothing: sandbox-us-east-1 logs', 'healthy before its selectors change');
  assert.is(row(fourth, 'sandbox', 'us-east-1'), 'open | logging disabled: sandbox-us-east-1 logging, but records no write management events (selectors: Advanced: Data(AWS::S3::Object))');
  assert.match(fourth ?? '', '8 open issues in 18 account-regions, 1 whitelisted, 3 ok, 2 status unknown, 4 not enabled');
  assert.match(fourth ?? '', /JIRA tickets filed:\n\s+AWSSEC-\d+\s+Open\s+assignee bob\s+Disabled CloudTrail in 'sandbox \/ 678901234567 \/ us-east-1'\n/);
  assert.match(fourth ?? '', /#cloudsec\s+Discovered Disabled CloudTrail in 'sandbox \/ 678901234567 \/ us-east-1': arn:aws:cloudtrail:us-east-1:678901234567:trail\/sandbox-us-east-1 \[Advanced: Data\(AWS::S3::Object\)\] logging, but records no write management events \(http/);
  assert.equal(findingsSent(fourth), ['sandbox / us-east-1 | ACTIVE | FAILED | HIGH | created (issue open)']);
  assert.match(fourth ?? '', /sandbox \/ us-east-1\s+new -> open\s+ticket filed AWSSEC-\d+/);
});

test('remediation restarts staging\'s stopped trail, comments the ticket and tells Slack; the rescan finds it fixed and reporting closes both issues', () => {
  const fifth = scenes[4] ?? '';
  assert.match(run.stderr, 'demo:   clean_cloudtrails (the remediation schedule)');
  assert.match(fifth, 'Remediation (clean_cloudtrails; remediation accounts: staging): 1 remediated, 1 fixed-meanwhile\n');
  assert.match(fifth, '  StartLogging arn:aws:cloudtrail:eu-west-1:345678901234:trail/staging in eu-west-1, as staging: logging started\n');
  assert.is((fifth.match(/StartLogging arn:/g) ?? []).length, 1, 'one StartLogging: the multi-region trail covers both regions, and sandbox is not a remediation account');
  const remediated = "Logging was started on trail arn:aws:cloudtrail:eu-west-1:345678901234:trail/staging. CloudTrail logging issue with 'eu-west-1' in 'staging / 345678901234' account was remediated by hammer";
  assert.ok(fifth.includes(`remediated       commented AWSSEC-`) && fifth.includes(`: "${remediated}"`), 'the ticket comment, as Hammer words it');
  assert.match(fifth, /staging \/ us-east-1\s+fixed-meanwhile\s+its first rescan found the region covered again/);
  assert.ok(fifth.includes(`#cloudsec  ${remediated} (http://127.0.0.1:`), 'the same text to Slack, with the ticket');
  assert.is(row(fifth, 'staging', 'eu-west-1'), 'ok | nothing: staging logs');
  assert.is(row(fifth, 'staging', 'us-east-1'), 'ok | nothing: staging (multi-region, from eu-west-1) logs');
  assert.is(row(fifth, 'sandbox', 'eu-west-1'), 'open | logging disabled: sandbox-eu-west-1 is stopped', 'left alone: not a remediation account');
  assert.match(fifth, /JIRA tickets closed:\n\s+AWSSEC-\d+\s+Closed\s+"Closing resolved issue with 'eu-west-1' CloudTrail logging in 'staging \/ 345678901234'"\n\s+AWSSEC-\d+\s+Closed\s+"Closing resolved issue with 'us-east-1' CloudTrail logging in 'staging \/ 345678901234'"/);
  assert.equal(findingsSent(fifth), [
    'staging / eu-west-1 | ARCHIVED | PASSED | INFORMATIONAL | updated (issue resolved)',
    'staging / us-east-1 | ARCHIVED | PASSED | INFORMATIONAL | updated (issue resolved)',
  ]);
  assert.match(fifth, /staging \/ eu-west-1\s+open -> resolved -> closed\s+ticket AWSSEC-\d+ \(closed in JIRA\)/);
});

test.run();
