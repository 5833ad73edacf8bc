/**
 * `npm run bench`: what an operator cares about, measured on the BUILT zips.
 *
 *   1. Cold start: the time to load each built bundle in a fresh `node`
 *      process (median of --cold-runs), and the zip sizes.
 *   2. Full scan: the initiation and describe bundles loaded once in this
 *      process; the initiation publishes one message per account, then every
 *      message is handed to describe_cloudtrails.lambda_handler at once, as
 *      many Lambdas would take them, against the AWS wire fake (per-call
 *      latency, CloudTrail's 10 calls/s per account and region enforced) and
 *      dynalite (with a latency), both in a separate process. Prints the
 *      scan's wall time, per-account times, CloudTrail calls, the peak calls
 *      per second of any account and region, throttled calls, DynamoDB writes,
 *      peak RSS and heap, and what Hammer's chain would need (hammerChainModel.ts).
 *   3. Rescan with nothing changed: DynamoDB writes must be 0.
 *
 * These are measurements, not tests: the command prints them and exits 0
 * (non-zero only when it cannot run at all).
 *
 *   npm run bench [-- --accounts 50 --regions 17 --aws-latency-ms 50 --dynamo-latency-ms 8 --sns-hop-ms 100 --cold-runs 5 --seed 7]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { SNSEvent } from 'aws-lambda';
import { snsEventFor, type PublishedMessage } from '../fakes/awsWireFake.ts';
import { buildAndUnpack, invokeBuiltHandler, runProcess, writeLambdaRunner, type BuiltLambda } from '../helpers/builtLambdas.ts';
import { MemorySampler, median, megabytes, percentile, renderTable } from './benchReport.ts';
import { MAIN_REGION, benchConfigJson, generateWorld, type BenchWorld } from './benchWorld.ts';
import { estimateHammerChain } from './hammerChainModel.ts';
import { runRealtimeBench } from './realtimeBench.ts';
import type { WorldOptions, WorldReply, WorldRequest, WorldStats } from './worldServer.ts';

const LAMBDAS = ['initiate_to_desc_cloudtrails', 'describe_cloudtrails', 'create_cloudtrail_tickets'] as const;
const TIMEOUT_MS = 300_000;

interface Options {
  accounts: number;
  regions: number;
  awsLatencyMs: number;
  dynamoLatencyMs: number;
  snsHopMs: number;
  coldRuns: number;
  soloAccounts: number;
  seed: number;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '50' },
      regions: { type: 'string', default: '17' },
      'aws-latency-ms': { type: 'string', default: '50' },
      'dynamo-latency-ms': { type: 'string', default: '8' },
      'sns-hop-ms': { type: 'string', default: '100' },
      'cold-runs': { type: 'string', default: '5' },
      'solo-accounts': { type: 'string', default: '5' },
      seed: { type: 'string', default: '7' },
    },
    strict: true,
  });
  const number = (name: keyof typeof values, min: number): number => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}, got ${String(values[name])}`);
    return value;
  };
  return {
    accounts: number('accounts', 1),
    regions: number('regions', 1),
    awsLatencyMs: number('aws-latency-ms', 0),
    dynamoLatencyMs: number('dynamo-latency-ms', 0),
    snsHopMs: number('sns-hop-ms', 0),
    coldRuns: number('cold-runs', 1),
    soloAccounts: number('solo-accounts', 1),
    seed: number('seed', 0),
  };
}

/** The benchmark's AWS side in its own process (worldServer.ts). */
class WorldProcess {
  private readonly child: ChildProcess;
  private pending: Array<(reply: WorldReply) => void> = [];

