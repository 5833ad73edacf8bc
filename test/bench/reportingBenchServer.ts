/**
 * The reporting benchmark's outside world, in a process of its own (forked by
 * reportingBench.ts), so the reporting Lambda's process holds only its own
 * code: the fake JIRA (Jira Server, answering after `jiraLatencyMs`), the
 * fake Slack (answering after `slackLatencyMs`, with Slack's per-channel
 * limit on chat.postMessage: a burst of 4, then one a second, 429 with
 * Retry-After past it) and dynalite. Driven over the IPC channel.
 */
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { BOT, SUPPORT, USERS, fakeCredentials } from '../fakes/fakeJiraFixtures.ts';
import { startFakeJira, type FakeJira } from '../fakes/fakeJiraServer.ts';
import { SLACK_POST_MESSAGE_LIMIT, startFakeSlack, type FakeSlack, type FakeSlackUser } from '../fakes/fakeSlackServer.ts';

export interface ReportingWorldSetup {
  jiraLatencyMs: number;
  slackLatencyMs: number;
  /** JIRA project keys (each gets its parent ticket <KEY>-1). */
  projects: string[];
  /** Slack channels, with the `#`. */
  channels: string[];
  users: FakeSlackUser[];
  slackToken: string;
}

export interface ReportingWorldStats {
  /** JIRA requests by `METHOD path-pattern`. */
  jiraByCall: Record<string, number>;
  jiraRequests: number;
  /** Tickets filed (the parents put in place left out): key and lifecycle labels. */
  tickets: Array<{ key: string; project: string; labels: string[] }>;
  jiraMaxConcurrent: number;
  jiraMaxConcurrentByProject: Record<string, number>;
  /** chat.postMessage requests, the messages Slack took, 429s it answered. */
  slackPosts: number;
  slackMessages: Array<{ channel: string; text: string }>;
  slackThrottled: number;
  slackRateLimitedAnswers: number;
  slackMaxConcurrent: number;
  /** CPU of this process since it started, ms. */
  cpuMs: number;
}

export type ReportingWorldRequest = { type: 'start'; setup: ReportingWorldSetup } | { type: 'stats' } | { type: 'stop' };

export type ReportingWorldReply =
  | { type: 'ready'; jiraUrl: string; slackApiUrl: string; dynamoEndpoint: string }
  | { type: 'stats'; stats: ReportingWorldStats }
  | { type: 'done' }
  | { type: 'failed'; error: string };

let jira: FakeJira | undefined;
let slack: FakeSlack | undefined;
let dynamo: LocalDynamo | undefined;
const parents = new Set<string>();

/** `METHOD path` with issue keys replaced, e.g. `PUT /rest/api/2/issue/{key}/assignee`. */
function callPattern(method: string, path: string): string {
  return `${method} ${path.replace(/\/issue\/[A-Z][A-Z0-9_]*-\d+/, '/issue/{key}')}`;
}

async function start(setup: ReportingWorldSetup): Promise<ReportingWorldReply> {
  jira = await startFakeJira({
    flavour: 'server',
    users: USERS,
    projects: setup.projects.map((key) => ({ key, workflow: 'classic', assignable: [BOT.name, SUPPORT.name] })),
    credentials: fakeCredentials(),
    latencyMs: setup.jiraLatencyMs,
  });
  for (const project of setup.projects) parents.add(jira.addIssue({ project, summary: 'CloudTrail logging issues' }).key);
  slack = await startFakeSlack({
    token: setup.slackToken,
    users: setup.users,
    channels: setup.channels,
    postMessageLimit: SLACK_POST_MESSAGE_LIMIT,
    latencyMs: setup.slackLatencyMs,
  });
  dynamo = await startDynalite();
  return { type: 'ready', jiraUrl: jira.url, slackApiUrl: slack.apiUrl, dynamoEndpoint: dynamo.endpoint };
}

function stats(): ReportingWorldStats {
  if (jira === undefined || slack === undefined) throw new Error('the world is not started');
  const jiraByCall: Record<string, number> = {};
  for (const request of jira.requests) {
    const pattern = callPattern(request.method, request.path);
    jiraByCall[pattern] = (jiraByCall[pattern] ?? 0) + 1;
  }
  const cpu = process.cpuUsage();
  return {
    jiraByCall,
    jiraRequests: jira.requests.length,
    tickets: jira.issues().filter((issue) => !parents.has(issue.key)).map((issue) => ({ key: issue.key, project: issue.project, labels: issue.labels })),
    jiraMaxConcurrent: jira.maxConcurrentRequests,
    jiraMaxConcurrentByProject: Object.fromEntries(jira.maxConcurrentByProject),
    slackPosts: slack.requestsOf('chat.postMessage').length,
    slackMessages: slack.messages.map((message) => ({ channel: message.channel, text: message.text })),
    slackThrottled: slack.throttled.length,
    slackRateLimitedAnswers: slack.rateLimitedAnswers,
    slackMaxConcurrent: slack.maxConcurrentRequests,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

async function stop(): Promise<void> {
  await jira?.stop();
  await slack?.stop();
  await dynamo?.stop();
}

process.on('message', (request: ReportingWorldRequest) => {
  const answer = async (): Promise<ReportingWorldReply> => {
    switch (request.type) {
      case 'start':
        return start(request.setup);
      case 'stats':
        return { type: 'stats', stats: stats() };
      case 'stop':
        await stop();
        return { type: 'done' };
    }
  };
  answer().then(
    (reply) => {
      process.send?.(reply);
      if (request.type === 'stop') process.disconnect();
    },
    (err: unknown) => process.send?.({ type: 'failed', error: err instanceof Error ? err.stack ?? err.message : String(err) }),
  );
});
