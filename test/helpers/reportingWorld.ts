/**
 * The world of the reporting end-to-end tests: the production wiring of
 * create_cloudtrail_tickets (productionReportingDeps: the issue store, the
 * credentials table, the JIRA REST client, the Slack Web API notifier)
 * against dynalite, the loopback fake JIRA (the parent ticket AWSSEC-1 in
 * place) and the loopback fake Slack. Only the clock and the retry waits are
 * test doubles. After every run, no secret of the credentials may be in the logs.
 *
 *   const worlds = new ReportingWorlds(dynamo);     // in before.each: worlds.reset()
 *   const w = await worlds.start({ flavour: 'cloud' });
 *   await w.run(RUN1); await w.item(); w.jira.requests;
 *   await worlds.stopAll();                         // in after.each
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as assert from 'uvu/assert';
import { IssueStore } from '../../library/issues/issueStore.ts';
import { productionReportingDeps } from '../../reporting/reportingDeps.ts';
import { runReporting, type ReportingDeps, type ReportingRunOptions, type ReportingSummary } from '../../reporting/reportingRun.ts';
import type { LocalDynamo } from '../fakes/dynalite.ts';
import { BOB, PROJECTS, SECRETS, USERS, credentialsItem, fakeCredentials, oauthKeyPair, type JiraAuthKind } from '../fakes/fakeJiraFixtures.ts';
import { CLOUD_DEFAULT_PRIORITIES, SERVER_DEFAULT_PRIORITIES, startFakeJira, type FakeJira, type FakeJiraFlavour, type FakeJiraOptions, type RecordedJiraRequest } from '../fakes/fakeJiraServer.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions, type FakeSlackUser } from '../fakes/fakeSlackServer.ts';
import { RecordingLog } from './recordingLog.ts';
import { SLACK_TOKEN, SLAVE1, TestClock, setUpReporting, type ReportingSetup, type ReportingSetupOptions } from './reportingFixtures.ts';

export const SLACK_USERS: FakeSlackUser[] = [
  { id: 'U0ALICE', name: 'alice', email: 'alice@example.com' },
  { id: 'U0BOB', name: 'bob', email: 'bob@example.com' },
];

/** ticket_owners.json: the JIRA owner as the deployment names users, Slack owners top level and per account. */
export function ticketOwners(jiraOwner: string): Record<string, unknown> {
  return {
    account: { [SLAVE1]: { slack_owner: 'alice' } },
    jira_project: 'AWSSEC',
    jira_owner: jiraOwner,
    jira_parent_ticket: 'AWSSEC-1',
    slack_owner: ['#devops-channel', 'bob'],
  };
}

export interface World {
  jira: FakeJira;
  slack: FakeSlack;
  setup: ReportingSetup;
  /** The deps of every run (a test may swap a part, e.g. wrap the tracker factory). */
  deps: ReportingDeps;
  /** Identification's own store on the same table, writing as describe_cloudtrails does. */
  identification: IssueStore;
  /** One reporting run at `at`; then asserts that no secret reached the logs. */
  run(at: string, options?: ReportingRunOptions): Promise<ReportingSummary>;
  item(region?: string): Promise<Record<string, unknown> | undefined>;
}

export interface WorldOptions {
  flavour?: FakeJiraFlavour;
  auth?: JiraAuthKind;
  jiraOwner?: string;
  /** Extra keys of config.json's jira section. */
  jiraConfig?: Record<string, unknown>;
  /** Extra options of the fake JIRA (search index lag, clock). */
  fakeJira?: Partial<FakeJiraOptions>;
  slackUsers?: FakeSlackUser[];
  slackPageSize?: number;
  /** Extra options of the fake Slack (channels, its per-channel limit, latency, clock). */
  fakeSlack?: Partial<FakeSlackOptions>;
  setup?: Partial<ReportingSetupOptions>;
}

/** A line from the middle of a PEM key: key material that must never be logged. */
export function pemBodyLine(pem: string): string {
  return pem.split('\n')[3] ?? pem;
}

export class ReportingWorlds {
  log = new RecordingLog();
  clock = new TestClock(new Date(0));
  sleeps: number[] = [];
  /** Secrets of the current test's credentials, none of which may reach a log line. */
  secrets: string[] = [];
  private readonly running: Array<{ stop(): Promise<void> }> = [];

