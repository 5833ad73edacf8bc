/**
 * The AWS side of the issue 10 benchmark phase (realtimeBench.ts), in a
 * process of its own (started with `fork`), so that the benchmark process
 * holds only the Lambda code: the AWS wire fake (Organizations, CloudTrail,
 * STS, SNS) with a per-call latency and CloudTrail's rate limit, and dynalite.
 * Driven over the IPC channel (RealtimeWorldRequest / RealtimeWorldReply).
 */
import type { FakeAwsState, FakeTrail, PublishedMessage } from '../fakes/awsWireFake.ts';
import { startAwsWireFake, type AwsWireFake } from '../fakes/awsWireFake.ts';
import { hashKeyTableInput, startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';

export type RealtimeWorldRequest =
  | { type: 'start'; state: FakeAwsState; awsLatencyMs: number; tables: { issues: string; api: string; debounce: string } }
  | { type: 'take-published'; topicArn: string }
  | { type: 'calls' }
  | { type: 'set-status'; accountId: string; trailName: string; status: NonNullable<FakeTrail['status']> }
  | { type: 'stop' };

export interface CallCounts {
  /** `<service> <operation>` -> calls. */
  byOperation: Record<string, number>;
  throttled: number;
}

export type RealtimeWorldReply =
  | { type: 'ready'; awsEnv: Record<string, string>; dynamoEndpoint: string }
  | { type: 'published'; messages: Array<Omit<PublishedMessage, 'publishedAt'> & { publishedAt: string }> }
  | { type: 'calls'; counts: CallCounts }
  | { type: 'done' }
  | { type: 'failed'; error: string };

let aws: AwsWireFake | undefined;
let dynamo: LocalDynamo | undefined;

async function answer(request: RealtimeWorldRequest): Promise<RealtimeWorldReply> {
  switch (request.type) {
    case 'start': {
      aws = await startAwsWireFake(request.state, { latencyMs: request.awsLatencyMs, cloudTrailCallsPerSecond: 10 });
      dynamo = await startDynalite();
      await dynamo.createIssuesTable(request.tables.issues);
      await dynamo.createApiRequestsTable(request.tables.api);
      await dynamo.createTable(hashKeyTableInput(request.tables.debounce, 'id'));
      return { type: 'ready', awsEnv: aws.endpointEnv, dynamoEndpoint: dynamo.endpoint };
    }
    case 'take-published':
      return { type: 'published', messages: (aws?.takePublished(request.topicArn) ?? []).map((message) => ({ ...message, publishedAt: message.publishedAt.toISOString() })) };
    case 'calls': {
      const byOperation: Record<string, number> = {};
      for (const call of aws?.calls ?? []) byOperation[`${call.service} ${call.operation}`] = (byOperation[`${call.service} ${call.operation}`] ?? 0) + 1;
      const counts: CallCounts = { byOperation, throttled: (aws?.calls ?? []).filter((call) => call.errorCode === 'ThrottlingException').length };
      aws?.clearCalls();
      return { type: 'calls', counts };
    }
    case 'set-status': {
      const trail = aws?.state.accounts[request.accountId]?.trails?.find((candidate) => candidate.trail.Name === request.trailName);
      if (trail === undefined) throw new Error(`no trail ${request.trailName} in ${request.accountId}`);
      trail.status = request.status;
      return { type: 'done' };
    }
    case 'stop':
      await aws?.stop();
      await dynamo?.stop();
      return { type: 'done' };
  }
}

process.on('message', (request: RealtimeWorldRequest) => {
  answer(request).then(
    (reply) => {
      process.send?.(reply);
      if (request.type === 'stop') process.disconnect();
    },
    (err: unknown) => process.send?.({ type: 'failed', error: err instanceof Error ? err.message : String(err) } satisfies RealtimeWorldReply),
  );
});
