import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TrailRecord } from '../../../library/issues/cloudTrailIssue.ts';
import {
  changedIssueComment,
  changedIssueMessage,
  closingComment,
  discoveredMessage,
  newTicketTexts,
  tempWhitelistComment,
  truncateText,
  withTicketUrl,
  type IssueFacts,
} from '../../../reporting/ticketTexts.ts';

const test = suite('ticketTexts');

const LOGGING_WITH_S3_ERROR: TrailRecord = {
  id: 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/main',
  enabled: true,
  multi_region: true,
  selectors: 'All',
  errors: { cloudwatch: { resource: 'arn:aws:logs:eu-west-1:210987654321:log-group:trail', error: 'AccessDenied' }, s3: { resource: 'trail-bucket', error: 'NoSuchBucket' } },
};
const STOPPED: TrailRecord = { id: 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/old', enabled: false, multi_region: false, selectors: 'ReadOnly', errors: {} };

function facts(overrides: Partial<IssueFacts> = {}): IssueFacts {
  return { accountId: '210987654321', accountName: 'slave1', region: 'eu-west-1', disabled: true, deliveryErrors: false, trails: [], ...overrides };
}

test('writes the summary and description of a disabled region without trails', () => {
  const texts = newTicketTexts(facts(), { characterLimit: 0 });
  assert.is(texts.summary, "Disabled CloudTrail in 'slave1 / 210987654321 / eu-west-1'");
  assert.is(
    texts.description,
    'No enabled CloudTrails for region available.\n\n' +
      '*Risk*: High\n\n' +
      '*Account Name*: slave1\n' +
      '*Account ID*: 210987654321\n' +
      '*Region*: eu-west-1\n' +
      '*Status*: Disabled\n\n' +
      '*Trails*: not detected' +
      '\n\n*Recommendation*: Create CloudTrail for region. ',
  );
});

test('writes the delivery-error ticket with the trails table and the whitelisting procedure link', () => {
  const texts = newTicketTexts(facts({ disabled: false, deliveryErrors: true, trails: [LOGGING_WITH_S3_ERROR, STOPPED] }), {
    characterLimit: 32767,
    whitelistingProcedureUrl: 'https://wiki.example.com/whitelisting',
  });
  assert.is(texts.summary, "CloudTrail logging issues in 'slave1 / 210987654321 / eu-west-1'");
  assert.is(
    texts.description,
    'CloudTrail has issues with logging.\n\n' +
      '*Risk*: High\n\n' +
      '*Account Name*: slave1\n' +
      '*Account ID*: 210987654321\n' +
      '*Region*: eu-west-1\n' +
      '*Status*: Enabled, with logging errors\n\n' +
      '*Trails*:\n' +
      '||Trail ARN||Enabled||Multi Region||Selectors||Errors||\n' +
      '|arn:aws:cloudtrail:eu-west-1:210987654321:trail/main|Yes|Yes|All|s3[trail-bucket, NoSuchBucket], cloudwatch[arn:aws:logs:eu-west-1:210987654321:log-group:trail, AccessDenied]|\n' +
      '|arn:aws:cloudtrail:eu-west-1:210987654321:trail/old|No|No|ReadOnly|-|\n' +
      '\n\n*Recommendation*: Check policies for CloudTrail logging. ' +
      'For any other exceptions, please follow the [whitelisting procedure|https://wiki.example.com/whitelisting] and provide a strong business reasoning. ',
  );
});

test('writes the changed-details comment with the status line and the trails table', () => {
  assert.is(
    changedIssueComment(facts({ disabled: true, deliveryErrors: false, trails: [STOPPED] }), 0),
    'Issue details are changed, please check again.\n' +
      '*Status*: Disabled\n\n' +
      '*Trails*:\n' +
      '||Trail ARN||Enabled||Multi Region||Selectors||Errors||\n' +
      '|arn:aws:cloudtrail:eu-west-1:210987654321:trail/old|No|No|ReadOnly|-|\n',
  );
});

test("writes Hammer's closing, temporary whitelist and Slack texts", () => {
  assert.is(closingComment('resolved', facts()), "Closing resolved issue with 'eu-west-1' CloudTrail logging in 'slave1 / 210987654321'");
  assert.is(closingComment('whitelisted', facts()), "Closing whitelisted issue with 'eu-west-1' CloudTrail logging in 'slave1 / 210987654321'");
  assert.is(tempWhitelistComment(facts()), "CloudTrail logging issue with 'eu-west-1' in 'slave1 / 210987654321' account is added to temporary whitelist.");
  assert.is(changedIssueMessage(facts()), "CloudTrail logging 'eu-west-1' issue is changed in 'slave1 / 210987654321'");
  assert.is(
    withTicketUrl(discoveredMessage("Disabled CloudTrail in 'slave1 / 210987654321 / eu-west-1'"), 'https://jira.example.com/browse/AWSSEC-7'),
    "Discovered Disabled CloudTrail in 'slave1 / 210987654321 / eu-west-1' (https://jira.example.com/browse/AWSSEC-7)",
  );
  assert.is(withTicketUrl('text', undefined), 'text');
});

test('over the character limit, leaves out trailing trail rows with a visible marker and keeps the recommendation', () => {
  const trails: TrailRecord[] = Array.from({ length: 40 }, (_, index) => ({ ...STOPPED, id: `arn:aws:cloudtrail:eu-west-1:210987654321:trail/t${String(index).padStart(2, '0')}` }));
  const full = newTicketTexts(facts({ trails }), { characterLimit: 0 }).description;
  const limit = 1200;
  const { description } = newTicketTexts(facts({ trails }), { characterLimit: limit, whitelistingProcedureUrl: undefined });
  assert.ok(full.length > limit);
  assert.ok(description.length <= limit, `${description.length} > ${limit}`);
  const shownRows = description.split('\n').filter((line) => line.startsWith('|arn:')).length;
  assert.ok(shownRows > 0 && shownRows < 40);
  assert.match(description, `_… ${40 - shownRows} more trails not shown (jira.text_field_character_limit is ${limit})_\n`);
  assert.ok(description.endsWith('\n\n*Recommendation*: Create CloudTrail for region. '));
});

const BLIND: TrailRecord = {
  id: 'arn:aws:cloudtrail:us-east-1:210987654321:trail/org',
  enabled: true,
  multi_region: true,
  selectors: 'Advanced: Management(Read)',
  errors: {},
  coverage_note: 'logging, but records no write management events',
};

test('a region disabled although a trail logs says why: the trail, its selectors and the sentence', () => {
  const texts = newTicketTexts(facts({ trails: [STOPPED, BLIND] }), { characterLimit: 0 });
  assert.is(texts.summary, "Disabled CloudTrail in 'slave1 / 210987654321 / eu-west-1'", 'Hammer\'s summary: the reports say "Disabled CloudTrail"');
  assert.is(
    texts.description,
    'CloudTrail is logging in the region, but no trail records the management events it must (see *Why disabled*).\n\n' +
      '*Risk*: High\n\n' +
      '*Account Name*: slave1\n' +
      '*Account ID*: 210987654321\n' +
      '*Region*: eu-west-1\n' +
      '*Status*: Disabled\n\n' +
      '*Trails*:\n' +
      '||Trail ARN||Enabled||Multi Region||Selectors||Errors||\n' +
      '|arn:aws:cloudtrail:eu-west-1:210987654321:trail/old|No|No|ReadOnly|-|\n' +
      '|arn:aws:cloudtrail:us-east-1:210987654321:trail/org|Yes|Yes|Advanced: Management(Read)|-|\n' +
      '\n*Why disabled*:\n' +
      '* arn:aws:cloudtrail:us-east-1:210987654321:trail/org (selectors: Advanced: Management(Read)): logging, but records no write management events\n' +
      '\n\n*Recommendation*: Set the event selectors of a trail of the region to record read and write management events. ',
  );
  assert.match(changedIssueComment(facts({ trails: [BLIND] }), 0), /\|Yes\|Yes\|Advanced: Management\(Read\)\|-\|\n\n\*Why disabled\*:\n\* arn:aws:cloudtrail:us-east-1:210987654321:trail\/org \(selectors: Advanced: Management\(Read\)\): logging, but records no write management events\n$/);
  assert.is(
    discoveredMessage(texts.summary, [STOPPED, BLIND]),
    "Discovered Disabled CloudTrail in 'slave1 / 210987654321 / eu-west-1': arn:aws:cloudtrail:us-east-1:210987654321:trail/org [Advanced: Management(Read)] logging, but records no write management events",
  );
});

test('items without coverage_note (every item Hammer could write) keep Hammer\'s texts', () => {
  assert.is(discoveredMessage('Disabled CloudTrail in x', [STOPPED, LOGGING_WITH_S3_ERROR]), 'Discovered Disabled CloudTrail in x');
  assert.not.match(newTicketTexts(facts({ trails: [STOPPED] }), { characterLimit: 0 }).description, 'Why disabled');
  assert.ok(newTicketTexts(facts({ trails: [STOPPED] }), { characterLimit: 0 }).description.startsWith('No enabled CloudTrails for region available.'));
});

test('cuts a text that cannot fit otherwise, ending with the truncation marker', () => {
  const text = 'x'.repeat(500);
  const cut = truncateText(text, 200);
  assert.is(cut.length, 200);
  assert.ok(cut.endsWith('\n… [truncated to jira.text_field_character_limit of 200 characters]'));
  assert.is(truncateText(text, 0), text);
  assert.is(truncateText('short', 200), 'short');
});

test('a limit of 0 leaves a long description whole', () => {
  const trails: TrailRecord[] = Array.from({ length: 500 }, (_, index) => ({ ...STOPPED, id: `arn:aws:cloudtrail:eu-west-1:210987654321:trail/t${index}` }));
  const { description } = newTicketTexts(facts({ trails }), { characterLimit: 0 });
  assert.is(description.split('\n').filter((line) => line.startsWith('|arn:')).length, 500);
});

test.run();
