/**
 * The benchmark's AWS side, in a process of its own (started by run.ts with
 * `fork`), so that the benchmark process holds only the Lambda code and its
 * memory and CPU are the Lambda's: the AWS wire fake (CloudTrail, STS, SNS)
 * with a per-call latency and CloudTrail's rate limit, and dynalite behind a
 * proxy that adds DynamoDB's latency and counts reads and writes.
 * Driven over the IPC channel (see WorldRequest / WorldReply).
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAwsWireFake, type AwsWireFake, type PublishedMessage, type RecordedCall } from '../fakes/awsWireFake.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { API_TABLE, ISSUES_TABLE, generateWorld, type WorldParameters } from './benchWorld.ts';

export interface WorldOptions extends WorldParameters {
  /** Latency of every CloudTrail, STS and SNS answer. */
  awsLatencyMs: number;
  /** Latency of every DynamoDB answer. */
  dynamoLatencyMs: number;
  /** CloudTrail's limit per account and region. */
  cloudTrailCallsPerSecond: number;
}

/**
 * Calls of one operation by what they were about, so that the benchmark can
 * tell missing and repeated work apart: AssumeRole by account, DescribeTrails
 * by account and region, GetTrailStatus and GetEventSelectors by account and
 * trail ARN, PublishBatch by topic. Every attempt counts (a retried call twice).
 */
export type CallsByKey = Record<string, Array<[key: string, calls: number]>>;

export interface WorldStats {
  cloudTrailCalls: number;
  /** CloudTrail calls per operation. */
  cloudTrailByOperation: Record<string, number>;
  /** CloudTrail, STS and SNS calls per operation and key. */
  callsByKey: CallsByKey;
  /** DynamoDB calls DynamoDB answered, per operation. */
  dynamoByOperation: Record<string, number>;
  throttledCalls: number;
  /** The most CloudTrail calls in any one second, for the busiest account and region. */
  peakCallsPerSecond: number;
  peakKey: string;
  assumeRoleCalls: number;
  failedAwsCalls: number;
  dynamoReads: number;
  /** Writes DynamoDB accepted (PutItem, UpdateItem, DeleteItem, BatchWriteItem). */
  dynamoWrites: number;
  /** Conditional writes DynamoDB refused (a lost race, re-decided by the writer). */
  dynamoConditionalFailures: number;
  /** CPU time of this process (the fake AWS and DynamoDB) since the last reset, ms. */
  worldCpuMs: number;
}

export type WorldRequest =
  | { type: 'start'; options: WorldOptions }
  | { type: 'published' }
  | { type: 'stats' }
  | { type: 'issues' }
  | { type: 'reset' }
  | { type: 'stop' };

export type WorldReply =
  | { type: 'ready'; awsEndpoint: string; dynamoEndpoint: string }
  | { type: 'published'; messages: Array<Omit<PublishedMessage, 'publishedAt'> & { publishedAt: string }> }
  | { type: 'stats'; stats: WorldStats }
  | { type: 'issues'; issues: Array<{ account_id: string; issue_id: string; status: string }> }
  | { type: 'done' }
  | { type: 'failed'; error: string };

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

interface DynamoCounts {
  reads: number;
  writes: number;
  conditionalFailures: number;
  byOperation: Record<string, number>;
}

