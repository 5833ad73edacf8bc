#!/usr/bin/env node
// `npm test`: the type check, the build (the black-box and Terraform tests use
// its zips), the uvu suites, and the Terraform checks, then one plain summary
// line `N passed, N failed`. Each step runs even when an earlier one failed,
// so one run shows everything that is broken.
import { spawnSync } from 'node:child_process';
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
 */
const steps = [
  { name: 'type check (tsc --noEmit)', kind: 'check', args: [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', join(root, 'tsconfig.json')] },
  { name: 'build (node build.mjs)', kind: 'check', args: [join(root, 'build.mjs')] },
  { name: 'unit and integration tests (uvu)', kind: 'uvu', args: ['--import', 'tsx', join(root, 'node_modules/uvu/bin.js'), 'test', '\\.test\\.ts$', '--no-color'] },
];
const terraformChecks = join(root, 'deployment/terraform/checks.mjs');
if (existsSync(terraformChecks)) steps.push({ name: 'Terraform checks', kind: 'summary', args: [terraformChecks] });

let passed = 0;
let failed = 0;
for (const step of steps) {
  console.log(`\n=== ${step.name}`);
  const started = Date.now();
  const result = spawnSync(node, step.args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  process.stdout.write(output);
  const ok = result.status === 0;
  let counts;
  if (step.kind === 'uvu') counts = uvuCounts(output, ok);
  else if (step.kind === 'summary') counts = summaryCounts(output, ok);
  else counts = ok ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  passed += counts.passed;
  failed += counts.failed;
  console.log(`--- ${step.name}: ${counts.passed} passed, ${counts.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

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
