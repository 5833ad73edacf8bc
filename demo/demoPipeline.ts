/**
 * The demo's machinery: the demo world (demoWorld.ts) served on this machine
 * by the loopback fakes of test/fakes/ (the AWS wire fake for CloudTrail, STS,
 * SNS, EC2 and Security Hub; dynalite for DynamoDB; the fake JIRA and Slack),
 * the five Lambda zips built by build.mjs from the demo's config folder (it
 * turns cloudtrails.securityhub on, so the reporting and remediation zips
 * carry the Security Hub client), and each
 * step run through the BUILT handlers: each Lambda in its own Node process
 * with the environment Lambda gives, loaded once and invoked again and
 * again as a warm Lambda is (test/helpers/builtLambdas.ts), the endpoints
 * pointed at the fakes. Nothing leaves 127.0.0.1; no credentials but
 * made-up ones.
 */
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snsEventFor, startAwsWireFake, type AwsWireFake } from '../test/fakes/awsWireFake.ts';
import { hashKeyTableInput, startDynalite, type LocalDynamo } from '../test/fakes/dynalite.ts';
import { startFakeJira, type FakeJira, type FakeJiraIssue } from '../test/fakes/fakeJiraServer.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackMessage } from '../test/fakes/fakeSlackServer.ts';
import { buildAndUnpack, startWarmLambda, writeLambdaRunner, type BuiltLambda, type InvocationOutcome, type WarmLambda } from '../test/helpers/builtLambdas.ts';
import { sqsEventOf } from '../test/helpers/cloudTrailEventFixtures.ts';
import { writeConfigFolder } from '../test/helpers/configFolder.ts';
import { DEMO_JIRA, DEMO_MAIN_REGION, DEMO_REFUSALS, DEMO_SLACK, MASTER, demoAwsState, demoConfigFiles, type DemoScene, type DemoStepName } from './demoWorld.ts';

export type Item = Record<string, unknown>;

const LAMBDAS = ['initiate_to_desc_cloudtrails', 'describe_cloudtrails', 'create_cloudtrail_tickets', 'realtime_to_desc_cloudtrails', 'clean_cloudtrails'] as const;
type LambdaName = (typeof LAMBDAS)[number];

const FUNCTION_NAMES: Record<LambdaName, string> = {
  initiate_to_desc_cloudtrails: 'hammer-initiate-cloudtrails',
  describe_cloudtrails: 'hammer-describe-cloudtrails',
  create_cloudtrail_tickets: 'hammer-reporting-cloudtrails',
  realtime_to_desc_cloudtrails: 'hammer-realtime-cloudtrails',
  clean_cloudtrails: 'hammer-remediation-cloudtrails',
};
const TOPIC_ARN = `arn:aws:sns:${DEMO_MAIN_REGION}:${MASTER}:hammer-describe-cloudtrails-lambda`;
const REALTIME_TABLE = 'hammer-cloudtrails-realtime';
const REALTIME_QUEUE_ARN = `arn:aws:sqs:${DEMO_MAIN_REGION}:${MASTER}:hammer-cloudtrails-realtime`;
/** Each Lambda's own variables, as Terraform sets them. */
const ENVIRONMENT: Record<LambdaName, Record<string, string>> = {
  initiate_to_desc_cloudtrails: { SNS_ARN: TOPIC_ARN },
  describe_cloudtrails: {},
  create_cloudtrail_tickets: {},
  realtime_to_desc_cloudtrails: { SNS_ARN: TOPIC_ARN, REALTIME_TABLE_NAME: REALTIME_TABLE },
  clean_cloudtrails: {},
};
const ISSUES_TABLE = 'hammer-cloudtrails';
const CREDENTIALS_TABLE = 'hammer-credentials';
const API_TABLE = 'hammer-api-requests';
/** The Lambda role's credentials: made up; any key the fake did not hand out acts in the master account. */
const LAMBDA_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIADEMOLAMBDAROLE01',
  AWS_SECRET_ACCESS_KEY: 'ZGVtby1sYW1iZGEtcm9sZS1zZWNyZXQtbm90LXJlYWw',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEDEMODEMODEMOlambdaroletoken',
};

