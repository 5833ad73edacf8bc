import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../../library/runtime/logger.ts';
import { powertoolsLog } from '../../../library/runtime/powertoolsLog.ts';
import { scopedLog } from '../../../library/runtime/scopedLog.ts';

const test = suite('powertoolsLog');

function captureOutput(run: () => void): string[] {
  const lines: string[] = [];
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  const capture = (chunk: string | Uint8Array): boolean => {
    lines.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    run();
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
  return lines.flatMap((chunk) => chunk.split('\n')).filter((line) => line.trim() !== '');
}

test('writes one JSON line per call with level, message, service and the domain keys', () => {
  const lines = captureOutput(() => {
    const log = scopedLog(powertoolsLog(createLogger('hammer-describe-cloudtrails')), { account_id: '210987654321' });
    log.error('CloudTrail check failed', { region: 'eu-west-1', operation: 'DescribeTrails', error_code: 'AccessDeniedException' });
    log.info('plain line');
  });
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.is(parsed.length, 2);
  assert.equal(
    parsed.map(({ level, message, service, account_id: account, region, operation, error_code: code }) => ({ level, message, service, account, region, operation, code })),
    [
      { level: 'ERROR', message: 'CloudTrail check failed', service: 'hammer-describe-cloudtrails', account: '210987654321', region: 'eu-west-1', operation: 'DescribeTrails', code: 'AccessDeniedException' },
      { level: 'INFO', message: 'plain line', service: 'hammer-describe-cloudtrails', account: '210987654321', region: undefined, operation: undefined, code: undefined },
    ],
  );
  assert.type(parsed[0]?.timestamp, 'string');
});

test.run();
