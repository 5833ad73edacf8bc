import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SIZE_LIMITS, codeZipBytes, sizeLimitsOf } from '../../build.mjs';
import { sampleConfigJson, writeConfigFolder } from '../helpers/configFolder.ts';

const ZIPS = ['clean_cloudtrails.zip', 'create_cloudtrail_tickets.zip', 'describe_cloudtrails.zip', 'initiate_to_desc_cloudtrails.zip', 'realtime_to_desc_cloudtrails.zip'];
const ENTRY_POINTS = [
  'lambdas/cloudtrails-issues-identification/initiate_to_desc_cloudtrails.ts',
  'lambdas/cloudtrails-issues-identification/describe_cloudtrails.ts',
  'reporting/create_cloudtrail_tickets.ts',
  'remediation/clean_cloudtrails.ts',
];

interface Context {
  work: string;
  /** What the first build printed. */
  firstStdout?: string;
}

const test = suite<Context>('build.mjs');

test.before((context) => {
  context.work = mkdtempSync(join(tmpdir(), 'hammer-build-'));
});

test.after(({ work }) => {
  rmSync(work, { recursive: true, force: true });
});

function build(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['build.mjs', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('builds byte-identical zips across rebuilds, touched sources and time zones', (context) => {
  const { work } = context;
  const first = build(['--out', join(work, 'first')], { TZ: 'UTC' });
  assert.is(first.status, 0, first.stderr);
  context.firstStdout = first.stdout;
  const now = new Date();
  for (const entry of ENTRY_POINTS) utimesSync(entry, now, now);
  const second = build(['--out', join(work, 'second')], { TZ: 'America/Los_Angeles' });
  assert.is(second.status, 0, second.stderr);
  assert.equal(readdirSync(join(work, 'first')).sort(), ['config.sha256.json', ...ZIPS].sort());
  assert.ok(readFileSync(join(work, 'first', 'config.sha256.json')).equals(readFileSync(join(work, 'second', 'config.sha256.json'))));
  for (const zip of ZIPS) {
    const a = readFileSync(join(work, 'first', zip));
    const b = readFileSync(join(work, 'second', zip));
    assert.ok(a.equals(b), `${zip} differs between builds`);
    assert.match(first.stdout, new RegExp(`${zip}\\s+${a.length} bytes\\s+sha256 [0-9a-f]{64}`));
  }
});

test('prints each zip\'s code and bundle sizes beside the limits kept in build.mjs, all within them', ({ work, firstStdout }) => {
  assert.type(firstStdout, 'string', 'needs the first build');
  for (const zip of ZIPS) {
    const line = (firstStdout ?? '').split('\n').find((text) => text.includes(zip)) ?? '';
    const match = /\(code zipped (\d+) of (\d+), bundle (\d+) of (\d+) bytes\)/.exec(line);
    assert.ok(match, `no sizes on the line of ${zip}: ${line}`);
    const [, code, codeLimit, bundle, bundleLimit] = (match as RegExpExecArray).map(Number);
    const name = zip.replace(/\.zip$/, '');
    const kept = sizeLimitsOf(name);
    assert.is(codeLimit, kept.zipBytes);
    assert.is(bundleLimit, kept.bundleBytes);
    assert.ok((code as number) <= kept.zipBytes, `${zip}: code zipped ${code}`);
    assert.ok((bundle as number) <= kept.bundleBytes, `${zip}: bundle ${bundle}`);
    const bundled = unzipSync(readFileSync(join(work, 'first', zip)))[`${name}.js`] as Uint8Array;
    assert.is(bundled.length, bundle, 'the printed bundle size is the bundle in the zip');
    assert.is(codeZipBytes(name, bundled), code, 'the printed code size is that bundle zipped alone');
  }
});

test('fails above a size limit, naming the Lambda, the size and the limit, and writes no zip', ({ work }) => {
  const result = build(['--out', join(work, 'bloated'), '--only', 'describe_cloudtrails', '--max-bundle-bytes', '1000', '--max-zip-bytes', '2000']);
  assert.is(result.status, 1);
  assert.match(result.stderr, /describe_cloudtrails: the zip's code is \d+ bytes, over the limit of 2000/);
  assert.match(result.stderr, /describe_cloudtrails: the bundle is \d+ bytes, over the limit of 1000/);
  assert.match(result.stderr, 'no zip written, size limits (SIZE_LIMITS, LAMBDA_SIZE_LIMITS in build.mjs) exceeded');
  assert.not.ok(existsSync(join(work, 'bloated', 'describe_cloudtrails.zip')), 'no zip written');
});

test('answers --help with its usage (exit 0), and an unknown option or Lambda with the usage (exit 2), building nothing', ({ work }) => {
  const help = build(['--help']);
  assert.is(help.status, 0);
  assert.match(help.stdout, 'usage: node build.mjs [options]');
  assert.match(help.stdout, '--only <name>[,<name>]');
  for (const args of [['--bogus'], ['--only', 'clean_everything']]) {
    const bad = build(['--out', join(work, 'never'), ...args]);
    assert.is(bad.status, 2, args.join(' '));
    assert.match(bad.stderr, 'usage: node build.mjs [options]');
    assert.not.match(bad.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.not.ok(existsSync(join(work, 'never')));
});

test('lets --max-zip-bytes and --max-bundle-bytes lower the kept limits, never raise them', ({ work }) => {
  const raised = build(['--out', join(work, 'never'), '--max-bundle-bytes', String(SIZE_LIMITS.bundleBytes + 1)]);
  assert.is(raised.status, 2, 'a usage error');
  assert.match(raised.stderr, `--max-bundle-bytes ${SIZE_LIMITS.bundleBytes + 1} is above the limit kept in build.mjs (${SIZE_LIMITS.bundleBytes}); it may only lower it`);
  const malformed = build(['--out', join(work, 'never'), '--max-zip-bytes', 'lots']);
  assert.is(malformed.status, 2, 'a usage error');
  assert.match(malformed.stderr, '--max-zip-bytes must be a whole number of bytes, got lots');
  assert.not.ok(existsSync(join(work, 'never')));
});

test('puts the handler module and the config files at the root of every zip', ({ work }) => {
  for (const zip of ZIPS) {
    const entries = unzipSync(readFileSync(join(work, 'first', zip)));
    const handler = zip.replace(/\.zip$/, '.js');
    assert.equal(Object.keys(entries).sort(), ['config.json', handler, 'ticket_owners.json', 'whitelist.json'].sort());
    const sample = readFileSync('deployment/terraform/accounts/sample/config/config.json');
    assert.ok(Buffer.from(entries['config.json'] ?? []).equals(sample));
  }
});

test('gives handlers that load on Node 20 and export lambda_handler', ({ work }) => {
  for (const zip of ZIPS) {
    const dir = join(work, 'unzipped', zip.replace(/\.zip$/, ''));
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(unzipSync(readFileSync(join(work, 'first', zip))))) writeFileSync(join(dir, name), content);
    const handler = join(dir, zip.replace(/\.zip$/, '.js'));
    const probe = spawnSync(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(handler)}).lambda_handler)`], { encoding: 'utf8', cwd: dir });
    assert.is(probe.stdout, 'function', probe.stderr);
  }
});

test('gives handlers whose load leaves Node\'s fetch (undici) unloaded: axios\'s fetch adapter and FormData probe are not bundled', ({ work }) => {
  for (const zip of ZIPS) {
    const handler = join(work, 'unzipped', zip.replace(/\.zip$/, ''), zip.replace(/\.zip$/, '.js'));
    const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(handler)}); process.stdout.write(JSON.stringify(process.moduleLoadList.filter((name) => /undici|fetch/.test(name))))`], { encoding: 'utf8' });
    assert.is(probe.stdout, '[]', `${zip}: ${probe.stdout} ${probe.stderr}`);
  }
});

