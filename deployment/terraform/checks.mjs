#!/usr/bin/env node
// The Terraform checks of `npm test` (test/run.mjs runs this file and reads its
// last line): `terraform fmt -check -recursive`, then for every module and
// environment `terraform init`, `terraform validate` and `terraform test`
// (each init and validate is one check; each `run` block of the tests is one),
// and the check that a second build leaves every planned source_code_hash
// unchanged. Offline through the provider mirror /opt/tf-plugins when it
// exists. Prints `N passed, N failed` last; without terraform on PATH it says
// the checks were skipped, and why, and ends with `0 passed, 0 failed`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const terraformDir = dirname(fileURLToPath(import.meta.url));
const root = join(terraformDir, '..', '..');
const tmp = join(root, '.tmp', 'terraform');
const distDir = join(root, 'dist');
const rebuildDir = join(root, '.tmp', 'terraform-rebuild', 'dist');
const pluginMirror = '/opt/tf-plugins';
const ZIPS = ['initiate_to_desc_cloudtrails.zip', 'describe_cloudtrails.zip', 'create_cloudtrail_tickets.zip', 'realtime_to_desc_cloudtrails.zip'];
const CONCURRENCY = Math.max(2, availableParallelism());

let passed = 0;
let failed = 0;

function record(ok, label, output = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
  if (!ok && output.trim()) console.log(indent(output));
}

function indent(text) {
  return text.trimEnd().split('\n').map((line) => `     | ${line}`).join('\n');
}