/** The demo failed to run (not a finding): what failed, with the Lambda's own words. */
export class DemoError extends Error {
  override readonly name = 'DemoError';
}

export type Progress = (line: string) => void;

export interface DemoRig {
  aws: AwsWireFake;
  dynamo: LocalDynamo;
  jira: FakeJira;
  slack: FakeSlack;
  lambdas: Record<LambdaName, BuiltLambda>;
  /** Built Lambda invocations so far. */
  invocations: number;
  stop(): Promise<void>;
  /** One invocation of a built Lambda, in its warm environment. */
  invoke(name: LambdaName, event: unknown): Promise<InvocationOutcome>;
}

/** How a region's check ended, from describe_cloudtrails' last log line about it. */
export interface RegionOutcome {
  /** A RegionResult: created, unchanged, updated, reopened, kept-closed, resolved, no-issue, status-unknown, region-not-enabled, failed. */
  outcome: string;
  /** The finding's status, for an issue. */
  status?: string;
  /** ARNs of the trails that log, for a region without issue. */
  loggingTrails?: string[];
  /** ARNs of the trails whose status is unknown. */
  unknownTrails?: string[];
  errorCode?: string;
}

/** One finding a reporting run imported into Security Hub (BatchImportFindings on the fake), as sent. */
export interface SentFinding {
  accountId: string;
  /** The region it was imported in. */
  region: string;
  id: string;
  recordState: string;
  compliance: string;
  severity: string;
  /** The issue status it reflects (ProductFields hammer/issue_status). */
  issueStatus: string;
  /** created: Security Hub did not hold it before the scene; updated; refused: listed in FailedFindings. */
  outcome: 'created' | 'updated' | 'refused';
}

/** A StartLogging call the fake AWS answered. */
export interface StartLoggingCall {
  accountId: string;
  region: string;
  trail: string;
  httpStatus: number;
  errorCode?: string;
}

/** What a clean_cloudtrails run did to one issue, from its log. */
export interface RemediatedIssue {
  accountId: string;
  region: string;
  /** remediated, remediation-failed, not-remediable, fixed-meanwhile (the IssueRemediator's outcomes). */
  outcome: string;
  /** The ticket comment and Slack text, when it told them. */
  comment?: string;
  ticket?: string;
}

/** What the remediation runs of a scene did. */
export interface RemediationRecord {
  startLogging: StartLoggingCall[];
  issues: RemediatedIssue[];
  /** The run's summary (its outcome counts), as the Lambda returned it. */
  outcomes: Record<string, number>;
}

/** What one scene did, for the person: snapshots of the table, JIRA and Slack around its steps. */
export interface SceneRecord {
  scene: DemoScene;
  /** `<account>/<region>` -> how its check ended in the scene's last scan. */
  outcomes: Map<string, RegionOutcome>;
  itemsBefore: Item[];
  /** The table right after the scene's last scan (before reporting). */
  itemsAfterScan: Item[];
  itemsAfter: Item[];
  ticketsBefore: FakeJiraIssue[];
  ticketsAfter: FakeJiraIssue[];
  slackMessages: FakeSlackMessage[];
  /** The findings the scene's reporting runs imported into Security Hub. */
  findingsSent: SentFinding[];
  /** What remediation did, in a scene with a 'remediation' step. */
  remediation: RemediationRecord | undefined;
}

