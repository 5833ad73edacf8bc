// The digest's plan (who gets one) and its messages (parts within Slack's
// advised 4,000 characters, every issue once, in order).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../../config/loadConfig.ts';
import type { IssueAction } from '../../../reporting/issueDecision.ts';
import { DIGEST_PART_CHARACTERS, digestMessages, digestOwners } from '../../../reporting/slackDigest.ts';
import { sampleConfigJson, writeConfigFolder } from '../../helpers/configFolder.ts';

const test = suite('slackDigest');
const SLAVE1 = '210987654321';
const SLAVE2 = '654321210987';

function config(slack: Record<string, unknown>) {
  const json = sampleConfigJson();
  json.slack = { ...(json.slack as Record<string, unknown>), ...slack };
  const folder = writeConfigFolder({
    'config.json': json,
    'ticket_owners.json': { slack_owner: '#security', account: { [SLAVE1]: { slack_owner: ['#team-1', 'alice'] }, [SLAVE2]: { slack_owner: '#team-2' } } },
  });
  try {
    return loadConfig(folder.dir);
  } finally {
    folder.remove();
  }
}

const report: IssueAction = { kind: 'report', label: 'l' };
const nothing: IssueAction = { kind: 'nothing' };
const change: IssueAction = { kind: 'report-change' };

test('owners with at least slack.digest_threshold new issues get a digest; the others, and changes, do not count', () => {
  const work = [
    ...Array.from({ length: 3 }, () => ({ accountId: SLAVE1, action: report })),
    { accountId: SLAVE1, action: { kind: 'backfill-ticket', label: 'l' } as IssueAction },
    { accountId: SLAVE2, action: report },
    { accountId: SLAVE2, action: nothing },
    { accountId: SLAVE2, action: change },
  ];
  assert.equal([...digestOwners(config({ digest_threshold: 4 }), work)].sort(), ['#security', '#team-1', 'alice']);
  assert.equal([...digestOwners(config({ digest_threshold: 5 }), work)], ['#security']);
  assert.equal([...digestOwners(config({ digest_threshold: 6 }), work)], []);
});

test('no digest without slack.digest_threshold, or with 0: Hammer\'s one message per issue', () => {
  const work = Array.from({ length: 500 }, () => ({ accountId: SLAVE1, action: report }));
  assert.is(config({}).slack.digestThreshold, undefined);
  assert.is(digestOwners(config({}), work).size, 0);
  assert.is(digestOwners(config({ digest_threshold: 0 }), work).size, 0);
});

test('a bad slack.digest_threshold names the file and the key', () => {
  for (const value of [-1, 2.5, 'many']) {
    assert.throws(() => config({ digest_threshold: value }), /slack\.digest_threshold/);
  }
});

test('parts stay within 4,000 characters, hold every line once and in order, and say which part they are', () => {
  const lines = Array.from({ length: 250 }, (_, index) => `Discovered Disabled CloudTrail in 'account-${index} / ${String(100000000000 + index)} / eu-west-1' (https://jira.example.com/browse/SEC-${index + 1})`);
  const parts = digestMessages(lines);
  assert.ok(parts.length > 1);
  for (const part of parts) assert.ok(part.text.length <= DIGEST_PART_CHARACTERS, `${part.text.length} characters`);
  parts.forEach((part, index) => assert.is(part.text.split('\n')[0], `CloudTrail logging issues of this run: 250 (digest, part ${index + 1} of ${parts.length})`));
  const listed = parts.flatMap((part) => part.text.split('\n').slice(1));
  assert.equal(listed, lines.map((line) => `• ${line}`));
  assert.equal(parts.map((part) => part.lines).reduce((a, b) => a + b, 0), 250);
});

test('a line longer than a part is cut with a visible marker; a line break inside a line is folded', () => {
  const [first, second] = digestMessages([`Discovered ${'x'.repeat(5000)}`, 'two\nlines']);
  const long = (first?.text ?? '').split('\n')[1];
  assert.ok((first?.text.length ?? 0) <= DIGEST_PART_CHARACTERS);
  assert.match(long ?? '', /^• Discovered x+…$/);
  // The cut line fills its part; the next line starts the second.
  assert.equal(second?.text.split('\n'), ['CloudTrail logging issues of this run: 2 (digest, part 2 of 2)', '• two lines']);
});

test.run();
