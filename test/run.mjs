#!/usr/bin/env node
// `npm test`: the type check, the build (the black-box and Terraform tests use
// its zips), the uvu suites, and the Terraform checks, then one plain summary
// line `N passed, N failed`. Each step runs even when an earlier one failed,
// so one run shows everything that is broken.
//
// The steps overlap to use both cores: the type check runs beside everything;
// the uvu suites and the Terraform checks start together once the build is
// done (the Terraform checks plan its zips). Each step's output is printed
// whole, in the order of the list, as soon as it and the steps before it end.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
  NO_COLOR: '1',
};
const node = process.execPath;

/**
 * kind "check": one pass or fail by exit code.
 * kind "uvu": counts from uvu's Total/Passed/Skipped lines.
 * kind "summary": counts from the step's own `N passed, N failed` line.
 * after: the step that must end before this one starts.
 */
const steps = [
  { name: 'type check (tsc --noEmit)', kind: 'check', args: [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', join(root, 'tsconfig.json')] },
  { name: 'build (node build.mjs)', kind: 'check', args: [join(root, 'build.mjs')] },
  { name: 'unit and integration tests (uvu)', kind: 'uvu', after: 'build (node build.mjs)', args: ['--import', 'tsx', join(root, 'node_modules/uvu/bin.js'), 'test', '\\.test\\.ts$', '--no-color'] },
];
const terraformChecks = join(root, 'deployment/terraform/checks.mjs');
if (existsSync(terraformChecks)) steps.push({ name: 'Terraform checks', kind: 'summary', after: 'build (node build.mjs)', args: [terraformChecks] });

const started = Date.now();
const runs = new Map();
for (const step of steps) {
  const before = step.after === undefined ? Promise.resolve() : runs.get(step.after);
  runs.set(step.name, before.then(() => runStep(step)));
}

let passed = 0;
let failed = 0;
for (const step of steps) {
  const { output, ok, seconds } = await runs.get(step.name);
  console.log(`\n=== ${step.name}`);
  process.stdout.write(output);
  let counts;
  if (step.kind === 'uvu') counts = uvuCounts(output, ok);
  else if (step.kind === 'summary') counts = summaryCounts(output, ok);
  else counts = ok ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  passed += counts.passed;
  failed += counts.failed;
  console.log(`--- ${step.name}: ${counts.passed} passed, ${counts.failed} failed (${seconds.toFixed(1)} s)`);
}

console.log(`\nall steps: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

/** Runs one step to its end; resolves with its whole output, whether it passed, and how long it took. */
function runStep(step) {
  return new Promise((resolve) => {
    const begun = Date.now();
    const child = spawn(node, step.args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    const done = (ok, extra = '') => resolve({ output: Buffer.concat(chunks).toString('utf8') + extra, ok, seconds: (Date.now() - begun) / 1000 });
    child.on('error', (err) => done(false, `${err.message}\n`));
    child.on('close', (status) => done(status === 0));
  });
}

function uvuCounts(output, ok) {
  const total = lastNumber(output, /Total:\s+(\d+)/g);
  const passedCount = lastNumber(output, /Passed:\s+(\d+)/g);
  const skipped = lastNumber(output, /Skipped:\s+(\d+)/g) ?? 0;
  // A crash before uvu's summary (an import error, say) is one failure.
  if (total === undefined || passedCount === undefined) return { passed: 0, failed: 1 };
  const failures = total - passedCount - skipped;
  return { passed: passedCount, failed: failures > 0 ? failures : ok ? 0 : 1 };
}

function summaryCounts(output, ok) {
  const match = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)].at(-1);
  if (!match) return { passed: 0, failed: 1 };
  const counts = { passed: Number(match[1]), failed: Number(match[2]) };
  if (!ok && counts.failed === 0) counts.failed = 1;
  return counts;
}

function lastNumber(text, pattern) {
  const matches = [...text.matchAll(pattern)];
  const last = matches.at(-1);
  return last ? Number(last[1]) : undefined;
}
