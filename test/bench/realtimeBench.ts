/**
 * The issue 10 phase of the benchmark, on the BUILT zips (a module of its
 * own, so the main benchmark can change without touching it):
 *
 *   1. An organisation of --org-accounts accounts (default 1,000) discovered
 *      through AWS Organizations: the built initiation lists them (ListAccounts,
 *      20 a page, through the reader role) and publishes one message each;
 *      every message is handed to the built describe_cloudtrails, at most
 *      --concurrency at once, as Lambda would run them.
 *   2. Event to finding: a StopLogging event handed to the built real-time
 *      Lambda as SQS delivers it once the queue's delay (the debounce window)
 *      has passed; the scan message it publishes handed to describe_cloudtrails;
 *      the time until the issue is in the table. Measured --samples times;
 *      the end-to-end figure adds the window and modelled SQS-poll and SNS hops.
 *   3. Debounce: a burst of ten StopLogging calls of one account and region,
 *      in two SQS batches, and the rescans it causes.
 *
 * The fake AWS and dynalite run in a process of their own (realtimeWorld.ts),
 * so this process holds only the Lambda code; the per-call latency is
 * --aws-latency-ms. Run it alone with
 *   node --import tsx test/bench/realtimeBench.ts [--org-accounts 1000 --org-regions 3 --concurrency 50 --samples 5 --aws-latency-ms 50 --debounce-seconds 15]
 * or as the last phase of `npm run bench` (test/bench/run.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { snsEventFor, type FakeAwsState, type PublishedMessage } from '../fakes/awsWireFake.ts';
import { TEST_CREDENTIALS } from '../fakes/dynalite.ts';
import { buildAndUnpack, runProcess, type BuiltLambda } from '../helpers/builtLambdas.ts';
import { sqsEventOf, stopLogging } from '../helpers/cloudTrailEventFixtures.ts';
import { fakeOrganization, memberAccountId } from '../helpers/organizationFixtures.ts';
import { median, percentile, renderTable } from './benchReport.ts';
import type { CallCounts, RealtimeWorldReply, RealtimeWorldRequest } from './realtimeWorld.ts';

export interface RealtimeBenchOptions {
  orgAccounts: number;
  orgRegions: number;
  concurrency: number;
  samples: number;
  awsLatencyMs: number;
  debounceSeconds: number;
  /** Modelled hops the benchmark cannot run: SQS to Lambda (long poll), SNS to Lambda. */
  sqsPollMs: number;
  snsHopMs: number;
}

export const REALTIME_BENCH_DEFAULTS: RealtimeBenchOptions = {
  orgAccounts: 1000,
  orgRegions: 3,
  concurrency: 50,
  samples: 5,
  awsLatencyMs: 50,
  debounceSeconds: 15,
  sqsPollMs: 500,
  snsHopMs: 100,
};

const MASTER = '123456789012';
const MANAGEMENT = '111111111111';
const ROLE = 'hammer-cloudsec-crossact-id';
const READER = 'hammer-organization-reader';
const MAIN_REGION = 'eu-west-1';
const ALL_REGIONS = ['eu-west-1', 'us-east-1', 'eu-central-1', 'us-west-2', 'ap-southeast-1', 'eu-north-1', 'us-east-2', 'ap-northeast-1', 'sa-east-1', 'ca-central-1'];
const TOPIC = `arn:aws:sns:${MAIN_REGION}:${MASTER}:hammer-describe-cloudtrails-lambda`;
const ISSUES_TABLE = 'hammer-cloudtrails';
const DEBOUNCE_TABLE = 'hammer-cloudtrails-realtime';
const LAMBDAS = ['initiate_to_desc_cloudtrails', 'describe_cloudtrails', 'realtime_to_desc_cloudtrails'] as const;

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** realtimeWorld.ts in its own process. */
class WorldProcess {
  private readonly child: ChildProcess;
  private readonly pending: Array<(reply: RealtimeWorldReply) => void> = [];

