/**
 * Reporting at scale (issue 12): the BUILT reporting Lambda
 * (create_cloudtrail_tickets.lambda_handler) reports 1,000 new issues across
 * 50 accounts against the fake JIRA (150 ms per answer) and the fake Slack
 * (100 ms per answer, Slack's per-channel limit enforced: a burst, then one
 * message a second, 429 + Retry-After past it), both with dynalite in a
 * process of their own (reportingBenchServer.ts). The Lambda runs in one warm
 * environment (builtLambdas.ts startWarmLambda) whose context gives
 * getRemainingTimeInMillis from the function's timeout (900 s): the handler's
 * time budget (no new issue under its 120 s reserve) decides when a run
 * stops, and scheduled runs follow one another until nothing is left.
 *
 * The world: accounts in 5 JIRA projects; every account's issues go to its
 * team channel (20 messages), every fifth account's also to a person (direct
 * messages), and all of them to one security channel (notify_default_owner),
 * which, at 1,000 messages, gets the digest (slack.digest_threshold, 100
 * here; --digest-threshold 0 turns it off: Hammer's one message per issue,
 * and then that channel alone needs 1,000 s at one message a second).
 *
 * Printed beside their targets: runs needed, tickets and messages per
 * minute, Slack 429s (target 0), duplicate tickets and messages (must be 0),
 * JIRA calls per ticket, issues left unreported, the most JIRA requests in
 * progress at once. Counts are checked (`rows`, `ok`); timings are reported.
 *
 *   npm run bench:reporting [-- --accounts 50 --issues-per-account 20 --jira-latency-ms 150 --slack-latency-ms 100 --digest-threshold 100 --lambda-timeout-s 900]
 *
 * From test/bench/run.ts: `const reporting = await runReportingBench(DEFAULT_REPORTING_BENCH, { work, lambda });`
 * then print `reporting.text` and add `reporting.rows` to the checks.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULTS } from '../../config/hammerConfig.ts';
import { REPORTING_RESERVE_MS } from '../../reporting/create_cloudtrail_tickets.ts';
import { DEFAULT_REGIONS } from './benchWorld.ts';
import { renderTable, type Cell } from './benchReport.ts';
import { BOT, SECRETS, SUPPORT } from '../fakes/fakeJiraFixtures.ts';
import { TEST_CREDENTIALS, createTableWhenActive, hashKeyTableInput, issuesTableInput } from '../fakes/dynalite.ts';
import { buildAndUnpack, startWarmLambda, writeLambdaRunner, type BuiltLambda } from '../helpers/builtLambdas.ts';
import type { ReportingWorldReply, ReportingWorldRequest, ReportingWorldStats } from './reportingBenchServer.ts';

export interface ReportingBenchOptions {
  accounts: number;
  issuesPerAccount: number;
  jiraLatencyMs: number;
  slackLatencyMs: number;
  /** slack.digest_threshold of the run (0: off). */
  digestThreshold: number;
  /** The reporting Lambda's timeout, s (deployment/terraform/modules/reporting: 900 by default). */
  lambdaTimeoutSeconds: number;
  /** Scheduled runs at most before the bench gives up. */
  maxRuns: number;
}

export const DEFAULT_REPORTING_BENCH: ReportingBenchOptions = {
  accounts: 50,
  issuesPerAccount: 20,
  jiraLatencyMs: 150,
  slackLatencyMs: 100,
  digestThreshold: 100,
  lambdaTimeoutSeconds: 900,
  maxRuns: 4,
};

/** Issue 12's targets. */
const RUNS_TARGET = 2;

/** A checked count, as test/bench/run.ts renders its checks. */
export interface ReportingCheckRow {
  measure: string;
  target: string;
  measured: Cell[];
  ok: boolean;
}

export interface ReportingBenchResult {
  /** The tables, ready to print. */
  text: string;
  rows: ReportingCheckRow[];
  ok: boolean;
}

const ISSUES_TABLE = 'hammer-cloudtrails';
const CREDENTIALS_TABLE = 'hammer-credentials';
const SLACK_TOKEN = 'xoxb-bench-0000-reporting';
const PROJECTS = ['SECA', 'SECB', 'SECC', 'SECD', 'SECE'];
const SECURITY_CHANNEL = '#security-alerts';
const MAIN_REGION = 'eu-west-1';
/** Regions of the issues: the 17 default ones, then opt-in ones (an account has at most this many issues). */
const REGIONS = [...DEFAULT_REGIONS, 'af-south-1', 'ap-east-1', 'me-south-1', 'eu-south-1', 'ap-southeast-3', 'me-central-1', 'il-central-1', 'ca-west-1'];
const IDENTIFIED = '2026-11-26T14:15:03.250000+00:00';

