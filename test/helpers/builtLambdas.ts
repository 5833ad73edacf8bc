/**
 * The built Lambda zips, run as Lambda runs them: `node build.mjs` into a
 * folder outside the repository, each zip unpacked into its own task root, and
 * a handler invoked in a fresh Node process (`invokeBuiltHandler`) with the
 * environment and context the nodejs22.x runtime gives.
 *
 * Unpacked outside the repository on purpose: the repository's package.json
 * says `"type": "module"`, which would make a CommonJS bundle unpacked under
 * it load as ESM, with empty exports.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BuiltLambda {
  name: string;
  zipPath: string;
  zipBytes: number;
  /** The unpacked zip: LAMBDA_TASK_ROOT. */
  taskRoot: string;
  /** The files at the zip's root. */
  files: string[];
}

export interface ProcessOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after `timeoutMs`), collecting its output. */
export function runProcess(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ProcessOutcome> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/**
 * `node build.mjs --out <work>/dist --only <names> --config <configDir>`, then
 * each zip unpacked into `<work>/<name>/`. `work` must lie outside the
 * repository (see the file comment).
 */
export async function buildAndUnpack(options: { names: readonly string[]; configDir: string; work: string }): Promise<Record<string, BuiltLambda>> {
  const work = resolve(options.work);
  if (!relative(REPOSITORY_ROOT, work).startsWith('..')) {
    throw new Error(`builtLambdas: unpack outside the repository (its package.json makes .js files ESM), not in ${work}`);
  }
  const out = join(work, 'dist');
  const build = await runProcess(process.execPath, [join(REPOSITORY_ROOT, 'build.mjs'), '--out', out, '--only', options.names.join(','), '--config', options.configDir], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    timeoutMs: 120_000,
  });
  if (build.code !== 0) throw new Error(`build.mjs failed (exit ${build.code}): ${build.stderr}`);
  const built: Record<string, BuiltLambda> = {};
  for (const name of options.names) {
    const zipPath = join(out, `${name}.zip`);
    const zip = readFileSync(zipPath);
    const taskRoot = join(work, name);
    mkdirSync(taskRoot, { recursive: true });
    const entries = unzipSync(zip);
    for (const [file, content] of Object.entries(entries)) writeFileSync(join(taskRoot, file), content);
    built[name] = { name, zipPath, zipBytes: zip.length, taskRoot, files: Object.keys(entries).sort() };
  }
  return built;
}

/**
 * A CommonJS script that does what the Lambda Node.js runtime does for one
 * invocation: requires `<LAMBDA_TASK_ROOT>/<module>.js`, calls the exported
 * handler with the event and a context, and writes the outcome as one JSON
 * line `{"runner_outcome": {...}}` on stdout, then exits (0 when the handler
 * returned, 1 when it threw or could not be loaded). Lambda does not wait for
 * the event loop after an async handler's promise settles; neither does this.
 */
const RUNNER_SOURCE = `'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const [handlerString, eventFile, requestId, functionArn, timeoutMs] = process.argv.slice(2);
const dot = handlerString.lastIndexOf('.');
const moduleName = handlerString.slice(0, dot);
const exportName = handlerString.slice(dot + 1);
const started = Date.now();
const describe = (err) => (err instanceof Error ? { name: err.name, message: err.message } : { name: typeof err, message: String(err) });
let loadMs;
const finish = (outcome) => {
  const memory = process.memoryUsage();
  const usage = process.resourceUsage();
  const measures = { duration_ms: Date.now() - started, load_ms: loadMs, max_rss_kb: usage.maxRSS, heap_used_kb: Math.round(memory.heapUsed / 1024), cpu_ms: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
  process.stdout.write(JSON.stringify({ runner_outcome: { ...outcome, ...measures } }) + '\\n');
  process.exit(outcome.ok ? 0 : 1);
};
const functionName = functionArn.split(':')[6];
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: functionArn,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || '128',
  awsRequestId: requestId,
  logGroupName: '/aws/lambda/' + functionName,
  logStreamName: '2026/11/26/[$LATEST]' + requestId.replace(/-/g, ''),
  getRemainingTimeInMillis: () => Math.max(0, Number(timeoutMs) - (Date.now() - started)),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};
let handler;
try {
  handler = require(join(process.env.LAMBDA_TASK_ROOT, moduleName + '.js'))[exportName];
  loadMs = Date.now() - started;
} catch (err) {
  finish({ ok: false, phase: 'init', error: describe(err) });
}
if (typeof handler !== 'function') finish({ ok: false, phase: 'init', error: { name: 'Runtime.HandlerNotFound', message: handlerString + ' is undefined or not exported' } });
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
Promise.resolve()
  .then(() => handler(event, context))
  .then((result) => finish({ ok: true, result: result === undefined ? null : result }), (err) => finish({ ok: false, phase: 'invoke', error: describe(err) }));
`;

