/**
 * One execution environment of a built Lambda alone in its own Node process,
 * as Lambda runs it: the bundle loaded once, then several events one after
 * another (the first cold, the others warm), with the environment the
 * nodejs22.x runtime gives. Gives the durations and what one environment's
 * process weighs at its peak (maxRSS, heap), which the in-process fleet
 * (lambdaFleet.ts) cannot show.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lambdaEnvironment, runProcess, type BuiltLambda } from '../helpers/builtLambdas.ts';

const RUNNER_SOURCE = `'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const [moduleName, eventsFile, functionArn, timeoutMs] = process.argv.slice(2);
const started = Date.now();
const handler = require(join(process.env.LAMBDA_TASK_ROOT, moduleName + '.js')).lambda_handler;
const loadMs = Date.now() - started;
const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
const functionName = functionArn.split(':')[6];
(async () => {
  const invocations = [];
  for (const [index, event] of events.entries()) {
    const began = Date.now();
    const context = {
      callbackWaitsForEmptyEventLoop: true, functionName, functionVersion: '$LATEST', invokedFunctionArn: functionArn,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, awsRequestId: 'one-environment-' + index,
      logGroupName: '/aws/lambda/' + functionName, logStreamName: 'one-environment',
      getRemainingTimeInMillis: () => Math.max(0, Number(timeoutMs) - (Date.now() - began)),
      done: () => undefined, fail: () => undefined, succeed: () => undefined,
    };
    try {
      await handler(event, context);
      invocations.push({ ms: Date.now() - began + (index === 0 ? loadMs : 0), ok: true });
    } catch (err) {
      invocations.push({ ms: Date.now() - began + (index === 0 ? loadMs : 0), ok: false, error: String(err && err.message) });
    }
  }
  const usage = process.resourceUsage();
  const outcome = { load_ms: loadMs, invocations, max_rss_kb: usage.maxRSS, heap_used_kb: Math.round(process.memoryUsage().heapUsed / 1024), cpu_ms: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
  process.stdout.write(JSON.stringify({ one_environment: outcome }) + '\\n');
  process.exit(0);
})();
`;

export interface OneEnvironmentRun {
  loadMs: number;
  /** Per event, in order; the first includes loading the bundle. */
  invocations: Array<{ ms: number; ok: boolean; error?: string }>;
  maxRssKiB: number;
  heapUsedKiB: number;
  cpuMs: number;
}

export async function runOneEnvironment(input: { lambda: BuiltLambda; events: readonly unknown[]; functionArn: string; work: string; env: Record<string, string>; memoryMb?: number }): Promise<OneEnvironmentRun> {
  const runner = join(input.work, 'one-environment-runner.cjs');
  writeFileSync(runner, RUNNER_SOURCE);
  const eventsFile = join(input.work, 'one-environment-events.json');
  writeFileSync(eventsFile, JSON.stringify(input.events));
  const env = lambdaEnvironment({ runner, lambda: input.lambda, functionArn: input.functionArn, ...(input.memoryMb === undefined ? {} : { memoryMb: input.memoryMb }), env: input.env });
  const result = await runProcess(process.execPath, [runner, input.lambda.name, eventsFile, input.functionArn, '300000'], { cwd: input.lambda.taskRoot, env, timeoutMs: 600_000 });
  const line = result.stdout.split('\n').find((text) => text.startsWith('{"one_environment"'));
  if (result.code !== 0 || line === undefined) throw new Error(`one environment of ${input.lambda.name} failed (exit ${result.code}): ${result.stderr.slice(0, 2000)}`);
  const outcome = (JSON.parse(line) as { one_environment: { load_ms: number; invocations: OneEnvironmentRun['invocations']; max_rss_kb: number; heap_used_kb: number; cpu_ms: number } }).one_environment;
  return { loadMs: outcome.load_ms, invocations: outcome.invocations, maxRssKiB: outcome.max_rss_kb, heapUsedKiB: outcome.heap_used_kb, cpuMs: outcome.cpu_ms };
}