  constructor() {
    this.child = fork(join(dirname(fileURLToPath(import.meta.url)), 'realtimeWorld.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (reply: RealtimeWorldReply) => this.pending.shift()?.(reply));
  }

  ask(request: RealtimeWorldRequest): Promise<RealtimeWorldReply> {
    return new Promise((resolve, reject) => {
      this.pending.push((reply) => (reply.type === 'failed' ? reject(new Error(`world: ${reply.error}`)) : resolve(reply)));
      this.child.send(request);
    });
  }

  async published(): Promise<PublishedMessage[]> {
    const reply = await this.ask({ type: 'take-published', topicArn: TOPIC });
    if (reply.type !== 'published') throw new Error(`world: unexpected ${reply.type}`);
    return reply.messages.map((message) => ({ ...message, publishedAt: new Date(message.publishedAt) }));
  }

  async calls(): Promise<CallCounts> {
    const reply = await this.ask({ type: 'calls' });
    if (reply.type !== 'calls') throw new Error(`world: unexpected ${reply.type}`);
    return reply.counts;
  }

  async stop(): Promise<void> {
    if (this.child.connected) await this.ask({ type: 'stop' });
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
  }
}

/** Every org member: a multi-region trail homed in the main region (every tenth stopped) and a regional trail in the main region. */
function orgState(options: RealtimeBenchOptions, regions: string[]): FakeAwsState {
  const organization = fakeOrganization({ managementAccountId: MANAGEMENT, members: options.orgAccounts - 2, suspended: [3], extra: [{ id: MASTER, name: 'security-tooling' }] });
  const accounts: FakeAwsState['accounts'] = {
    [MASTER]: { regions },
    [MANAGEMENT]: { regions, roles: [READER, ROLE] },
  };
  for (let index = 1; index <= options.orgAccounts - 2; index += 1) {
    accounts[memberAccountId(index)] = {
      regions,
      roles: [ROLE],
      organizationManagementAccount: MANAGEMENT,
      trails: [
        { trail: { Name: 'org-member-trail', HomeRegion: MAIN_REGION, IsMultiRegionTrail: true, S3BucketName: `logs-${index}` }, status: { IsLogging: index % 10 !== 0 } },
        { trail: { Name: 'regional', HomeRegion: MAIN_REGION, IsMultiRegionTrail: false, S3BucketName: `regional-${index}` }, status: { IsLogging: true } },
      ],
    };
  }
  return { callerAccountId: MASTER, topics: [TOPIC], organization, accounts };
}

function configFiles(regions: string[]): Record<string, unknown> {
  return {
    'config.json': {
      aws: {
        region: MAIN_REGION,
        main_account_id: MASTER,
        regions,
        role_name_identification: ROLE,
        accounts: { [MASTER]: 'master' },
        organization: { account_id: MANAGEMENT, role_name: READER },
      },
      api: { 'ddb.table_name': 'hammer-api-requests' },
      credentials: { 'ddb.table_name': 'hammer-credentials' },
      cloudtrails: { enabled: true, 'ddb.table_name': ISSUES_TABLE, topic_name: 'hammer-describe-cloudtrails-lambda', reporting: false },
    },
    'whitelist.json': { cloudtrails: {} },
    'ticket_owners.json': {},
  };
}

let invocation = 0;
function context(functionName: string): Record<string, unknown> {
  invocation += 1;
  const started = Date.now();
  return {
    functionName,
    invokedFunctionArn: `arn:aws:lambda:${MAIN_REGION}:${MASTER}:function:${functionName}`,
    awsRequestId: `bench-realtime-${invocation}`,
    getRemainingTimeInMillis: () => Math.max(0, 300_000 - (Date.now() - started)),
  };
}

function loadHandler(lambda: BuiltLambda): Handler {
  // Each built bundle reads its config from LAMBDA_TASK_ROOT on its first invocation.
  process.env.LAMBDA_TASK_ROOT = lambda.taskRoot;
  const handler = (createRequire(import.meta.url)(join(lambda.taskRoot, `${lambda.name}.js`)) as { lambda_handler?: unknown }).lambda_handler;
  if (typeof handler !== 'function') throw new Error(`${lambda.name}.js exports no lambda_handler`);
  return handler as Handler;
}

/** Runs a handler's first invocation with its task root set, so its config is read from its own zip. */
async function invoke(lambda: BuiltLambda, handler: Handler, event: unknown, functionName: string): Promise<unknown> {
  process.env.LAMBDA_TASK_ROOT = lambda.taskRoot;
  return handler(event, context(functionName));
}

/** The require time of a built bundle in fresh node processes (median of `runs`). */
async function requireMs(lambda: BuiltLambda, runs: number): Promise<number> {
  const probe = 'const { performance } = require("node:perf_hooks"); const t = performance.now(); require(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const result = await runProcess(process.execPath, ['-e', probe, join(lambda.taskRoot, `${lambda.name}.js`)], {
      cwd: lambda.taskRoot,
      env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LAMBDA_TASK_ROOT: lambda.taskRoot },
    });
    if (result.code !== 0) throw new Error(`loading ${lambda.name}.js failed: ${result.stderr}`);
    times.push(Number(result.stdout));
  }
  return median(times);
}

function callTime(secondsAgo: number): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 - secondsAgo * 1000).toISOString().replace('.000Z', 'Z');
}