function finish() {
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

const version = spawnSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
if (version.error || version.status !== 0) {
  const why = version.error?.code === 'ENOENT' ? 'terraform is not on PATH' : `terraform version failed: ${version.error?.message ?? version.stderr.trim()}`;
  console.log(`Terraform checks skipped: ${why}. Install Terraform 1.7 or newer (terraform test with mock providers) to run them.`);
  console.log('\n0 passed, 0 failed');
  process.exit(0);
}
console.log(version.stdout.split('\n')[0]);

mkdirSync(tmp, { recursive: true });
const env = {
  ...process.env,
  TF_IN_AUTOMATION: '1',
  TF_INPUT: '0',
  CHECKPOINT_DISABLE: '1',
  NO_COLOR: '1',
};
if (existsSync(pluginMirror)) {
  // Offline: the preinstalled provider, linked rather than copied into each .terraform/.
  const cliConfig = join(tmp, 'offline.tfrc');
  writeFileSync(cliConfig, [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = "${pluginMirror}"`,
    '    include = ["registry.terraform.io/hashicorp/*"]',
    '  }',
    '  direct {',
    '    exclude = ["registry.terraform.io/hashicorp/*"]',
    '  }',
    '}',
    '',
  ].join('\n'));
  env.TF_CLI_CONFIG_FILE = cliConfig;
  console.log(`provider: offline mirror ${pluginMirror}`);
} else {
  // Online: download the provider once for every folder.
  env.TF_PLUGIN_CACHE_DIR = join(tmp, 'plugin-cache');
  mkdirSync(env.TF_PLUGIN_CACHE_DIR, { recursive: true });
  console.log(`provider: registry, cached in ${relative(root, env.TF_PLUGIN_CACHE_DIR)}`);
}

function run(args, cwd, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn('terraform', args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('close', (status) => resolve({ ok: status === 0, output }));
    child.on('error', (err) => resolve({ ok: false, output: err.message }));
  });
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function buildZips(outDir, extraEnv = {}) {
  const result = spawnSync(process.execPath, [join(root, 'build.mjs'), '--out', outDir], { cwd: root, encoding: 'utf8', env: { ...process.env, ...extraEnv } });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function zipsPresent(dir) {
  return [...ZIPS, 'config.sha256.json'].every((file) => existsSync(join(dir, file)));
}

/** Touches the Lambda sources and the sample config, as an edit that changes nothing would. */
function touchSources() {
  const now = new Date();
  const touch = (dir, pattern) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { recursive: true })) {
      const path = join(dir, String(entry));
      if (pattern.test(path) && statSync(path).isFile()) utimesSync(path, now, now);
    }
  };
  for (const folder of ['lambdas', 'reporting', 'library', 'config']) touch(join(root, folder), /\.ts$/);
  touch(join(terraformDir, 'accounts', 'sample', 'config'), /\.json$/);
}

function folders() {
  const modules = readdirSync(join(terraformDir, 'modules'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(terraformDir, 'modules', entry.name, 'versions.tf')))
    .map((entry) => ({ dir: join(terraformDir, 'modules', entry.name), environment: false }));
  const environments = [];
  for (const entry of readdirSync(join(terraformDir, 'accounts'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(terraformDir, 'accounts', entry.name);
    if (existsSync(join(dir, 'versions.tf'))) environments.push({ dir, environment: true });
    for (const root of ['crossaccount', 'organization']) {
      if (existsSync(join(dir, root, 'versions.tf'))) environments.push({ dir: join(dir, root), environment: true });
    }
  }
  return [...modules, ...environments];
}

/** terraform init of one folder (run one at a time: the plugin cache is not safe for concurrent installs). */
async function initFolder({ dir, environment }) {
  // Environments commit their lock file, which init must not change.
  const initArgs = ['init', '-input=false', '-no-color', '-backend=false', ...(environment ? ['-lockfile=readonly'] : [])];
  const init = await run(initArgs, dir);
  return { ok: init.ok, label: `${relative(terraformDir, dir)}: terraform ${initArgs.join(' ')}`, output: init.output };
}

/** validate and test of one initialised folder; returns its report lines to print together. */
async function checkFolder({ dir }, rebuildReady) {
  const name = relative(terraformDir, dir);
  const results = [];
  const validate = await run(['validate', '-no-color'], dir);
  results.push({ ok: validate.ok, label: `${name}: terraform validate`, output: validate.output });

  const testDirs = [];
  if (existsSync(join(dir, 'tests'))) testDirs.push('tests');
  if (existsSync(join(dir, 'tests', 'rebuild'))) testDirs.push('tests/rebuild');
  for (const testDir of testDirs) {
    if (testDir === 'tests/rebuild' && !rebuildReady) {
      results.push({ ok: false, label: `${name}: terraform test -test-directory=${testDir} (no rebuilt zips to compare)`, output: '' });
      continue;
    }
    const test = await run(['test', '-no-color', `-test-directory=${testDir}`], dir);
    const runs = [...test.output.matchAll(/^\s+run "([^"]+)"\.\.\. (pass|fail|skip)/gm)];
    if (runs.length === 0) {
      results.push({ ok: false, label: `${name}: terraform test -test-directory=${testDir}`, output: test.output });
      continue;
    }
    // A skipped run (after an error in an earlier one) counts as failed; the
    // test output is shown once, with the first failure.
    let shown = false;
    for (const [, runName, outcome] of runs) {
      const ok = outcome === 'pass';
      results.push({ ok, label: `${name}: ${testDir} run "${runName}"${outcome === 'skip' ? ' (skipped)' : ''}`, output: ok || shown ? '' : test.output });
      if (!ok) shown = true;
    }
    if (!test.ok && runs.every(([, , outcome]) => outcome === 'pass')) {
      results.push({ ok: false, label: `${name}: terraform test -test-directory=${testDir} exited with an error`, output: test.output });
    }
  }
  return results;
}

async function main() {
  const fmt = await run(['fmt', '-check', '-recursive', '-diff', '-no-color'], terraformDir);
  record(fmt.ok, 'terraform fmt -check -recursive deployment/terraform', fmt.output);

  // The environments plan the zips of dist/ (npm test builds them first).
  if (!zipsPresent(distDir)) {
    const build = buildZips(distDir);
    record(build.ok && zipsPresent(distDir), 'dist/ lacked the zips: node build.mjs', build.output);
  }

  // A second build, in another time zone and after touching the sources,
  // must give the same zips, hence the same planned source_code_hash.
  rmSync(rebuildDir, { recursive: true, force: true });
  touchSources();
  const rebuild = buildZips(rebuildDir, { TZ: 'America/Los_Angeles' });
  let rebuildReady = false;
  if (!rebuild.ok || !zipsPresent(rebuildDir) || !zipsPresent(distDir)) {
    record(false, 'second build (TZ=America/Los_Angeles, touched sources) gives the same zips', rebuild.output);
  } else {
    const changed = ZIPS.filter((zip) => sha256(join(distDir, zip)) !== sha256(join(rebuildDir, zip)));
    record(changed.length === 0, 'second build (TZ=America/Los_Angeles, touched sources) gives the same zips', changed.length ? `changed: ${changed.join(', ')}` : '');
    rebuildReady = true;
  }

  const queue = [];
  for (const folder of folders()) {
    const init = await initFolder(folder);
    record(init.ok, init.label, init.output);
    if (init.ok) queue.push(folder);
  }

  // validate and test, a few folders at a time (each loads the AWS provider's schema).
  const reports = new Map();
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const folder = queue[next];
      next += 1;
      reports.set(folder.dir, await checkFolder(folder, rebuildReady));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  for (const folder of queue) {
    for (const result of reports.get(folder.dir) ?? []) record(result.ok, result.label, result.output);
  }
  finish();
}

await main();