test('gives handlers whose load leaves node:http2 unloaded, and axios with the JIRA and Slack clients unevaluated until a run needs them', ({ work }) => {
  for (const zip of ZIPS) {
    const handler = join(work, 'unzipped', zip.replace(/\.zip$/, ''), zip.replace(/\.zip$/, '.js'));
    // axios's http adapter loads zlib, follow-redirects assert: neither module of Node is loaded by anything else the Lambdas load.
    const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(handler)}); process.stdout.write(JSON.stringify(process.moduleLoadList.filter((name) => /^NativeModule (http2|zlib|assert)$/.test(name))))`], { encoding: 'utf8' });
    assert.is(probe.stdout, '[]', `${zip}: ${probe.stdout} ${probe.stderr}`);
  }
});

test('leaves the Security Hub client out of the reporting zip when the config has cloudtrails.securityhub off', ({ work }) => {
  const entries = unzipSync(readFileSync(join(work, 'first', 'create_cloudtrail_tickets.zip')));
  const bundle = Buffer.from(entries['create_cloudtrail_tickets.js'] ?? []).toString('utf8');
  assert.ok(bundle.includes('this build has no Security Hub export'), 'the stub takes the export\'s place');
  assert.not.ok(bundle.includes('/findings/import'), 'no Security Hub client');
});

test('copies temp_whitelist_issues.json when the config folder has it', ({ work }) => {
  const folder = writeConfigFolder({ 'config.json': sampleConfigJson(), 'temp_whitelist_issues.json': { cloudtrails: {} } });
  try {
    const result = build(['--config', folder.dir, '--out', join(work, 'temp'), '--only', 'describe_cloudtrails']);
    assert.is(result.status, 0, result.stderr);
    const entries = unzipSync(readFileSync(join(work, 'temp', 'describe_cloudtrails.zip')));
    assert.equal(Object.keys(entries).sort(), ['config.json', 'describe_cloudtrails.js', 'temp_whitelist_issues.json']);
  } finally {
    folder.remove();
  }
});

test('packs the JIRA CA bundle named by jira.ca_bundle at its relative path', ({ work }) => {
  const config = sampleConfigJson();
  (config.jira as Record<string, unknown>).ca_bundle = 'certs/corporate-ca.pem';
  const folder = writeConfigFolder({ 'config.json': config });
  try {
    mkdirSync(join(folder.dir, 'certs'));
    writeFileSync(join(folder.dir, 'certs', 'corporate-ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const result = build(['--config', folder.dir, '--out', join(work, 'ca'), '--only', 'create_cloudtrail_tickets']);
    assert.is(result.status, 0, result.stderr);
    const entries = unzipSync(readFileSync(join(work, 'ca', 'create_cloudtrail_tickets.zip')));
    assert.equal(Object.keys(entries).sort(), ['certs/corporate-ca.pem', 'config.json', 'create_cloudtrail_tickets.js']);
    assert.equal(Object.keys(JSON.parse(readFileSync(join(work, 'ca', 'config.sha256.json'), 'utf8')) as object), ['config.json']);
    const missing = writeConfigFolder({ 'config.json': { ...config, jira: { ...(config.jira as object), ca_bundle: 'nowhere.pem' } } });
    try {
      const failed = build(['--config', missing.dir, '--out', join(work, 'never'), '--only', 'create_cloudtrail_tickets']);
      assert.is.not(failed.status, 0);
      assert.match(failed.stderr, 'jira.ca_bundle nowhere.pem: no file at');
    } finally {
      missing.remove();
    }
  } finally {
    folder.remove();
  }
});

test('fails with one line naming a missing config folder', ({ work }) => {
  const result = build(['--config', '/nonexistent', '--out', join(work, 'never')]);
  assert.is.not(result.status, 0);
  assert.is(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, '/nonexistent');
});

test('fails naming the file and key of an invalid config', ({ work }) => {
  const config = sampleConfigJson();
  (config.cloudtrails as Record<string, unknown>).enabled = 'maybe';
  const folder = writeConfigFolder({ 'config.json': config });
  try {
    const result = build(['--config', folder.dir, '--out', join(work, 'never')]);
    assert.is.not(result.status, 0);
    assert.match(result.stderr, 'config.json: cloudtrails.enabled: expected a boolean or the string "true" or "false", found the string "maybe"');
  } finally {
    folder.remove();
  }
});

test.run();