/** Starts the fakes, writes the demo's config folder, builds and unpacks the zips, creates the tables. */
export async function startDemoRig(progress: Progress): Promise<DemoRig> {
  const work = mkdtempSync(join(tmpdir(), 'hammer-demo-'));
  const stops: Array<() => Promise<void>> = [async () => rmSync(work, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    progress('starting the local fakes: AWS (CloudTrail, STS, SNS, EC2, Security Hub), DynamoDB (dynalite), JIRA, Slack');
    const [aws, dynamo, jira, slack] = await Promise.all([
      startAwsWireFake(demoAwsState(), { cloudTrailCallsPerSecond: 10 }),
      startDynalite(),
      startFakeJira({ flavour: 'server', users: DEMO_JIRA.users, projects: DEMO_JIRA.projects, credentials: [DEMO_JIRA.credential] }),
      startFakeSlack({ token: DEMO_SLACK.token, users: DEMO_SLACK.users, channels: DEMO_SLACK.channels }),
    ]);
    stops.push(() => aws.stop(), () => dynamo.stop(), () => jira.stop(), () => slack.stop());
    for (const refusal of DEMO_REFUSALS) aws.inject(refusal);
    jira.addIssue({ project: DEMO_JIRA.project, summary: 'CloudTrail logging issues (parent ticket)' });

    const config = writeConfigFolder(demoConfigFiles({ jiraUrl: jira.url, slackApiUrl: slack.apiUrl }));
    stops.push(async () => config.remove());
    progress('building the Lambda zips from the demo config (node build.mjs)');
    const [lambdas] = await Promise.all([
      buildAndUnpack({ names: LAMBDAS, configDir: config.dir, work }),
      dynamo.createIssuesTable(ISSUES_TABLE),
      dynamo.createApiRequestsTable(API_TABLE),
      dynamo.createCredentialsTable(CREDENTIALS_TABLE),
      dynamo.createTable(hashKeyTableInput(REALTIME_TABLE, 'id')),
    ]);

    const runner = writeLambdaRunner(work);
    // One warm environment per Lambda, started now so the bundles load while the demo goes on.
    const warm = new Map<LambdaName, WarmLambda>(LAMBDAS.map((name) => [name, startWarmLambda({
      runner,
      lambda: (lambdas as Record<LambdaName, BuiltLambda>)[name],
      functionArn: `arn:aws:lambda:${DEMO_MAIN_REGION}:${MASTER}:function:${FUNCTION_NAMES[name]}`,
      env: { ...LAMBDA_CREDENTIALS, ...aws.endpointEnv, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, ...ENVIRONMENT[name] },
    })]));
    stops.push(async () => {
      await Promise.all([...warm.values()].map((environment) => environment.stop()));
    });
    // The credentials command's items (npm run credentials -- --slack-api-token ... --jira-username ... --jira-password ...).
    await dynamo.doc.send(new PutCommand({ TableName: CREDENTIALS_TABLE, Item: { service: 'slack', credentials: { api_token: DEMO_SLACK.token } } }));
    await dynamo.doc.send(new PutCommand({ TableName: CREDENTIALS_TABLE, Item: { service: 'jira', credentials: { basic: { username: DEMO_JIRA.credential.username, password: DEMO_JIRA.credential.password } } } }));
    let requests = 0;
    const rig: DemoRig = {
      aws,
      dynamo,
      jira,
      slack,
      lambdas: lambdas as Record<LambdaName, BuiltLambda>,
      invocations: 0,
      stop,
      invoke: async (name, event) => {
        requests += 1;
        rig.invocations += 1;
        const environment = warm.get(name);
        if (environment === undefined) throw new DemoError(`no built Lambda ${name}`);
        let outcome: InvocationOutcome;
        try {
          outcome = await environment.invoke(event, `demo-${String(requests).padStart(4, '0')}-${name}`);
        } catch (err: unknown) {
          throw new DemoError(`the built ${name} could not be invoked: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (outcome.outcome?.ok !== true) {
          const why = outcome.outcome?.error ? `${outcome.outcome.error.name}: ${outcome.outcome.error.message}` : `exit ${outcome.code}, ${outcome.stderr.trim().split('\n').slice(-3).join(' | ')}`;
          throw new DemoError(`the built ${name} failed: ${why}`);
        }
        return outcome;
      },
    };
    return rig;
  } catch (err: unknown) {
    await stop();
    throw err;
  }
}

/** Every item of the issues table, sorted by account and region. */
export async function issueItems(rig: DemoRig): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await rig.dynamo.doc.send(new ScanCommand({ TableName: ISSUES_TABLE, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items.sort((a, b) => `${String(a.account_id)}/${String(a.issue_id)}`.localeCompare(`${String(b.account_id)}/${String(b.issue_id)}`));
}

/** The region outcomes in describe_cloudtrails' log lines. */
function regionOutcomes(logs: ReadonlyArray<Record<string, unknown>>): Map<string, RegionOutcome> {
  const outcomes = new Map<string, RegionOutcome>();
  const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : undefined);
  for (const line of logs) {
    const { account_id: accountId, region, outcome } = line;
    if (typeof accountId !== 'string' || typeof region !== 'string' || typeof outcome !== 'string') continue;
    const entry: RegionOutcome = { outcome };
    if (typeof line.status === 'string') entry.status = line.status;
    const logging = strings(line.logging_trails);
    if (logging !== undefined) entry.loggingTrails = logging;
    const unknown = strings(line.unknown_trails);
    if (unknown !== undefined) entry.unknownTrails = unknown;
    if (typeof line.error_code === 'string') entry.errorCode = line.error_code;
    outcomes.set(`${accountId}/${region}`, entry);
  }
  return outcomes;
}

/**
 * What clean_cloudtrails did to each issue, from its log lines: "remediated
 * the issue" / "could not remediate the issue; ..." (outcome, comment,
 * ticket), and the issues someone fixed before it (the rescan resolved them).
 */
function remediatedIssues(logs: ReadonlyArray<Record<string, unknown>>): RemediatedIssue[] {
  const issues: RemediatedIssue[] = [];
  for (const line of logs) {
    const { account_id: accountId, region, message } = line;
    if (typeof accountId !== 'string' || typeof region !== 'string' || typeof message !== 'string') continue;
    if (typeof line.outcome === 'string' && typeof line.comment === 'string') {
      issues.push({ accountId, region, outcome: line.outcome, comment: line.comment, ...(typeof line.ticket === 'string' ? { ticket: line.ticket } : {}) });
    } else if (message.startsWith('the issue was remediated by someone')) {
      issues.push({ accountId, region, outcome: 'fixed-meanwhile' });
    }
  }
  return issues;
}

/** The findings imported into Security Hub since `imports` calls, as sent; `known` the finding keys Security Hub held before. */
function findingsSentSince(rig: DemoRig, imports: number, known: ReadonlySet<string>): SentFinding[] {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const field = (finding: Record<string, unknown>, ...path: string[]): string => {
    let value: unknown = finding;
    for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    return text(value);
  };
  return rig.aws.securityHubImports().slice(imports).flatMap((batch) => batch.findings.map((finding): SentFinding => {
    const id = text(finding.Id);
    const refused = batch.failed.some((failure) => failure.Id === id);
    return {
      accountId: batch.accountId,
      region: batch.region,
      id,
      recordState: field(finding, 'RecordState'),
      compliance: field(finding, 'Compliance', 'Status'),
      severity: field(finding, 'FindingProviderFields', 'Severity', 'Label') || field(finding, 'Severity', 'Label'),
      issueStatus: field(finding, 'ProductFields', 'hammer/issue_status'),
      outcome: refused ? 'refused' : known.has(`${batch.accountId}|${id}`) ? 'updated' : 'created',
    };
  }));
}

/** What the steps of one scene leave behind for its record. */
interface SceneContext {
  progress: Progress;
  scene: DemoScene;
  outcomes: Map<string, RegionOutcome>;
  itemsAfterScan: Item[] | undefined;
  remediation: RemediationRecord | undefined;
}

type DemoStep = (rig: DemoRig, context: SceneContext) => Promise<void>;

/** The steps scenes name (DemoStepName), each through the built Lambdas. */
export const DEMO_STEPS: Record<DemoStepName, DemoStep> = {
  'scheduled-scan': async (rig, context) => {
    context.progress('  initiate_to_desc_cloudtrails (the hourly schedule)');
    await rig.invoke('initiate_to_desc_cloudtrails', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    const messages = rig.aws.takePublished(TOPIC_ARN);
    if (messages.length === 0) throw new DemoError('initiate_to_desc_cloudtrails published no scan message');
    context.progress(`  describe_cloudtrails x ${messages.length} (one invocation per SNS message: one per account)`);
    const runs = await Promise.all(messages.map((message) => rig.invoke('describe_cloudtrails', snsEventFor(message))));
    context.outcomes = regionOutcomes(runs.flatMap((run) => run.logs));
    const republished = rig.aws.takePublished(TOPIC_ARN);
    if (republished.length > 0) throw new DemoError(`describe_cloudtrails published ${republished.length} message(s) back: a region was left unchecked`);
    context.itemsAfterScan = await issueItems(rig);
  },
  'cloudtrail-event': async (rig, context) => {
    const events = context.scene.events?.() ?? [];
    context.progress(`  realtime_to_desc_cloudtrails (${events.length} CloudTrail event(s) from the SQS queue)`);
    const run = await rig.invoke('realtime_to_desc_cloudtrails', sqsEventOf(events, REALTIME_QUEUE_ARN));
    const failures = (run.outcome?.result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures ?? [];
    if (failures.length > 0) throw new DemoError(`realtime_to_desc_cloudtrails could not ask ${failures.length} rescan(s)`);
    const messages = rig.aws.takePublished(TOPIC_ARN);
    context.progress(`  describe_cloudtrails x ${messages.length} (the rescan, as the schedule's)`);
    const runs = await Promise.all(messages.map((message) => rig.invoke('describe_cloudtrails', snsEventFor(message))));
    context.outcomes = regionOutcomes(runs.flatMap((scan) => scan.logs));
    context.itemsAfterScan = await issueItems(rig);
  },
  remediation: async (rig, context) => {
    context.progress('  clean_cloudtrails (the remediation schedule)');
    const calls = rig.aws.callsTo('cloudtrail', 'StartLogging').length;
    const run = await rig.invoke('clean_cloudtrails', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    const summary = run.outcome?.result as { remediation?: unknown; outcomes?: Record<string, number> } | undefined;
    if (summary?.remediation !== true) throw new DemoError('clean_cloudtrails did nothing: cloudtrails.remediation is off in the zip it runs');
    context.remediation = {
      startLogging: rig.aws.callsTo('cloudtrail', 'StartLogging').slice(calls).map((call): StartLoggingCall => ({
        accountId: call.accountId ?? '',
        region: call.region,
        trail: String(call.params.Name ?? ''),
        httpStatus: call.httpStatus,
        ...(call.errorCode === undefined ? {} : { errorCode: call.errorCode }),
      })),
      issues: remediatedIssues(run.logs),
      outcomes: summary.outcomes ?? {},
    };
  },
  reporting: async (rig, context) => {
    context.progress('  create_cloudtrail_tickets (the reporting schedule)');
    await rig.invoke('create_cloudtrail_tickets', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
  },
};

/** Plays one scene: its change of the world, then its steps; gives what the person is shown. */
export async function playScene(rig: DemoRig, scene: DemoScene, progress: Progress): Promise<SceneRecord> {
  const itemsBefore = await issueItems(rig);
  const ticketsBefore = structuredClone(rig.jira.issues());
  const slackSeen = rig.slack.messages.length;
  const importsSeen = rig.aws.securityHubImports().length;
  const findingsKnown = new Set(rig.aws.securityHubFindings().map((stored) => `${stored.accountId}|${String(stored.finding.Id)}`));
  scene.change?.(rig.aws);
  const context: SceneContext = { progress, scene, outcomes: new Map(), itemsAfterScan: undefined, remediation: undefined };
  for (const step of scene.steps) await DEMO_STEPS[step](rig, context);
  const itemsAfter = await issueItems(rig);
  return {
    scene,
    outcomes: context.outcomes,
    itemsBefore,
    itemsAfterScan: context.itemsAfterScan ?? itemsAfter,
    itemsAfter,
    ticketsBefore,
    ticketsAfter: structuredClone(rig.jira.issues()),
    slackMessages: rig.slack.messages.slice(slackSeen),
    findingsSent: findingsSentSince(rig, importsSeen, findingsKnown),
    remediation: context.remediation,
  };
}