interface BenchAccount {
  id: string;
  name: string;
  project: string;
  channel: string;
  /** A person who also gets the account's messages (every fifth account). */
  user: { id: string; name: string } | undefined;
}

function benchAccounts(count: number): BenchAccount[] {
  return Array.from({ length: count }, (_, index) => {
    const number = String(index + 1).padStart(3, '0');
    return {
      id: String(300000000000 + index + 1),
      name: `account-${number}`,
      project: PROJECTS[index % PROJECTS.length] as string,
      channel: `#team-${number}`,
      user: index % 5 === 0 ? { id: `U0${number}`, name: `owner-${number}` } : undefined,
    };
  });
}

/** The benchmark's outside world in its own process (reportingBenchServer.ts). */
class WorldProcess {
  private readonly child: ChildProcess;
  private readonly pending: Array<(reply: ReportingWorldReply) => void> = [];

  constructor() {
    this.child = fork(join(dirname(fileURLToPath(import.meta.url)), 'reportingBenchServer.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (reply: ReportingWorldReply) => this.pending.shift()?.(reply));
  }

  ask(request: ReportingWorldRequest): Promise<ReportingWorldReply> {
    return new Promise((resolvePromise, reject) => {
      this.pending.push((reply) => (reply.type === 'failed' ? reject(new Error(`reporting world: ${reply.error}`)) : resolvePromise(reply)));
      this.child.send(request);
    });
  }

  async stats(): Promise<ReportingWorldStats> {
    const reply = await this.ask({ type: 'stats' });
    if (reply.type !== 'stats') throw new Error(`reporting world: unexpected ${reply.type}`);
    return reply.stats;
  }

  async stop(): Promise<void> {
    if (this.child.connected) await this.ask({ type: 'stop' });
    if (this.child.exitCode === null) await new Promise((resolvePromise) => this.child.once('exit', resolvePromise));
  }
}

function configJson(accounts: readonly BenchAccount[], options: ReportingBenchOptions, urls: { jiraUrl: string; slackApiUrl: string }): Record<string, unknown> {
  return {
    aws: { region: MAIN_REGION, main_account_id: accounts[0]?.id, accounts: Object.fromEntries(accounts.map((account) => [account.id, account.name])) },
    jira: { enabled: true, server: urls.jiraUrl, deployment: 'server', issue_type: 'Task', text_field_character_limit: 32767 },
    slack: { enabled: true, notify_default_owner: true, channels: {}, ignore: [], api_url: urls.slackApiUrl, ...(options.digestThreshold > 0 ? { digest_threshold: options.digestThreshold } : {}) },
    credentials: { 'ddb.table_name': CREDENTIALS_TABLE },
    whitelisting_procedure_url: 'https://wiki.example.com/whitelisting',
    cloudtrails: { enabled: true, 'ddb.table_name': ISSUES_TABLE, reporting: true, labels: ['cloudtrail-issue'] },
  };
}

function ticketOwnersJson(accounts: readonly BenchAccount[]): Record<string, unknown> {
  return {
    jira_project: PROJECTS[0],
    jira_owner: SUPPORT.name,
    jira_parent_ticket: `${PROJECTS[0]}-1`,
    slack_owner: SECURITY_CHANNEL,
    account: Object.fromEntries(accounts.map((account) => [account.id, {
      jira_project: account.project,
      jira_parent_ticket: `${account.project}-1`,
      slack_owner: account.user === undefined ? account.channel : [account.channel, account.user.name],
    }])),
  };
}

/** The issues table and the credentials table, with every issue as identification writes a disabled region. */
async function seedTables(endpoint: string, accounts: readonly BenchAccount[], perAccount: number): Promise<number> {
  const client = new DynamoDBClient({ endpoint, region: MAIN_REGION, credentials: TEST_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  try {
    await createTableWhenActive(client, issuesTableInput(ISSUES_TABLE));
    await createTableWhenActive(client, hashKeyTableInput(CREDENTIALS_TABLE, 'service'));
    await doc.send(new PutCommand({ TableName: CREDENTIALS_TABLE, Item: { service: 'jira', credentials: { basic: { username: BOT.emailAddress, password: SECRETS.basicPassword } } } }));
    await doc.send(new PutCommand({ TableName: CREDENTIALS_TABLE, Item: { service: 'slack', credentials: { api_token: SLACK_TOKEN } } }));
    const items = accounts.flatMap((account) => REGIONS.slice(0, perAccount).map((region) => ({
      account_id: account.id,
      issue_id: region,
      status: 'open',
      issue_details: { disabled: true, delivery_errors: {}, trails: [{ id: `arn:aws:cloudtrail:${region}:${account.id}:trail/main`, enabled: false, multi_region: false, selectors: 'All', errors: {} }] },
      timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: null, remediated: null, closed: null },
      jira_details: {},
    })));
    for (let start = 0; start < items.length; start += 25) {
      await doc.send(new BatchWriteCommand({ RequestItems: { [ISSUES_TABLE]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    return items.length;
  } finally {
    client.destroy();
  }
}

/** Per issue as stored after the runs: its ticket and whether it is reported. */
async function readIssues(endpoint: string): Promise<Array<{ ticket: unknown; reported: unknown }>> {
  const client = new DynamoDBClient({ endpoint, region: MAIN_REGION, credentials: TEST_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(client);
  try {
    const issues: Array<{ ticket: unknown; reported: unknown }> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: ISSUES_TABLE, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) issues.push({ ticket: (item.jira_details as Record<string, unknown> | undefined)?.ticket, reported: (item.timestamps as Record<string, unknown> | undefined)?.reported });
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return issues;
  } finally {
    client.destroy();
  }
}

interface RunRecord {
  wallMs: number;
  ok: boolean;
  summary: { issues?: number; deferred?: number; outcomes?: Record<string, number> } | undefined;
  error: string | undefined;
  ticketsAfter: number;
  messagesAfter: number;
  maxRssKiB: number;
}

function count<T>(values: readonly T[], key: (value: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(key(value), (counts.get(key(value)) ?? 0) + 1);
  return counts;
}

function repeated(counts: Map<string, number>): number {
  return [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
}

const DIGEST_HEADER = /^CloudTrail logging issues of this run: \d+ \(digest, part \d+ of \d+\)/;

/**
 * Runs the benchmark. `lambda`: the reporting Lambda already built (run.ts
 * builds all three); else it is built here. `work`: a folder outside the
 * repository (default: a fresh temporary one, removed at the end).
 */
export async function runReportingBench(options: ReportingBenchOptions, context: { work?: string; lambda?: BuiltLambda } = {}): Promise<ReportingBenchResult> {
  const ownWork = context.work === undefined;
  const work = context.work ?? mkdtempSync(join(tmpdir(), 'hammer-reporting-bench-'));
  const accounts = benchAccounts(options.accounts);
  const perAccount = Math.min(options.issuesPerAccount, REGIONS.length);
  const world = new WorldProcess();
  const users = accounts.flatMap((account) => (account.user === undefined ? [] : [account.user]));
  let lambdaProcess: ReturnType<typeof startWarmLambda> | undefined;
  try {
    const ready = await world.ask({
      type: 'start',
      setup: { jiraLatencyMs: options.jiraLatencyMs, slackLatencyMs: options.slackLatencyMs, projects: PROJECTS, channels: [SECURITY_CHANNEL, ...accounts.map((account) => account.channel)], users, slackToken: SLACK_TOKEN },
    });
    if (ready.type !== 'ready') throw new Error(`reporting world: unexpected ${ready.type}`);
    const issues = await seedTables(ready.dynamoEndpoint, accounts, perAccount);

    const configDir = join(work, 'reporting-config');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify(configJson(accounts, options, ready), null, 2));
    writeFileSync(join(configDir, 'ticket_owners.json'), JSON.stringify(ticketOwnersJson(accounts), null, 2));
    writeFileSync(join(configDir, 'whitelist.json'), JSON.stringify({ cloudtrails: {} }));
    const lambda = context.lambda ?? (await buildAndUnpack({ names: ['create_cloudtrail_tickets'], configDir, work: join(work, 'reporting-build') })).create_cloudtrail_tickets as BuiltLambda;

    lambdaProcess = startWarmLambda({
      runner: writeLambdaRunner(work),
      lambda,
      functionArn: `arn:aws:lambda:${MAIN_REGION}:${accounts[0]?.id}:function:hammer-create-cloudtrail-tickets`,
      timeoutMs: options.lambdaTimeoutSeconds * 1000,
      memoryMb: 256,
      env: {
        AWS_ACCESS_KEY_ID: 'ASIAQBENCHREPORTING1',
        AWS_SECRET_ACCESS_KEY: 'YmVuY2gtcmVwb3J0aW5nLXJvbGUtc2VjcmV0',
        AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEBENCHreporting',
        AWS_ENDPOINT_URL_DYNAMODB: ready.dynamoEndpoint,
        // The config with the fakes' addresses, whatever config the zip carries.
        HAMMER_CONFIG_DIR: configDir,
      },
    });

    const runs: RunRecord[] = [];
    for (let run = 1; run <= options.maxRuns; run += 1) {
      const outcome = await lambdaProcess.invoke({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, `bench-reporting-${run}`);
      const stats = await world.stats();
      const summary = outcome.outcome?.result as RunRecord['summary'];
      runs.push({
        wallMs: outcome.outcome?.duration_ms ?? Number.NaN,
        ok: outcome.outcome?.ok === true,
        summary,
        error: outcome.outcome?.error?.message,
        ticketsAfter: stats.tickets.length,
        messagesAfter: stats.slackMessages.length,
        maxRssKiB: outcome.outcome?.max_rss_kb ?? 0,
      });
      const left = (summary?.deferred ?? 0) + (summary?.outcomes?.failed ?? 0) + (summary?.outcomes?.waiting ?? 0);
      if (outcome.outcome?.ok !== true || left === 0) break;
    }
    const stats = await world.stats();
    const stored = await readIssues(ready.dynamoEndpoint);
    return report(options, { accounts, issues, runs, stats, stored });
  } finally {
    await lambdaProcess?.stop();
    await world.stop();
    if (ownWork) rmSync(work, { recursive: true, force: true });
  }
}

interface Measured {
  accounts: readonly BenchAccount[];
  issues: number;
  runs: RunRecord[];
  stats: ReportingWorldStats;
  stored: Array<{ ticket: unknown; reported: unknown }>;
}

function report(options: ReportingBenchOptions, measured: Measured): ReportingBenchResult {
  const { accounts, issues, runs, stats, stored } = measured;
  const usersCount = accounts.filter((account) => account.user !== undefined).length;
  const perAccount = Math.min(options.issuesPerAccount, REGIONS.length);
  const digestOn = options.digestThreshold > 0 && issues >= options.digestThreshold;
  const maxProject = Math.max(0, ...Object.values(stats.jiraMaxConcurrentByProject));
  const wallMs = runs.reduce((sum, run) => sum + run.wallMs, 0);
  const minutes = wallMs / 60_000;

  // Duplicates: a lifecycle label on two tickets, a ticket on two issues, the same message twice to one place, an issue twice in the digest.
  const labels = stats.tickets.flatMap((ticket) => ticket.labels.filter((label) => label.startsWith('hammer-cloudtrails-')));
  const duplicateTickets = repeated(count(labels, (label) => label)) + repeated(count(stored.filter((issue) => typeof issue.ticket === 'string'), (issue) => String(issue.ticket)));
  const digestParts = stats.slackMessages.filter((message) => DIGEST_HEADER.test(message.text));
  const singles = stats.slackMessages.filter((message) => !DIGEST_HEADER.test(message.text));
  const digestLines = digestParts.flatMap((message) => message.text.split('\n').slice(1).map((line) => `${message.channel} ${line}`));
  const duplicateMessages = repeated(count(singles, (message) => `${message.channel} ${message.text}`)) + repeated(count(digestLines, (line) => line));
  const unreported = stored.filter((issue) => typeof issue.reported !== 'string').length;
  const withoutTicket = stored.filter((issue) => typeof issue.ticket !== 'string').length;

  // JIRA calls: five per new ticket (create, link to the parent, assignable search, assign, watch) and the link type once per run.
  const jiraTarget = 5 * issues + runs.length;
  // Messages: each issue to its team channel, to its person where there is one, and to the security channel (one by one, or in the digest).
  const expectedSingles = issues + usersCount * perAccount + (digestOn ? 0 : issues);
  const lastRun = runs.at(-1);
  const finished = lastRun !== undefined && lastRun.ok && unreported === 0;

  const rows: ReportingCheckRow[] = [
    { measure: `scheduled runs to report ${issues} new issues (Lambda timeout ${options.lambdaTimeoutSeconds} s, no issue started under the last ${REPORTING_RESERVE_MS / 1000} s)`, target: `<= ${RUNS_TARGET}`, measured: [finished ? runs.length : `${runs.length} (unfinished)`], ok: finished && runs.length <= RUNS_TARGET },
    { measure: 'issues left unreported or without a ticket', target: '= 0', measured: [`${unreported} / ${withoutTicket}`], ok: unreported === 0 && withoutTicket === 0 },
    { measure: 'tickets filed', target: `= ${issues}`, measured: [stats.tickets.length], ok: stats.tickets.length === issues },
    { measure: 'duplicate tickets (a lifecycle label or a key twice)', target: '= 0', measured: [duplicateTickets], ok: duplicateTickets === 0 },
    { measure: 'JIRA calls', target: `<= ${jiraTarget} (5 per ticket + 1 per run)`, measured: [stats.jiraRequests], ok: stats.jiraRequests <= jiraTarget },
    { measure: 'Slack messages one by one (team channels, people' + (digestOn ? '' : `, ${SECURITY_CHANNEL}`) + ')', target: `= ${expectedSingles}`, measured: [singles.length], ok: singles.length === expectedSingles },
    ...(digestOn ? [{ measure: `issues listed in the digest to ${SECURITY_CHANNEL}`, target: `= ${issues}, once each`, measured: [`${digestLines.length} in ${digestParts.length} messages`], ok: digestLines.length === issues }] : []),
    { measure: 'duplicate Slack messages (or digest lines)', target: '= 0', measured: [duplicateMessages], ok: duplicateMessages === 0 },
    { measure: 'Slack 429s received', target: '= 0 (paced under the limit)', measured: [stats.slackRateLimitedAnswers], ok: stats.slackRateLimitedAnswers === 0 },
    {
      measure: 'JIRA requests in progress at once, most: overall / busiest project (one per issue in progress)',
      target: `<= ${DEFAULTS.reportingConcurrency} / <= ${DEFAULTS.jiraProjectConcurrency} (cloudtrails.reporting_concurrency / jira.project_concurrency)`,
      measured: [`${stats.jiraMaxConcurrent} / ${maxProject}`],
      ok: stats.jiraMaxConcurrent <= DEFAULTS.reportingConcurrency && maxProject <= DEFAULTS.jiraProjectConcurrency,
    },
  ];

  const timingRows: Cell[][] = [
    ...runs.map((run, index): Cell[] => [
      `run ${index + 1}: wall time, s (tickets / messages after it; issues taken up, left for the next run)`,
      `${(run.wallMs / 1000).toFixed(1)} (${run.ticketsAfter} / ${run.messagesAfter}; ${run.summary?.issues ?? '-'}, ${run.summary?.deferred ?? '-'})${run.ok ? '' : ` FAILED: ${run.error ?? 'no outcome'}`}`,
    ]),
    ['tickets per minute', minutes > 0 ? Math.round(stats.tickets.length / minutes) : '-'],
    ['Slack messages per minute (digest parts included)', minutes > 0 ? Math.round(stats.slackMessages.length / minutes) : '-'],
    ['Slack requests at once, most', stats.slackMaxConcurrent],
    ['peak RSS of the Lambda process, MiB', Math.round(Math.max(...runs.map((run) => run.maxRssKiB)) / 1024)],
    ['CPU of the fakes and dynalite process, s', (stats.cpuMs / 1000).toFixed(1)],
  ];
  // One issue at a time: five JIRA answers and, on average, its messages (team channel, security channel, a person for every fifth account).
  const messagesPerIssue = 2 + (usersCount * perAccount) / Math.max(1, issues);
  const hammerSequentialS = (issues * (5 * options.jiraLatencyMs + messagesPerIssue * options.slackLatencyMs)) / 1000;
  const securityChannelS = issues; // one message a second
  const title = `Reporting at scale: ${issues} new issues in ${accounts.length} accounts (${PROJECTS.length} JIRA projects), the built reporting Lambda in one warm environment, JIRA ${options.jiraLatencyMs} ms and Slack ${options.slackLatencyMs} ms per answer, Slack's per-channel limit enforced; slack.digest_threshold ${options.digestThreshold > 0 ? options.digestThreshold : 'off'}`;
  const runsOf = (seconds: number): string => {
    const n = Math.ceil(seconds / (options.lambdaTimeoutSeconds - REPORTING_RESERVE_MS / 1000));
    return `${n} run${n === 1 ? '' : 's'} of ${options.lambdaTimeoutSeconds} s`;
  };
  const text = [
    renderTable(title, ['measure', 'target', 'measured', ''], rows.map((row) => [row.measure, row.target, ...row.measured, row.ok ? 'ok' : 'FAILED'])),
    renderTable('Reporting timings (reported, not asserted)', ['measure', 'measured'], timingRows),
    `\nFor scale: one issue at a time (Hammer's way) waits at least ${hammerSequentialS.toFixed(0)} s for JIRA and Slack answers alone (${runsOf(hammerSequentialS)}); ` +
      `without the digest, ${SECURITY_CHANNEL} alone takes ${securityChannelS} s at one message a second (${runsOf(securityChannelS)}).`,
  ].join('\n');
  return { text, rows, ok: rows.every((row) => row.ok) };
}

export const REPORTING_USAGE = `usage: npm run bench:reporting [-- options]

Reports new issues with the built reporting Lambda against the fake JIRA and
Slack (Slack's per-channel limit enforced) and prints each count beside its
target (issue 12). Exits 1 when a count exceeds its target or anything is
repeated; timings are reported, not asserted. 2 for a usage error.

options (whole numbers):
  --accounts <n>             accounts (default 50, >= 1)
  --issues-per-account <n>   new issues in each account (default 20, 1 to ${REGIONS.length})
  --jira-latency-ms <n>      latency of every JIRA answer (default 150)
  --slack-latency-ms <n>     latency of every Slack answer (default 100)
  --digest-threshold <n>     slack.digest_threshold (default 100; 0: off, Hammer's one message per issue)
  --lambda-timeout-s <n>     the reporting Lambda's timeout (default 900, > 120)
  --max-runs <n>             scheduled runs at most (default 4)
  --help                     print this and exit`;

export class ReportingUsageError extends Error {
  override readonly name = 'ReportingUsageError';
}

export function parseReportingOptions(argv: readonly string[]): ReportingBenchOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        accounts: { type: 'string' },
        'issues-per-account': { type: 'string' },
        'jira-latency-ms': { type: 'string' },
        'slack-latency-ms': { type: 'string' },
        'digest-threshold': { type: 'string' },
        'lambda-timeout-s': { type: 'string' },
        'max-runs': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err: unknown) {
    throw new ReportingUsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) return 'help';
  const number = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const text = values[name];
    if (text === undefined) return fallback;
    const value = Number(text);
    if (typeof text !== 'string' || !/^\d+$/.test(text.trim()) || value < min || value > max) throw new ReportingUsageError(`--${name} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}, got ${String(text)}`);
    return value;
  };
  const defaults = DEFAULT_REPORTING_BENCH;
  return {
    accounts: number('accounts', defaults.accounts, 1),
    issuesPerAccount: number('issues-per-account', defaults.issuesPerAccount, 1, REGIONS.length),
    jiraLatencyMs: number('jira-latency-ms', defaults.jiraLatencyMs, 0),
    slackLatencyMs: number('slack-latency-ms', defaults.slackLatencyMs, 0),
    digestThreshold: number('digest-threshold', defaults.digestThreshold, 0),
    lambdaTimeoutSeconds: number('lambda-timeout-s', defaults.lambdaTimeoutSeconds, REPORTING_RESERVE_MS / 1000 + 1, 900),
    maxRuns: number('max-runs', defaults.maxRuns, 1),
  };
}

const isCommand = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1]);
if (isCommand) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  let options: ReportingBenchOptions | 'help';
  try {
    options = parseReportingOptions(process.argv.slice(2));
  } catch (err: unknown) {
    if (!(err instanceof ReportingUsageError)) throw err;
    console.error(`bench:reporting: ${err.message}\n\n${REPORTING_USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(REPORTING_USAGE);
    process.exit(0);
  }
  const cpu = cpus();
  console.log(`hammer-cloudtrails reporting benchmark, ${new Date().toISOString()}: node ${process.version}, ${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  const started = Date.now();
  runReportingBench(options).then(
    (result) => {
      console.log(result.text);
      console.log(`\nbench wall time: ${((Date.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
      const failed = result.rows.filter((row) => !row.ok);
      if (failed.length > 0) console.log(`FAILED: ${failed.length} count(s) off their target:\n  ${failed.map((row) => row.measure).join('\n  ')}`);
      else console.log('every count at its target: nothing repeated, no 429, every issue reported with one ticket');
      process.exit(result.ok ? 0 : 1);
    },
    (err: unknown) => {
      console.error(`bench:reporting: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