  constructor(private readonly dynamo: LocalDynamo) {}

  /** Fresh log, clock (at `now`), waits and secrets, for the next test. */
  reset(now: string): void {
    this.log = new RecordingLog();
    this.clock = new TestClock(new Date(now));
    this.sleeps = [];
    this.secrets = [SLACK_TOKEN, SECRETS.basicPassword, SECRETS.bearerToken, SECRETS.oauthAccessToken, SECRETS.oauthAccessTokenSecret, pemBodyLine(oauthKeyPair().privateKeyPem)];
  }

  /** Stops every fake started since the last call. */
  async stopAll(): Promise<void> {
    for (const server of this.running.splice(0)) await server.stop();
  }

  /**
   * Starts the fake JIRA (the parent ticket AWSSEC-1 in place, the site's
   * default priority scheme) and the fake Slack, and writes the tables and
   * the config pointing at them.
   */
  async start(options: WorldOptions = {}): Promise<World> {
    const flavour = options.flavour ?? 'server';
    const jira = await startFakeJira({
      flavour,
      users: USERS,
      projects: PROJECTS,
      credentials: fakeCredentials(),
      priorities: flavour === 'cloud' ? CLOUD_DEFAULT_PRIORITIES : SERVER_DEFAULT_PRIORITIES,
      ...options.fakeJira,
    });
    this.running.push(jira);
    jira.addIssue({ project: 'AWSSEC', summary: 'CloudTrail logging issues' });
    const slack = await startFakeSlack({ token: SLACK_TOKEN, users: options.slackUsers ?? SLACK_USERS, channels: ['#devops-channel'], ...(options.slackPageSize === undefined ? {} : { pageSize: options.slackPageSize }), ...options.fakeSlack });
    this.running.push(slack);
    const setup = await setUpReporting(this.dynamo, {
      slackApiUrl: slack.apiUrl,
      whitelistingProcedureUrl: 'https://wiki.example.com/whitelisting',
      ticketOwners: ticketOwners(options.jiraOwner ?? BOB.name),
      credentials: { jira: credentialsItem(options.auth ?? 'basic').credentials },
      jira: { server: jira.url, deployment: 'auto', ...options.jiraConfig },
      ...options.setup,
    });
    const deps = productionReportingDeps({ config: setup.config, doc: this.dynamo.doc, log: this.log, clock: this.clock.now, sleep: async (ms) => void this.sleeps.push(ms) });
    return {
      jira,
      slack,
      setup,
      deps,
      identification: new IssueStore(this.dynamo.doc, setup.issuesTable, this.clock.now, new RecordingLog()),
      run: async (at, runOptions) => {
        this.clock.set(at);
        try {
          return await runReporting(deps, runOptions);
        } finally {
          this.assertNoSecretsLogged();
        }
      },
      item: async (region = 'eu-west-1') =>
        (await this.dynamo.doc.send(new GetCommand({ TableName: setup.issuesTable, Key: { account_id: SLAVE1, issue_id: region } }))).Item,
    };
  }

  /** No secret of the test's credentials in any log line (checked after every run). */
  assertNoSecretsLogged(): void {
    const text = this.log.text();
    for (const secret of this.secrets) assert.not.ok(text.includes(secret), `a secret reached the logs: ${secret.slice(0, 6)}…`);
  }
}

/** `METHOD path` of the requests JIRA saw from index `from` on. */
export function calls(fake: FakeJira, from = 0): string[] {
  return fake.requests.slice(from).map((request) => `${request.method} ${request.path}`);
}

/** The Slack methods called from index `from` on. */
export function slackCalls(fake: FakeSlack, from = 0): string[] {
  return fake.requests.slice(from).map((request) => request.method);
}

export function lastRequest(fake: FakeJira, method: string, path: string): RecordedJiraRequest | undefined {
  return fake.requestsTo(method, path).at(-1);
}

/** One message per Slack owner of SLAVE1: the channel, bob and alice (messaged by user id), as `hammer`. */
export function toEveryOwner(text: string): Array<{ channel: string; text: string; username: string }> {
  return ['#devops-channel', 'U0BOB', 'U0ALICE'].map((channel) => ({ channel, text, username: 'hammer' }));
}