  constructor() {
    this.child = fork(join(dirname(fileURLToPath(import.meta.url)), 'worldServer.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (reply: WorldReply) => this.pending.shift()?.(reply));
  }

  ask(request: WorldRequest): Promise<WorldReply> {
    return new Promise((resolve, reject) => {
      this.pending.push((reply) => (reply.type === 'failed' ? reject(new Error(`world: ${reply.error}`)) : resolve(reply)));
      this.child.send(request);
    });
  }

  async stats(): Promise<WorldStats> {
    const reply = await this.ask({ type: 'stats' });
    if (reply.type !== 'stats') throw new Error(`world: unexpected ${reply.type}`);
    return reply.stats;
  }

  async stop(): Promise<void> {
    if (this.child.connected) await this.ask({ type: 'stop' });
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
  }
}

/** Log lines of the in-process Lambdas, counted by level instead of printed (they would drown the tables). */
class LambdaLogSink {
  readonly byLevel: Record<string, number> = {};
  /** WARN and ERROR lines by message and error code. */
  readonly problems = new Map<string, number>();
  private readonly restore: Array<() => void> = [];

  install(): void {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
      stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
        const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
        if (!text.startsWith('{"level"')) return original(chunk, ...rest);
        const level = /^\{"level":"(\w+)"/.exec(text)?.[1] ?? 'UNKNOWN';
        this.byLevel[level] = (this.byLevel[level] ?? 0) + 1;
        if (level === 'WARN' || level === 'ERROR') {
          const code = /"error_code":"([^"]*)"/.exec(text)?.[1]?.replace(/\d+/g, "N") ?? "none";
          const message = /"message":"([^"]*)"/.exec(text)?.[1] ?? '';
          const key = `${level} ${message} (${code})`;
          this.problems.set(key, (this.problems.get(key) ?? 0) + 1);
        }
        const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
        callback?.();
        return true;
      }) as typeof stream.write;
      this.restore.push(() => {
        stream.write = original as typeof stream.write;
      });
    }
  }

  uninstall(): void {
    for (const undo of this.restore) undo();
    this.restore.length = 0;
  }
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

function loadHandler(lambda: BuiltLambda): Handler {
  const handler = (createRequire(import.meta.url)(join(lambda.taskRoot, `${lambda.name}.js`)) as { lambda_handler?: unknown }).lambda_handler;
  if (typeof handler !== 'function') throw new Error(`${lambda.name}.js exports no lambda_handler`);
  return handler as Handler;
}

