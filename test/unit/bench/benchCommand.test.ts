import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { USAGE, UsageError, parseOptions } from '../../bench/run.ts';

const test = suite('npm run bench: options');

function bench(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/run.ts', ...args], { encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('defaults to the organisation of issue 12: 1000 accounts, 17 regions, concurrency 100, 21 cold rounds', () => {
  assert.equal(parseOptions([]), { accounts: 1000, regions: 17, concurrency: 100, awsLatencyMs: 50, dynamoLatencyMs: 8, snsHopMs: 100, coldRuns: 21, seed: 7 });
  assert.equal(parseOptions(['--accounts', '1', '--regions', '40', '--cold-runs', '0']), { accounts: 1, regions: 40, concurrency: 100, awsLatencyMs: 50, dynamoLatencyMs: 8, snsHopMs: 100, coldRuns: 0, seed: 7 });
});

test('refuses what is not a whole number in range, and unknown options', () => {
  for (const args of [['--regions', '0'], ['--accounts', '2.5'], ['--concurrency', 'many'], ['--accounts', '-3'], ['--bogus'], ['stray']]) {
    assert.throws(() => parseOptions(args), (err: unknown) => err instanceof UsageError, args.join(' '));
  }
});

test('--help prints the usage and exits 0 without building anything', () => {
  const result = bench(['--help']);
  assert.is(result.status, 0, result.stderr);
  assert.is(result.stdout.trim(), USAGE);
});

test('a bad option prints what is wrong and the usage, exits 2, and shows no stack trace', () => {
  const result = bench(['--regions', 'four']);
  assert.is(result.status, 2);
  assert.match(result.stderr, 'bench: --regions must be a whole number >= 1, got four');
  assert.match(result.stderr, 'usage: npm run bench');
  assert.not.match(result.stderr, /\n\s+at /);
  assert.is(result.stdout, '');
});

test.run();