/** Writes the runner script into `work` (outside the repository) and gives its path. */
export function writeLambdaRunner(work: string): string {
  const path = join(work, 'lambda-runner.cjs');
  writeFileSync(path, RUNNER_SOURCE);
  return path;
}

export interface InvocationOutcome extends ProcessOutcome {
  /** What the runner reported; undefined when the process died before reporting. */
  outcome: {
    ok: boolean;
    phase?: 'init' | 'invoke';
    result?: unknown;
    error?: { name: string; message: string };
    /** From the start of the runner to the handler's end, the module load included. */
    duration_ms: number;
    /** Loading the handler module (require). */
    load_ms?: number;
    /** The process's peak resident memory (KiB). */
    max_rss_kb: number;
    heap_used_kb: number;
    /** CPU time of the process (user + system) from its start to the handler's end, ms (the one-shot runner only). */
    cpu_ms?: number;
  } | undefined;
  /** Every JSON log line the process wrote (stdout and stderr), in order per stream. */
  logs: Array<Record<string, unknown>>;
}

export interface Invocation {
  runner: string;
  lambda: BuiltLambda;
  event: unknown;
  /** The function ARN of the context (its account is the account the Lambda runs in). */
  functionArn: string;
  requestId: string;
  /** The function's timeout, for getRemainingTimeInMillis (default 300 s). */
  timeoutMs?: number;
  memoryMb?: number;
  /** Variables beyond those the runtime sets (credentials, endpoints, SNS_ARN). */
  env: Record<string, string>;
}

/** Where a built Lambda runs: what invokeBuiltHandler and startWarmLambda need besides the event. */
export type LambdaSetting = Omit<Invocation, 'event' | 'requestId'>;

/**
 * The environment the nodejs22.x runtime sets (region, task root, function
 * name, handler string, UTC) plus the setting's `env`, and nothing inherited
 * from the test's own environment but PATH.
 */
export function lambdaEnvironment(setting: LambdaSetting): NodeJS.ProcessEnv {
  const { lambda, functionArn } = setting;
  const functionName = functionArn.split(':')[6] ?? lambda.name;
  const region = functionArn.split(':')[3] ?? 'eu-west-1';
  return {
    PATH: process.env.PATH,
    HOME: dirname(setting.runner),
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(setting.memoryMb ?? 256),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: lambda.taskRoot,
    _HANDLER: `${lambda.name}.lambda_handler`,
    // No shared AWS config or credentials files: only what Lambda gives.
    AWS_CONFIG_FILE: join(dirname(setting.runner), 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dirname(setting.runner), 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...setting.env,
  };
}

/** The runner's outcome line and every other JSON log line of some output. */
function parseRunnerOutput(text: string): { outcome: InvocationOutcome['outcome']; logs: Array<Record<string, unknown>> } {
  const logs: Array<Record<string, unknown>> = [];
  let outcome: InvocationOutcome['outcome'];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null) continue;
    const record = parsed as Record<string, unknown>;
    if ('runner_outcome' in record) outcome = record.runner_outcome as InvocationOutcome['outcome'];
    else logs.push(record);
  }
  return { outcome, logs };
}

/**
 * One invocation of a built handler in a fresh Node process (a cold start),
 * with the environment the nodejs22.x runtime sets (see lambdaEnvironment).
 */
export async function invokeBuiltHandler(invocation: Invocation): Promise<InvocationOutcome> {
  const { lambda, functionArn } = invocation;
  const eventFile = join(dirname(invocation.runner), `event-${invocation.requestId}.json`);
  writeFileSync(eventFile, JSON.stringify(invocation.event));
  const handlerString = `${lambda.name}.lambda_handler`;
  const result = await runProcess(process.execPath, [invocation.runner, handlerString, eventFile, invocation.requestId, functionArn, String(invocation.timeoutMs ?? 300_000)], {
    cwd: lambda.taskRoot,
    env: lambdaEnvironment(invocation),
    timeoutMs: 60_000,
  });
  return { ...result, ...parseRunnerOutput(`${result.stdout}\n${result.stderr}`) };
}

/**
 * A warm execution environment: one Node process that loads the handler once
 * and then takes invocations one after another, as Lambda reuses a warm
 * environment (module-scope clients, config and caches live on). Each
 * invocation is one JSON line on the process's stdin; the runner answers with
 * the invocation's log lines, then its `{"runner_outcome": ...}` line.
 */