let invocationCounter = 0;
function lambdaContext(functionName: string, accountId: string): Record<string, unknown> {
  invocationCounter += 1;
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${MAIN_REGION}:${accountId}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `bench-${String(invocationCounter).padStart(6, '0')}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `bench/${invocationCounter}`,
    getRemainingTimeInMillis: () => Math.max(0, TIMEOUT_MS - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Load time of a bundle in fresh `node` processes: the require itself, and the whole process. */
async function coldStart(lambda: BuiltLambda, runs: number): Promise<{ requireMs: number; processMs: number }> {
  const probe = 'const { performance } = require("node:perf_hooks"); const t = performance.now(); require(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  const requireTimes: number[] = [];
  const processTimes: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const result = await runProcess(process.execPath, ['-e', probe, join(lambda.taskRoot, `${lambda.name}.js`)], {
      cwd: lambda.taskRoot,
      env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LAMBDA_TASK_ROOT: lambda.taskRoot },
    });
    processTimes.push(performance.now() - started);
    if (result.code !== 0) throw new Error(`loading ${lambda.name}.js failed: ${result.stderr}`);
    requireTimes.push(Number(result.stdout));
  }
  return { requireMs: median(requireTimes), processMs: median(processTimes) };
}

/** Waits out CloudTrail's rate window (one second) and a little more. */
function quietSecond(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1500));
}

interface ScanRun {
  wallMs: number;
  perAccountMs: number[];
  failed: number;
  stats: WorldStats;
  peakRss: number;
  peakHeapUsed: number;
  /** CPU time of this process (the Lambda code) during the scan, ms. */
  lambdaCpuMs: number;
}

async function scan(world: WorldProcess, handler: Handler, events: SNSEvent[], masterAccountId: string): Promise<ScanRun> {
  await world.ask({ type: 'reset' });
  const sampler = new MemorySampler();
  sampler.start();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const outcomes = await Promise.all(events.map(async (event) => {
    const began = performance.now();
    try {
      await handler(event, lambdaContext('hammer-describe-cloudtrails', masterAccountId));
      return { ms: performance.now() - began, ok: true };
    } catch {
      return { ms: performance.now() - began, ok: false };
    }
  }));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  sampler.stop();
  return {
    wallMs,
    perAccountMs: outcomes.map((outcome) => outcome.ms),
    failed: outcomes.filter((outcome) => !outcome.ok).length,
    stats: await world.stats(),
    peakRss: sampler.peakRss,
    peakHeapUsed: sampler.peakHeapUsed,
    lambdaCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

function expectedIssues(world: BenchWorld): number {
  return Object.values(world.expected).reduce((sum, regions) => sum + Object.values(regions).filter((region) => region.issue).length, 0);
}

interface SoloRun {
  durationMs: number;
  loadMs: number;
  maxRssMiB: number;
}

/**
 * One account's message handled as one Lambda handles it: a fresh node
 * process per invocation (cold: bundle load, config, AssumeRole, new clients).
 */
async function soloAccounts(lambda: BuiltLambda, events: SNSEvent[], lambdaEnv: Record<string, string>, masterAccountId: string, work: string): Promise<SoloRun[]> {
  const runner = writeLambdaRunner(work);
  const runs: SoloRun[] = [];
  for (const [index, event] of events.entries()) {
    if (index > 0) await quietSecond();
    const run = await invokeBuiltHandler({
      runner,
      lambda,
      event,
      functionArn: `arn:aws:lambda:${MAIN_REGION}:${masterAccountId}:function:hammer-describe-cloudtrails`,
      requestId: `bench-solo-${index}`,
      env: lambdaEnv,
    });
    if (run.outcome?.ok !== true) throw new Error(`solo invocation failed: ${run.stdout}\n${run.stderr}`);
    runs.push({ durationMs: run.outcome.duration_ms, loadMs: run.outcome.load_ms ?? Number.NaN, maxRssMiB: run.outcome.max_rss_kb / 1024 });
  }
  return runs;
}

async function main(): Promise<void> {
  const options = parseOptions();
  const world = generateWorld({ accounts: options.accounts, regions: options.regions, seed: options.seed });
  const work = mkdtempSync(join(tmpdir(), 'hammer-bench-'));
  const logs = new LambdaLogSink();
  let worldProcess: WorldProcess | undefined;
  const load = loadavg().map((value) => value.toFixed(2)).join(' ');
  console.log(`hammer-cloudtrails benchmarks: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${load}`);
  try {
    const configDir = join(work, 'config');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'config.json'), JSON.stringify(benchConfigJson(world), null, 2));
    writeFileSync(join(configDir, 'whitelist.json'), JSON.stringify({ cloudtrails: {} }));
    writeFileSync(join(configDir, 'ticket_owners.json'), JSON.stringify({}));
    const built = await buildAndUnpack({ names: LAMBDAS, configDir, work });
    const describeLambda = built.describe_cloudtrails as BuiltLambda;

    // 1. Cold start.
    const coldRows = [];
    for (const name of LAMBDAS) {
      const lambda = built[name] as BuiltLambda;
      const cold = await coldStart(lambda, options.coldRuns);
      const bundleBytes = statSync(join(lambda.taskRoot, `${name}.js`)).size;
      coldRows.push([name, Math.round(lambda.zipBytes / 1024), Math.round(bundleBytes / 1024), cold.requireMs, cold.processMs]);
    }

    // 2. Full scan through the built bundles, loaded in this process.
    worldProcess = new WorldProcess();
    const worldOptions: WorldOptions = { accounts: options.accounts, regions: options.regions, seed: options.seed, awsLatencyMs: options.awsLatencyMs, dynamoLatencyMs: options.dynamoLatencyMs, cloudTrailCallsPerSecond: 10 };
    const ready = await worldProcess.ask({ type: 'start', options: worldOptions });
    if (ready.type !== 'ready') throw new Error(`world: unexpected ${ready.type}`);
    const lambdaEnv: Record<string, string> = {
      AWS_ACCESS_KEY_ID: 'ASIAQBENCHLAMBDA0001',
      AWS_SECRET_ACCESS_KEY: 'YmVuY2gtbGFtYmRhLXJvbGUtc2VjcmV0',
      AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEBENCHtoken',
      AWS_ENDPOINT_URL_CLOUDTRAIL: ready.awsEndpoint,
      AWS_ENDPOINT_URL_STS: ready.awsEndpoint,
      AWS_ENDPOINT_URL_SNS: ready.awsEndpoint,
      AWS_ENDPOINT_URL_EC2: ready.awsEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: ready.dynamoEndpoint,
    };
    Object.assign(process.env, lambdaEnv, {
      AWS_REGION: MAIN_REGION,
      AWS_DEFAULT_REGION: MAIN_REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      SNS_ARN: world.topicArn,
    });
    logs.install();

    process.env.LAMBDA_TASK_ROOT = (built.initiate_to_desc_cloudtrails as BuiltLambda).taskRoot;
    const initiate = loadHandler(built.initiate_to_desc_cloudtrails as BuiltLambda);
    const initiationStarted = performance.now();
    await initiate({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, lambdaContext('hammer-initiate-cloudtrails', world.masterAccountId));
    const initiationMs = performance.now() - initiationStarted;
    const published = await worldProcess.ask({ type: 'published' });
    if (published.type !== 'published') throw new Error(`world: unexpected ${published.type}`);
    const events = published.messages.map((message) => snsEventFor({ ...message, publishedAt: new Date(message.publishedAt) } satisfies PublishedMessage));

    process.env.LAMBDA_TASK_ROOT = describeLambda.taskRoot;
    const describe = loadHandler(describeLambda);
    const full = await scan(worldProcess, describe, events, world.masterAccountId);
    // 3. The same scan again, nothing changed. Each phase starts once CloudTrail's
    // one-second windows of the one before have passed, so no phase is throttled
    // for, or measured with, the calls of another.
    await quietSecond();
    const rescan = await scan(worldProcess, describe, events, world.masterAccountId);
    logs.uninstall();

    // 4. A few accounts, each alone in a fresh process, as separate Lambdas would run them.
    // The busy account (five multi-region trails) first, then the accounts after it.
    const accountOf = (event: SNSEvent): string => (JSON.parse(event.Records[0]?.Sns.Message ?? '{}') as { account_id?: string }).account_id ?? '';
    const soloEvents = [...events].sort((a, b) => accountOf(a).localeCompare(accountOf(b))).filter((event) => accountOf(event) !== world.masterAccountId).slice(0, options.soloAccounts);
    await quietSecond();
    await worldProcess.ask({ type: 'reset' });
    const solo = await soloAccounts(describeLambda, soloEvents, lambdaEnv, world.masterAccountId, work);
    const soloStats = await worldProcess.stats();

    const hammer = estimateHammerChain(world, { awsMs: options.awsLatencyMs, dynamoMs: options.dynamoLatencyMs, snsHopMs: options.snsHopMs });
    const issues = expectedIssues(world);

    console.log(renderTable(`Cold start: loading each built bundle in a fresh node process (median of ${options.coldRuns})`,
      ['bundle', 'zip KiB', 'bundle KiB', 'require ms', 'process ms'], coldRows));

    const soloDurations = solo.map((run) => run.durationMs);
    console.log(renderTable(
      `One account (${options.regions} regions) as one Lambda runs it: a fresh node process per invocation, cold (${solo.length} accounts, one after another)`,
      ['measure', 'p50', 'max'],
      [
        ['invocation, bundle load included, ms', percentile(soloDurations, 50), Math.max(...soloDurations)],
        ['bundle load (require), ms', percentile(solo.map((run) => run.loadMs), 50), Math.max(...solo.map((run) => run.loadMs))],
        ['peak RSS of the process, MiB', percentile(solo.map((run) => run.maxRssMiB), 50), Math.max(...solo.map((run) => run.maxRssMiB))],
      ],
    ));
    console.log(`accounts: ${soloEvents.map(accountOf).join(', ')} (the first has five multi-region trails homed in one region); peak CloudTrail calls/s of one account+region: ${soloStats.peakCallsPerSecond} (${soloStats.peakKey}), throttled: ${soloStats.throttledCalls}`);

    const pair = (of: (run: ScanRun) => string | number): [string | number, string | number] => [of(full), of(rescan)];
    console.log(renderTable(
      `Full scan: ${options.accounts} accounts x ${options.regions} regions, every message handed to the built describe bundle at once in ONE process on this machine; ${options.awsLatencyMs} ms per AWS call, ${options.dynamoLatencyMs} ms per DynamoDB call, CloudTrail limit 10 calls/s per account+region`,
      ['measure', 'scan', 'rescan, nothing changed'],
      [
        ['wall time, ms', ...pair((run) => run.wallMs)],
        ['per-account time p50, ms', ...pair((run) => percentile(run.perAccountMs, 50))],
        ['per-account time p95, ms', ...pair((run) => percentile(run.perAccountMs, 95))],
        ['invocations failed', ...pair((run) => run.failed)],
        ['CloudTrail calls', ...pair((run) => run.stats.cloudTrailCalls)],
        ['  DescribeTrails / GetTrailStatus / GetEventSelectors', ...pair((run) => ['DescribeTrails', 'GetTrailStatus', 'GetEventSelectors'].map((operation) => run.stats.cloudTrailByOperation[operation] ?? 0).join(' / '))],
        ['peak CloudTrail calls/s, busiest account+region', ...pair((run) => run.stats.peakCallsPerSecond)],
        ['throttled CloudTrail calls', ...pair((run) => run.stats.throttledCalls)],
        ['AssumeRole calls', ...pair((run) => run.stats.assumeRoleCalls)],
        ['other failed AWS calls', ...pair((run) => run.stats.failedAwsCalls)],
        [`DynamoDB writes (issues in the world: ${issues})`, ...pair((run) => run.stats.dynamoWrites)],
        ['DynamoDB reads / refused conditional writes', ...pair((run) => `${run.stats.dynamoReads} / ${run.stats.dynamoConditionalFailures}`)],
        ['CPU of the Lambda code, ms (per account)', ...pair((run) => `${run.lambdaCpuMs.toFixed(0)} (${(run.lambdaCpuMs / Math.max(1, run.perAccountMs.length)).toFixed(1)})`)],
        ['CPU of the fake AWS + DynamoDB process, ms', ...pair((run) => run.stats.worldCpuMs)],
        ['peak RSS / heap used of this process, MiB', ...pair((run) => `${megabytes(run.peakRss).toFixed(0)} / ${megabytes(run.peakHeapUsed).toFixed(0)}`)],
      ],
    ));

    const asLambdas = initiationMs + options.snsHopMs + Math.max(...soloDurations);
    console.log(renderTable(
      `Compared with Hammer's chain (a model with the same latencies, hammerChainModel.ts: ${options.regions} sequential invocations per account, every call sequential, + ${options.snsHopMs} ms SNS hop each)`,
      ['measure', 'this project', "Hammer's chain"],
      [
        ['scan, separate Lambdas: initiation + hop + slowest account alone (cold), ms', asLambdas, hammer.scanMs],
        [`scan, all ${options.accounts} accounts in one process on this machine, ms`, initiationMs + options.snsHopMs + full.wallMs, '-'],
        ['one account, ms (p50)', percentile(soloDurations, 50), percentile(hammer.perAccountMs, 50)],
        ['Lambda invocations', 1 + events.length, 1 + hammer.invocations],
        ['CloudTrail calls', full.stats.cloudTrailCalls, hammer.cloudTrailCalls],
      ],
    ));
    console.log(`\ninitiation (one message per account, PublishBatch): ${initiationMs.toFixed(0)} ms, ${events.length} messages`);
    const lambdaLogLines = Object.entries(logs.byLevel).map(([level, count]) => `${level} ${count}`).join(', ');
    console.log(`Lambda log lines of the in-process scans (counted, not printed): ${lambdaLogLines || 'none'}`);
    for (const [problem, count] of logs.problems) console.log(`  ${count} x ${problem}`);
    console.log(`busiest account+region (peak calls/s): scan ${full.stats.peakKey}, rescan ${rescan.stats.peakKey}; the pacer holds 10 permits per account+region, each until a second after its call ends`);
    console.log(`rescan with nothing changed: ${rescan.stats.dynamoWrites} DynamoDB writes (must be 0)`);
    // Issue 10: an organisation discovered through Organizations, event to finding, debounce.
    console.log(await runRealtimeBench({ awsLatencyMs: options.awsLatencyMs, snsHopMs: options.snsHopMs }));
  } finally {
    logs.uninstall();
    await worldProcess?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  },
);
