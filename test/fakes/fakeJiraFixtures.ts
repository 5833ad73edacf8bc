/**
 * Ready-made people, projects and credentials for the fake JIRA, and a
 * tracker wired to it, so tests of the JIRA client and of reporting start
 * from the same world:
 *
 *   const world = await startJiraWorld({ flavour: 'cloud', auth: 'oauth' });
 *   await world.tracker.createTicket(ticketRequest());
 *   world.jira.issue('AWSSEC-1'); world.log.text(); world.sleeps;
 *   await world.stop();
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { parseJiraCredentials, type JiraCredentials } from '../../reporting/jira/jiraCredentials.ts';
import { createJiraTracker, type JiraTracker, type JiraTrackerOptions } from '../../reporting/jira/jiraTracker.ts';
import type { TicketRequest } from '../../reporting/ticketTracker.ts';
import { startFakeJira, type FakeJira, type FakeJiraCredential, type FakeJiraFlavour, type FakeJiraOptions, type FakeJiraUser } from './fakeJiraServer.ts';
import { RecordingLog } from '../helpers/recordingLog.ts';

/** The bot Hammer logs in as. */
export const BOT: FakeJiraUser = { name: 'hammer-bot', accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Hammer Bot', emailAddress: 'hammer-bot@example.com' };
/** The jira_owner of the sample ticket_owners.json. */
export const SUPPORT: FakeJiraUser = { name: 'Support-Cloud', accountId: '5b10a2844c20165700ede21a', displayName: 'Support Cloud', emailAddress: 'support-cloud@example.com' };
export const BOB: FakeJiraUser = { name: 'bob', accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', displayName: 'Bob Smith', emailAddress: 'bob@example.com' };
/** Shares bob's prefix: a search for "bob" finds both. */
export const BOBBY: FakeJiraUser = { name: 'bobby', accountId: '5c0e9a2b4f1d3e7a8b6c5d4e', displayName: 'Bobby Tables', emailAddress: 'bobby@example.com' };
/** Not assignable in AWSSEC. */
export const CAROL: FakeJiraUser = { name: 'carol', accountId: '5d1f0b3c5e2a4f8b9c7d6e5f', displayName: 'Carol Jones', emailAddress: 'carol@example.com' };

export const USERS: FakeJiraUser[] = [BOT, SUPPORT, BOB, BOBBY, CAROL];

export const PROJECTS: FakeJiraOptions['projects'] = [
  { key: 'AWSSEC', workflow: 'classic', assignable: [BOT.name, SUPPORT.name, BOB.name, BOBBY.name] },
  { key: 'CLOUDSEC', workflow: 'simple', assignable: [BOT.name, SUPPORT.name] },
  { key: 'NOSCREEN', workflow: 'classic', commentOnTransition: false },
  { key: 'LOCKED', workflow: 'classic', assignable: [CAROL.name], defaultAssignee: CAROL.name },
];

export type JiraAuthKind = 'oauth' | 'basic' | 'bearer';

/** Secrets of the fixture credentials, for "never in logs" assertions. */
export const SECRETS = {
  basicPassword: 'S3cret-Api-Token-Never-Logged',
  bearerToken: 'pat-NjQ5MzU1NDk2Mzg3-never-logged',
  oauthAccessToken: 'oauth-access-token-never-logged',
  oauthAccessTokenSecret: 'oauth-token-secret-never-logged',
  consumerKey: 'hammer-consumer',
};

let keyPair: { privateKeyPem: string; publicKey: KeyObject } | undefined;

/** One RSA key pair per process (generation takes a moment). */
export function oauthKeyPair(): { privateKeyPem: string; publicKey: KeyObject } {
  if (keyPair === undefined) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keyPair = { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
  }
  return keyPair;
}

/** The credentials table item as Hammer's ddb_inject_credentials.py (oauth) or this project's tool writes it. */
export function credentialsItem(kind: JiraAuthKind, privateKeyPem = oauthKeyPair().privateKeyPem): { service: 'jira'; credentials: Record<string, unknown> } {
  switch (kind) {
    case 'oauth':
      return {
        service: 'jira',
        credentials: {
          oauth: { consumer_key: SECRETS.consumerKey, key_cert: privateKeyPem, access_token: SECRETS.oauthAccessToken, access_token_secret: SECRETS.oauthAccessTokenSecret },
        },
      };
    case 'basic':
      return { service: 'jira', credentials: { basic: { username: BOT.emailAddress ?? BOT.name, password: SECRETS.basicPassword } } };
    case 'bearer':
      return { service: 'jira', credentials: { token: SECRETS.bearerToken } };
  }
}

/** What the fake accepts: each kind acting as the bot. */
export function fakeCredentials(): FakeJiraCredential[] {
  return [
    { kind: 'oauth', consumerKey: SECRETS.consumerKey, publicKey: oauthKeyPair().publicKey, accessToken: SECRETS.oauthAccessToken, user: BOT.name },
    { kind: 'basic', username: BOT.emailAddress ?? BOT.name, password: SECRETS.basicPassword, user: BOT.name },
    { kind: 'bearer', token: SECRETS.bearerToken, user: BOT.name },
  ];
}

/** A ticket as reporting files it for a disabled region. */
export function ticketRequest(overrides: Partial<TicketRequest> = {}): TicketRequest {
  return {
    project: 'AWSSEC',
    summary: "Disabled CloudTrail in 'slave1 / 210987654321 / eu-west-1'",
    description: 'No enabled CloudTrails for region available.\n\n*Risk*: High\n\n*Account Name*: slave1\n*Account ID*: 210987654321\n*Region*: eu-west-1\n',
    issueType: 'Task',
    priority: 'Major',
    labels: ['cloudtrail-issue'],
    parentTicket: undefined,
    owner: undefined,
    ...overrides,
  };
}

export interface JiraWorld {
  jira: FakeJira;
  tracker: JiraTracker;
  credentials: JiraCredentials;
  log: RecordingLog;
  /** Every wait the tracker asked for, in ms (the sleep is instant). */
  sleeps: number[];
  stop(): Promise<void>;
}

export interface JiraWorldOptions {
  flavour: FakeJiraFlavour;
  auth?: JiraAuthKind;
  /** Overrides of config.jira (server is the fake's URL). */
  jira?: Partial<JiraTrackerOptions['jira']>;
  configDir?: string;
  tls?: FakeJiraOptions['tls'];
  retry?: JiraTrackerOptions['retry'];
  /** Per request (the client's default is 30 s). */
  timeoutMs?: number;
  /** Credentials the tracker uses instead of the ones the fake accepts (wrong key, wrong password). */
  trackerCredentials?: JiraCredentials;
}

/** The fake JIRA with the fixture users and projects, and a tracker logged in to it. */
export async function startJiraWorld(options: JiraWorldOptions): Promise<JiraWorld> {
  const jira = await startFakeJira({ flavour: options.flavour, users: USERS, projects: PROJECTS, credentials: fakeCredentials(), ...(options.tls ? { tls: options.tls } : {}) });
  const log = new RecordingLog();
  const sleeps: number[] = [];
  const credentials = options.trackerCredentials ?? parseJiraCredentials(credentialsItem(options.auth ?? 'basic'));
  let tracker: JiraTracker;
  try {
    tracker = createJiraTracker({
    jira: { server: jira.url, closeTransition: 'Close Issue', deployment: 'auto', caBundle: undefined, ...options.jira },
    credentials,
    configDir: options.configDir ?? process.cwd(),
    log,
    deps: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    retry: options.retry,
    timeoutMs: options.timeoutMs,
  });
  } catch (err: unknown) {
    await jira.stop();
    throw err;
  }
  return { jira, tracker, credentials, log, sleeps, stop: () => jira.stop() };
}