export async function runRealtimeBench(overrides: Partial<RealtimeBenchOptions> = {}): Promise<string> {
  const options = { ...REALTIME_BENCH_DEFAULTS, ...overrides };
  const regions = ALL_REGIONS.slice(0, Math.max(1, Math.min(options.orgRegions, ALL_REGIONS.length)));
  const work = mkdtempSync(join(tmpdir(), 'hammer-bench-realtime-'));
  const savedEnv = { ...process.env };
  let world: WorldProcess | undefined;
  let doc: DynamoDBDocumentClient | undefined;
  const out: string[] = [];
  try {
    const configDir = join(work, 'config');
    mkdirSync(configDir);
    for (const [file, content] of Object.entries(configFiles(regions))) writeFileSync(join(configDir, file), JSON.stringify(content, null, 2));
    world = new WorldProcess();
    const [built, ready] = await Promise.all([
      buildAndUnpack({ names: LAMBDAS, configDir, work }),
      world.ask({ type: 'start', state: orgState(options, regions), awsLatencyMs: options.awsLatencyMs, tables: { issues: ISSUES_TABLE, api: 'hammer-api-requests', debounce: DEBOUNCE_TABLE } }),
    ]);
    if (ready.type !== 'ready') throw new Error(`world: unexpected ${ready.type}`);
    doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: ready.dynamoEndpoint, region: MAIN_REGION, credentials: TEST_CREDENTIALS }));
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'ASIAQBENCHREALTIME01',
      AWS_SECRET_ACCESS_KEY: 'YmVuY2gtcmVhbHRpbWUtc2VjcmV0',
      AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEBENCHrealtime',
      ...ready.awsEnv,
      AWS_ENDPOINT_URL_DYNAMODB: ready.dynamoEndpoint,
      AWS_REGION: MAIN_REGION,
      AWS_DEFAULT_REGION: MAIN_REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      SNS_ARN: TOPIC,
      REALTIME_TABLE_NAME: DEBOUNCE_TABLE,
    });
    const lambda = (name: (typeof LAMBDAS)[number]): BuiltLambda => built[name] as BuiltLambda;
    const realtimeLoadMs = await requireMs(lambda('realtime_to_desc_cloudtrails'), 3);
    const initiate = loadHandler(lambda('initiate_to_desc_cloudtrails'));
    const describe = loadHandler(lambda('describe_cloudtrails'));
    const realtime = loadHandler(lambda('realtime_to_desc_cloudtrails'));

    // 1. The organisation, discovered and scanned.
    const initiationStarted = performance.now();
    await invoke(lambda('initiate_to_desc_cloudtrails'), initiate, { source: 'aws.events', 'detail-type': 'Scheduled Event' }, 'hammer-initiate-cloudtrails');
    const initiationMs = performance.now() - initiationStarted;
    const messages = await world.published();
    const listCalls = (await world.calls()).byOperation['organizations ListAccounts'] ?? 0;
    const limit = pLimit(options.concurrency);
    const perAccount: number[] = [];
    let failed = 0;
    const scanStarted = performance.now();
    await Promise.all(messages.map((message) => limit(async () => {
      const began = performance.now();
      try {
        await invoke(lambda('describe_cloudtrails'), describe, snsEventFor(message), 'hammer-describe-cloudtrails');
      } catch {
        failed += 1;
      }
      perAccount.push(performance.now() - began);
    })));
    const scanMs = performance.now() - scanStarted;
    const scanCounts = await world.calls();
    const sum = (prefix: string): number => Object.entries(scanCounts.byOperation).filter(([key]) => key.startsWith(prefix)).reduce((total, [, count]) => total + count, 0);
    const scanCalls = sum('cloudtrail ');
    const scanOrgCalls = sum('organizations ');
    const throttled = scanCounts.throttled;
    const assumed = scanCounts.byOperation['sts AssumeRole'] ?? 0;
    out.push(renderTable(
      `Organisation of ${options.orgAccounts} accounts (1 suspended) discovered through AWS Organizations, ${regions.length} regions each; ${options.awsLatencyMs} ms per AWS call; describe_cloudtrails runs ${options.concurrency} messages at once in ONE process (fake AWS and DynamoDB in another)`,
      ['measure', 'value'],
      [
        ['initiation: ListAccounts pages + one message per ACTIVE account, ms', initiationMs],
        ['ListAccounts calls (20 accounts a page)', listCalls],
        ['messages published (ACTIVE accounts)', messages.length],
        ['scan of every account, wall time, ms', scanMs],
        ['per-account time p50 / p95, ms', `${percentile(perAccount, 50).toFixed(0)} / ${percentile(perAccount, 95).toFixed(0)}`],
        ['invocations failed', failed],
        ['CloudTrail calls / throttled', `${scanCalls} / ${throttled}`],
        ['AssumeRole calls (cross-account roles)', assumed],
        ['Organizations calls during the scan (the list is cached per warm process)', scanOrgCalls],
      ],
    ));

    // 2. Event to finding.
    const latencies: number[] = [];
    for (let sample = 0; sample < options.samples; sample += 1) {
      const account = memberAccountId(sample * 10 + 1);
      await world.ask({ type: 'set-status', accountId: account, trailName: 'org-member-trail', status: { IsLogging: false } });
      await world.ask({ type: 'set-status', accountId: account, trailName: 'regional', status: { IsLogging: false } });
      await world.published();
      const event = stopLogging(account, MAIN_REGION, `arn:aws:cloudtrail:${MAIN_REGION}:${account}:trail/regional`, callTime(options.debounceSeconds));
      const started = performance.now();
      await invoke(lambda('realtime_to_desc_cloudtrails'), realtime, sqsEventOf([event], `arn:aws:sqs:${MAIN_REGION}:${MASTER}:${DEBOUNCE_TABLE}`), 'hammer-realtime-cloudtrails');
      for (const message of await world.published()) await invoke(lambda('describe_cloudtrails'), describe, snsEventFor(message), 'hammer-describe-cloudtrails');
      const item = await doc.send(new GetCommand({ TableName: ISSUES_TABLE, Key: { account_id: account, issue_id: MAIN_REGION } }));
      const elapsed = performance.now() - started;
      if ((item.Item?.issue_details as { disabled?: boolean } | undefined)?.disabled !== true) throw new Error(`no finding for ${account} after the event`);
      latencies.push(elapsed);
    }
    const processing = percentile(latencies, 50);
    const endToEnd = options.debounceSeconds * 1000 + options.sqsPollMs + processing + options.snsHopMs;

    // 3. Debounce: ten calls, two batches.
    const burstAccount = memberAccountId(5);
    await world.published();
    const burst = Array.from({ length: 10 }, (_, index) => stopLogging(burstAccount, MAIN_REGION, `arn:aws:cloudtrail:${MAIN_REGION}:${burstAccount}:trail/regional`, callTime(options.debounceSeconds + 10 - index)));
    await invoke(lambda('realtime_to_desc_cloudtrails'), realtime, sqsEventOf(burst.slice(0, 5)), 'hammer-realtime-cloudtrails');
    await invoke(lambda('realtime_to_desc_cloudtrails'), realtime, sqsEventOf(burst.slice(5)), 'hammer-realtime-cloudtrails');
    const burstRescans = (await world.published()).length;

    out.push(renderTable(
      `Event to finding (${options.samples} StopLogging events of a regional trail, each in another account: its region rescanned); ${options.awsLatencyMs} ms per AWS call`,
      ['measure', 'value'],
      [
        ['measured: realtime Lambda (scope lookup, debounce, publish) + describe_cloudtrails + GetItem, p50 ms', processing],
        ['measured: same, max ms', Math.max(...latencies)],
        [`end to end: debounce window ${options.debounceSeconds} s + SQS poll ${options.sqsPollMs} ms (model) + measured p50 + SNS hop ${options.snsHopMs} ms (model), s`, (endToEnd / 1000).toFixed(1)],
        ['ten StopLogging calls of one account-region in two SQS batches: rescans published', burstRescans],
        ['realtime_to_desc_cloudtrails: zip KiB / cold require ms (median of 3)', `${Math.round(lambda('realtime_to_desc_cloudtrails').zipBytes / 1024)} / ${realtimeLoadMs.toFixed(0)}`],
      ],
    ));
    return out.join('\n');
  } finally {
    doc?.destroy();
    await world?.stop();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    rmSync(work, { recursive: true, force: true });
  }
}

function parseOptions(argv: string[]): Partial<RealtimeBenchOptions> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'org-accounts': { type: 'string' },
      'org-regions': { type: 'string' },
      concurrency: { type: 'string' },
      samples: { type: 'string' },
      'aws-latency-ms': { type: 'string' },
      'debounce-seconds': { type: 'string' },
    },
    strict: true,
  });
  const pick = (name: keyof typeof values, min: number): number | undefined => {
    if (values[name] === undefined) return undefined;
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}`);
    return value;
  };
  const options: Partial<RealtimeBenchOptions> = {};
  const set = <K extends keyof RealtimeBenchOptions>(key: K, value: number | undefined): void => {
    if (value !== undefined) options[key] = value as RealtimeBenchOptions[K];
  };
  set('orgAccounts', pick('org-accounts', 3));
  set('orgRegions', pick('org-regions', 1));
  set('concurrency', pick('concurrency', 1));
  set('samples', pick('samples', 1));
  set('awsLatencyMs', pick('aws-latency-ms', 0));
  set('debounceSeconds', pick('debounce-seconds', 0));
  return options;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runRealtimeBench(parseOptions(process.argv.slice(2))).then(
    (report) => {
      console.log(report);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
