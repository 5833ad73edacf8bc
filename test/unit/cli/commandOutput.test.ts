/**
 * The pieces of the commands' output: the progress line (only on a terminal,
 * only for long work), CSV quoting, the aligned table, and the "what is
 * wrong" words for the cases the scan and the demo tables show.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ProgressLine } from '../../../library/cli/progressLine.ts';
import { renderCsv, renderTextTable } from '../../../library/cli/textTable.ts';
import { assessmentStatus, whatIsWrong } from '../../../library/scan/assessmentSummary.ts';
import type { RegionAssessment } from '../../../library/scan/identifyRegion.ts';

const test = suite('command output');

function stream(isTTY: boolean): { write(text: string): void; isTTY: boolean; text: string } {
  return { isTTY, text: '', write(text: string) { this.text += text; } };
}

test('the progress line shows only on a terminal, only after the first second, and is erased at the end', () => {
  let now = 0;
  const terminal = stream(true);
  const progress = new ProgressLine(terminal, 'scanning account-regions', () => now);
  progress.update(1, 10);
  assert.is(terminal.text, '', 'a quick scan shows no progress');
  now = 1500;
  progress.update(2, 10);
  progress.update(3, 10);
  progress.finish();
  assert.is(terminal.text, '\r\x1b[2Kscanning account-regions: 2/10\r\x1b[2Kscanning account-regions: 3/10\r\x1b[2K');

  const pipe = stream(false);
  const quiet = new ProgressLine(pipe, 'scanning', () => now, 0);
  now = 5000;
  quiet.update(1, 2);
  quiet.finish();
  assert.is(pipe.text, '', 'nothing when stderr is not a terminal');
});

test('CSV quotes fields holding commas, quotes or line breaks, and ends lines with CRLF', () => {
  assert.is(renderCsv(['a', 'b'], [['plain', 'with, comma'], ['say "hi"', 'two\nlines']]), 'a,b\r\nplain,"with, comma"\r\n"say ""hi""","two\nlines"\r\n');
});

test('the table pads columns to the widest cell under a rule', () => {
  assert.is(renderTextTable(['ID', 'STATUS'], [['1', 'open'], ['22', 'ok']]), 'ID  STATUS\n--  ------\n1   open\n22  ok');
});

const arn = (region: string, account: string, name: string): string => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;

test('says what is wrong: every failing endpoint of a logging trail, stopped trails, unreadable ones, failures', () => {
  const main = arn('eu-west-1', '210987654321', 'main');
  const issue: RegionAssessment = {
    kind: 'issue',
    finding: {
      account_id: '210987654321',
      issue_id: 'eu-west-1',
      status: 'tempwhitelist',
      issue_details: {
        disabled: false,
        delivery_errors: {},
        trails: [
          { id: main, enabled: true, multi_region: false, selectors: 'All', errors: { s3: { resource: 'logs', error: 'AccessDenied' }, digest: { resource: 'logs', error: 'AccessDenied' }, sns: { resource: 'arn:aws:sns:eu-west-1:210987654321:t', error: 'AuthorizationError' } } },
          { id: arn('us-east-1', '210987654321', 'old'), enabled: false, multi_region: true, selectors: 'All', errors: { s3: { resource: null, error: 'NoSuchBucket' } } },
        ],
      },
    },
  };
  assert.is(assessmentStatus(issue), 'tempwhitelist');
  assert.is(whatIsWrong(issue, 'eu-west-1'), 'S3 delivery fails for main (AccessDenied, bucket logs); digest delivery fails for main (AccessDenied, bucket logs); SNS notification fails for main (AuthorizationError, topic arn:aws:sns:eu-west-1:210987654321:t)');

  const stopped: RegionAssessment = { kind: 'issue', finding: { account_id: '1', issue_id: 'eu-west-1', status: 'open', issue_details: { disabled: true, delivery_errors: {}, trails: [
    { id: arn('us-east-1', '1', 'a'), enabled: false, multi_region: true, selectors: 'All', errors: {} },
    { id: arn('eu-west-1', '1', 'b'), enabled: false, multi_region: false, selectors: 'All', errors: {} },
  ] } } };
  assert.is(whatIsWrong(stopped, 'eu-west-1'), 'logging disabled: a (multi-region, from us-east-1), b are stopped');
  const dataOnly: RegionAssessment = { kind: 'issue', finding: { account_id: '1', issue_id: 'eu-west-1', status: 'open', issue_details: { disabled: true, delivery_errors: {}, trails: [
    { id: arn('eu-west-1', '1', 'data'), enabled: true, multi_region: false, selectors: 'Advanced: Data(AWS::S3::Object)', errors: {} },
  ] } } };
  assert.is(whatIsWrong(dataOnly, 'eu-west-1'), 'logging disabled: data logs, but its selectors do not cover the management events required (selectors: Advanced: Data(AWS::S3::Object))');
  // What the scan writes: the trail's coverage_note says what it misses; basic
  // selectors (stored as Hammer stores them, "All" even with management events
  // excluded) are named as such, not shown as a bare "All".
  const basicDataOnly: RegionAssessment = { kind: 'issue', finding: { account_id: '1', issue_id: 'eu-west-1', status: 'open', issue_details: { disabled: true, delivery_errors: {}, trails: [
    { id: arn('eu-west-1', '1', 'data'), enabled: true, multi_region: false, selectors: 'All', errors: {}, coverage_note: 'logging, but records no write management events' },
    { id: arn('eu-west-1', '1', 'reads'), enabled: true, multi_region: false, selectors: 'Advanced: Management(Write)', errors: {}, coverage_note: 'logging, but records no read management events' },
  ] } } };
  assert.is(whatIsWrong(basicDataOnly, 'eu-west-1'), 'logging disabled: data logging, but records no write management events (selectors: basic selectors, ReadWriteType All); reads logging, but records no read management events (selectors: Advanced: Management(Write))');

  const failed: RegionAssessment = { kind: 'failed', operation: 'AssumeRole', errorCode: 'AccessDenied', errorMessage: 'no' };
  assert.is(assessmentStatus(failed), 'failed');
  assert.is(whatIsWrong(failed, 'eu-west-1'), 'could not check: AssumeRole answered AccessDenied');
  assert.is(whatIsWrong({ kind: 'ok', details: { disabled: false, delivery_errors: {}, trails: [
    { id: arn('eu-west-1', '1', 'x'), enabled: true, multi_region: false, selectors: 'All', errors: {} },
    { id: arn('us-east-1', '1', 'y'), enabled: true, multi_region: true, selectors: 'All', errors: {} },
  ] } }, 'eu-west-1'), 'nothing: x, y (multi-region, from us-east-1) log');
});

test.run();