const WARM_RUNNER_SOURCE = `'use strict';
const { join } = require('node:path');
const readline = require('node:readline');
const [handlerString, functionArn, timeoutMs] = process.argv.slice(2);
const dot = handlerString.lastIndexOf('.');
const describe = (err) => (err instanceof Error ? { name: err.name, message: err.message } : { name: typeof err, message: String(err) });
const write = (outcome) => process.stdout.write(JSON.stringify({ runner_outcome: { ...outcome, max_rss_kb: process.resourceUsage().maxRSS, heap_used_kb: Math.round(process.memoryUsage().heapUsed / 1024) } }) + '\\n');
const functionName = functionArn.split(':')[6];
let handler;
let initError;
const loadStarted = Date.now();
try {
  handler = require(join(process.env.LAMBDA_TASK_ROOT, handlerString.slice(0, dot) + '.js'))[handlerString.slice(dot + 1)];
  if (typeof handler !== 'function') initError = { name: 'Runtime.HandlerNotFound', message: handlerString + ' is undefined or not exported' };
} catch (err) {
  initError = describe(err);
}
let loadMs = Date.now() - loadStarted;
const queue = [];
let busy = false;
let closed = false;
async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length > 0) {
    const { event, requestId } = queue.shift();
    const started = Date.now();
    const context = {
      callbackWaitsForEmptyEventLoop: true, functionName, functionVersion: '$LATEST', invokedFunctionArn: functionArn,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || '128', awsRequestId: requestId,
      logGroupName: '/aws/lambda/' + functionName, logStreamName: '2026/11/26/[$LATEST]warm',
      getRemainingTimeInMillis: () => Math.max(0, Number(timeoutMs) - (Date.now() - started)),
      done: () => undefined, fail: () => undefined, succeed: () => undefined,
    };
    const measures = () => ({ duration_ms: Date.now() - started, load_ms: loadMs });
    if (initError) {
      write({ ok: false, phase: 'init', error: initError, ...measures() });
      continue;
    }
    try {
      const result = await handler(event, context);
      write({ ok: true, result: result === undefined ? null : result, ...measures() });
    } catch (err) {
      write({ ok: false, phase: 'invoke', error: describe(err), ...measures() });
    }
    loadMs = undefined;
  }
  busy = false;
  if (closed) process.exit(0);
}
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => { queue.push(JSON.parse(line)); void pump(); });
lines.on('close', () => { closed = true; if (!busy) process.exit(0); });
`;

export interface WarmLambda {
  /** One invocation in the warm process (invocations queue up: one at a time, as one environment takes them). */
  invoke(event: unknown, requestId: string): Promise<InvocationOutcome>;
  /** Ends the process (after the invocations queued). */
  stop(): Promise<void>;
}

/** Starts a warm execution environment of a built handler (see WARM_RUNNER_SOURCE). */
export function startWarmLambda(setting: LambdaSetting): WarmLambda {
  const runner = join(dirname(setting.runner), 'lambda-warm-runner.cjs');
  writeFileSync(runner, WARM_RUNNER_SOURCE);
  const child = spawn(process.execPath, [runner, `${setting.lambda.name}.lambda_handler`, setting.functionArn, String(setting.timeoutMs ?? 300_000)], {
    cwd: setting.lambda.taskRoot,
    env: lambdaEnvironment(setting),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiting: Array<{ resolve: (outcome: InvocationOutcome) => void; reject: (err: Error) => void }> = [];
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitedPromise = new Promise<void>((resolve) => child.on('close', (code, signal) => {
    exited = { code, signal };
    for (const pending of waiting.splice(0)) pending.reject(new Error(`the warm ${setting.lambda.name} process ended (exit ${code}, ${signal ?? 'no signal'}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    resolve();
  }));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    let end = stdout.indexOf('{"runner_outcome":');
    while (end >= 0) {
      const lineEnd = stdout.indexOf('\n', end);
      if (lineEnd < 0) break;
      const text = stdout.slice(0, lineEnd + 1);
      stdout = stdout.slice(lineEnd + 1);
      const invocationStderr = stderr;
      stderr = '';
      const parsed = parseRunnerOutput(`${text}\n${invocationStderr}`);
      waiting.shift()?.resolve({ code: null, signal: null, stdout: text, stderr: invocationStderr, ...parsed });
      end = stdout.indexOf('{"runner_outcome":');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return {
    invoke: (event, requestId) => new Promise<InvocationOutcome>((resolve, reject) => {
      if (exited !== undefined) {
        reject(new Error(`the warm ${setting.lambda.name} process has ended (exit ${exited.code})`));
        return;
      }
      waiting.push({ resolve, reject });
      child.stdin.write(`${JSON.stringify({ event, requestId })}\n`);
    }),
    stop: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