/** A proxy in front of dynalite: waits `latencyMs` before each answer and counts what DynamoDB did. */
async function startDynamoProxy(target: string, latencyMs: number, counts: DynamoCounts): Promise<{ endpoint: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(incoming.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
        const answerChunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
        answer.on('end', () => {
          const answerBody = Buffer.concat(answerChunks);
          if (answer.statusCode === 200) {
            if (WRITES.has(operation)) counts.writes += 1;
            else counts.reads += 1;
            counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
          } else if (answerBody.includes('ConditionalCheckFailedException')) {
            counts.conditionalFailures += 1;
          }
          setTimeout(() => {
            outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
            outgoing.end(answerBody);
          }, latencyMs);
        });
      });
      forward.on('error', (err) => {
        outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(`dynamo proxy: ${err.message}`);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let aws: AwsWireFake | undefined;
let dynamo: LocalDynamo | undefined;
let proxy: Server | undefined;
let topicArn = '';
const counts: DynamoCounts = { reads: 0, writes: 0, conditionalFailures: 0, byOperation: {} };
let cpuSince = process.cpuUsage();

function reply(message: WorldReply): void {
  process.send?.(message);
}

async function start(options: WorldOptions): Promise<WorldReply> {
  const world = generateWorld(options);
  topicArn = world.topicArn;
  dynamo = await startDynalite();
  await dynamo.createIssuesTable(ISSUES_TABLE);
  await dynamo.createApiRequestsTable(API_TABLE);
  const started = await startDynamoProxy(dynamo.endpoint, options.dynamoLatencyMs, counts);
  proxy = started.server;
  aws = await startAwsWireFake(world.state, { latencyMs: options.awsLatencyMs, cloudTrailCallsPerSecond: options.cloudTrailCallsPerSecond });
  return { type: 'ready', awsEndpoint: aws.endpoint, dynamoEndpoint: started.endpoint };
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/** What a call was about (see CallsByKey); undefined for calls the benchmark does not key. */
function keyOf(call: RecordedCall): string | undefined {
  const account = call.accountId ?? 'unknown';
  switch (call.operation) {
    case 'AssumeRole': return String(call.params.RoleArn ?? '').split(':')[4] ?? '';
    case 'DescribeTrails': return `${account}/${call.region}`;
    case 'GetTrailStatus': return `${account}/${String(call.params.Name)}`;
    case 'GetEventSelectors': return `${account}/${String(call.params.TrailName)}`;
    case 'PublishBatch':
    case 'Publish': return String(call.params.TopicArn);
    default: return undefined;
  }
}

function callsByKey(fake: AwsWireFake): CallsByKey {
  const byOperation = new Map<string, Map<string, number>>();
  for (const call of fake.calls) {
    const key = keyOf(call);
    if (key === undefined) continue;
    const keys = byOperation.get(call.operation) ?? new Map<string, number>();
    keys.set(key, (keys.get(key) ?? 0) + 1);
    byOperation.set(call.operation, keys);
  }
  return Object.fromEntries([...byOperation].map(([operation, keys]) => [operation, [...keys]]));
}

async function issueKeys(): Promise<Array<{ account_id: string; issue_id: string; status: string }>> {
  if (!dynamo) throw new Error('world not started');
  const issues: Array<{ account_id: string; issue_id: string; status: string }> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.doc.send(new ScanCommand({ TableName: ISSUES_TABLE, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    for (const item of page.Items ?? []) issues.push({ account_id: String(item.account_id), issue_id: String(item.issue_id), status: String(item.status) });
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return issues;
}

function stats(fake: AwsWireFake): WorldStats {
  const cloudTrail = fake.callsTo('cloudtrail');
  const byOperation: Record<string, number> = {};
  for (const call of cloudTrail) byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
  let peakCallsPerSecond = 0;
  let peakKey = '';
  for (const [key, peak] of Object.entries(fake.maxCallsPerSecond('cloudtrail'))) {
    if (peak > peakCallsPerSecond) {
      peakCallsPerSecond = peak;
      peakKey = key;
    }
  }
  return {
    cloudTrailCalls: cloudTrail.length,
    cloudTrailByOperation: byOperation,
    callsByKey: callsByKey(fake),
    dynamoByOperation: { ...counts.byOperation },
    throttledCalls: cloudTrail.filter((call) => call.errorCode === 'ThrottlingException').length,
    peakCallsPerSecond,
    peakKey,
    assumeRoleCalls: fake.callsTo('sts', 'AssumeRole').length,
    failedAwsCalls: fake.calls.filter((call) => call.httpStatus !== 200 && call.errorCode !== 'ThrottlingException').length,
    dynamoReads: counts.reads,
    dynamoWrites: counts.writes,
    dynamoConditionalFailures: counts.conditionalFailures,
    worldCpuMs: cpuMs(process.cpuUsage(cpuSince)),
  };
}

async function handle(message: WorldRequest): Promise<WorldReply> {
  switch (message.type) {
    case 'start':
      return start(message.options);
    case 'published': {
      if (!aws) throw new Error('world not started');
      return { type: 'published', messages: aws.takePublished(topicArn).map((published) => ({ ...published, publishedAt: published.publishedAt.toISOString() })) };
    }
    case 'stats': {
      if (!aws) throw new Error('world not started');
      return { type: 'stats', stats: stats(aws) };
    }
    case 'issues':
      return { type: 'issues', issues: await issueKeys() };
    case 'reset':
      aws?.clearCalls();
      counts.reads = 0;
      counts.writes = 0;
      counts.conditionalFailures = 0;
      counts.byOperation = {};
      cpuSince = process.cpuUsage();
      return { type: 'done' };
    case 'stop':
      await aws?.stop();
      if (proxy) {
        proxy.closeAllConnections();
        await new Promise<void>((resolve) => proxy?.close(() => resolve()));
      }
      await dynamo?.stop();
      return { type: 'done' };
  }
}

process.on('message', (message: WorldRequest) => {
  handle(message).then(
    (answer) => {
      reply(answer);
      if (message.type === 'stop') process.disconnect();
    },
    (err: unknown) => reply({ type: 'failed', error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }),
  );
});
