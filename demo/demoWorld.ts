/**
 * The demo's simulated organisation, as data: its accounts, regions, trails
 * and what the fake AWS refuses; the people and channels reporting talks to;
 * and the scenes the demo plays, in order. The pipeline (demoPipeline.ts)
 * serves this world through the loopback fakes of test/fakes/ and runs the
 * built Lambdas against it; nothing here knows how.
 *
 * To show a new feature, add a scene: a title, what happens (said to the
 * person), how the world changes before it (`change`), and the steps it runs
 * (`steps`, names of demoPipeline's DEMO_STEPS: add a step there when the
 * feature brings a new Lambda or command, as 'cloudtrail-event' does for the
 * real-time path and 'remediation' for clean_cloudtrails). Features a config
 * key turns on (the Security Hub export, remediation, its accounts) are on
 * in demoConfigFiles, so the zips carry what they need.
 */
import type { AwsWireFake, ErrorInjection, FakeAccount, FakeAwsState, FakeTrail } from '../test/fakes/awsWireFake.ts';
import type { FakeJiraCredential, FakeJiraProject, FakeJiraUser } from '../test/fakes/fakeJiraServer.ts';
import type { FakeSlackUser } from '../test/fakes/fakeSlackServer.ts';
import { stopLogging } from '../test/helpers/cloudTrailEventFixtures.ts';

/** The region the Hammer stack runs in (its Lambdas, tables and topic). */
export const DEMO_MAIN_REGION = 'eu-west-1';
/** aws.regions of the demo config: two standard regions and an opt-in one. */
export const DEMO_REGIONS = ['us-east-1', 'eu-west-1', 'eu-south-1'];
export const DEMO_ROLE = 'hammer-cloudsec-crossact-id';
/** aws.role_name_reporting: the cross-account role remediation assumes (Hammer's name), in the remediation account only. */
export const DEMO_REMEDIATION_ROLE = 'hammer-cloudsec-crossact-ec2';

export interface DemoAccount {
  id: string;
  name: string;
  /** What this account shows, for the person watching. */
  story: string;
  /** The account as the AWS wire fake serves it (regions enabled, roles, trails, organization). */
  aws: FakeAccount;
}

export interface DemoScene {
  title: string;
  /** What happens in the world before the steps run, said to the person. */
  narration: string[];
  /** Changes the live world (the fake's state, its injected errors) before the steps. */
  change?: (aws: AwsWireFake) => void;
  /**
   * The EventBridge events a 'cloudtrail-event' step delivers (made when the
   * step runs: their times are the calls' times, the debounce window ago).
   */
  events?: () => unknown[];
  /** What runs, in order: names of demoPipeline's DEMO_STEPS. */
  steps: DemoStepName[];
}

/** The steps a scene can run (demoPipeline.ts runs them through the built Lambdas). */
export type DemoStepName =
  /** The schedule fires: initiate_to_desc_cloudtrails publishes, SNS delivers each message to describe_cloudtrails. */
  | 'scheduled-scan'
  /** create_cloudtrail_tickets runs: JIRA tickets and Slack messages. */
  | 'reporting'
  /**
   * The real-time path: the scene's CloudTrail events reach realtime_to_desc_cloudtrails
   * as the SQS queue delivers them, and SNS delivers its scan messages to describe_cloudtrails.
   */
  | 'cloudtrail-event'
  /**
   * clean_cloudtrails runs (cronjobs.remediation): for each due open issue of
   * cloudtrails.remediation_accounts, a rescan, StartLogging of the stopped
   * trails, a rescan, the ticket commented and Slack told.
   */
  | 'remediation';

export const MASTER = '123456789012';
const PROD = '210987654321';
const STAGING = '345678901234';
const DEV = '456789012345';
const ANALYTICS = '567890123456';
const SANDBOX = '678901234567';
/** cloudtrails.remediation_accounts of the demo config: remediation is on for staging only. */
export const DEMO_REMEDIATION_ACCOUNTS = [STAGING];

export const ORGANIZATION_TRAIL = `arn:aws:cloudtrail:us-east-1:${MASTER}:trail/organization`;

const logGroup = (account: string, region: string, name: string): string => `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
const started = new Date('2026-01-05T09:00:00.000Z');
const recently = new Date('2026-11-26T14:58:00.000Z');

const organizationTrail: FakeTrail = {
  trail: {
    Name: 'organization', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true, IncludeGlobalServiceEvents: true,
    S3BucketName: 'acme-org-cloudtrail', LogFileValidationEnabled: true, CloudWatchLogsLogGroupArn: logGroup(MASTER, 'us-east-1', 'organization-trail'),
  },
  status: { IsLogging: true, StartLoggingTime: started, LatestDeliveryTime: recently, LatestCloudWatchLogsDeliveryTime: recently },
};

const prodEuTrail: FakeTrail = {
  trail: { Name: 'prod-eu', HomeRegion: 'eu-west-1', IsMultiRegionTrail: false, S3BucketName: 'acme-prod-eu-trail' },
  status: { IsLogging: true, StartLoggingTime: started, LatestDeliveryError: 'AccessDenied', LatestDeliveryAttemptTime: '2026-11-26T14:55:00Z', LatestDeliveryTime: new Date('2026-11-20T08:00:00.000Z') },
};

const prodUsTrail: FakeTrail = {
  trail: {
    Name: 'prod-us', HomeRegion: 'us-east-1', IsMultiRegionTrail: false, IncludeGlobalServiceEvents: true,
    S3BucketName: 'acme-prod-us-trail', CloudWatchLogsLogGroupArn: logGroup(PROD, 'us-east-1', 'prod-us-trail'),
  },
  status: { IsLogging: true, StartLoggingTime: started, LatestDeliveryTime: recently, LatestCloudWatchLogsDeliveryError: 'AccessDeniedException' },
  advancedEventSelectors: [
    { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
    { Name: 'S3 object events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] },
  ],
};

const stagingTrail: FakeTrail = {
  trail: { Name: 'staging', HomeRegion: 'eu-west-1', IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, S3BucketName: 'acme-staging-trail' },
  status: { IsLogging: false, StartLoggingTime: started, StopLoggingTime: new Date('2026-11-25T22:10:00.000Z') },
};

const sandboxTrail = (region: string): FakeTrail => ({
  trail: { Name: `sandbox-${region}`, HomeRegion: region, IsMultiRegionTrail: false, S3BucketName: `acme-sandbox-${region}` },
  status: { IsLogging: true, StartLoggingTime: started, LatestDeliveryTime: recently },
});

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    id: MASTER,
    name: 'master',
    story: 'the organization\'s management account, where Hammer runs: its multi-region organization trail (home us-east-1) covers every region',
    aws: { regions: [...DEMO_REGIONS], roles: [DEMO_ROLE], trails: [organizationTrail], securityHubRegions: [...DEMO_REGIONS] },
  },
  {
    id: PROD,
    name: 'prod',
    story: 'S3 refuses the eu-west-1 trail\'s logs; CloudWatch Logs refuses the us-east-1 trail (advanced event selectors); no trail in eu-south-1, which the whitelist exempts',
    aws: { regions: [...DEMO_REGIONS], roles: [DEMO_ROLE], trails: [prodEuTrail, prodUsTrail], securityHubRegions: [...DEMO_REGIONS] },
  },
  {
    id: STAGING,
    name: 'staging',
    story: 'its multi-region trail (home eu-west-1) was stopped last night; the one account with remediation on (cloudtrails.remediation_accounts)',
    aws: { regions: ['us-east-1', 'eu-west-1'], roles: [DEMO_ROLE, DEMO_REMEDIATION_ROLE], trails: [stagingTrail], securityHubRegions: ['us-east-1', 'eu-west-1'] },
  },
  {
    id: DEV,
    name: 'dev',
    story: 'no trail at all',
    aws: { regions: ['us-east-1', 'eu-west-1'], roles: [DEMO_ROLE], trails: [], securityHubRegions: ['us-east-1', 'eu-west-1'] },
  },
  {
    id: ANALYTICS,
    name: 'analytics',
    story: 'a member of the organization: the organization trail covers it, but a member may not read its status (unknown, neither an issue nor a fix); eu-south-1 is not enabled',
    aws: { regions: ['us-east-1', 'eu-west-1'], roles: [DEMO_ROLE], trails: [], organizationManagementAccount: MASTER, securityHubRegions: ['us-east-1', 'eu-west-1'] },
  },
  {
    id: SANDBOX,
    name: 'sandbox',
    story: 'one healthy regional trail per region',
    aws: { regions: ['us-east-1', 'eu-west-1'], roles: [DEMO_ROLE], trails: [sandboxTrail('us-east-1'), sandboxTrail('eu-west-1')], securityHubRegions: ['us-east-1', 'eu-west-1'] },
  },
];

/** What the fake AWS refuses from the start, as CloudTrail would. */
export const DEMO_REFUSALS: ErrorInjection[] = [{
  service: 'cloudtrail',
  operation: 'GetTrailStatus',
  accountId: ANALYTICS,
  trail: ORGANIZATION_TRAIL,
  code: 'AccessDeniedException',
  message: `User: arn:aws:sts::${ANALYTICS}:assumed-role/${DEMO_ROLE}/hammer-cloudtrails-identification is not authorized to perform: cloudtrail:GetTrailStatus on resource: ${ORGANIZATION_TRAIL}`,
}];

/** whitelist.json's cloudtrails section. */
export const DEMO_WHITELIST: Record<string, string[]> = { [PROD]: ['eu-south-1'] };

export const DEMO_WHITELISTING_URL = 'https://wiki.example.com/cloudsec/cloudtrail-whitelisting';

/** JIRA: the bot Hammer logs in as (basic auth with an API token), the owner of new tickets, their project and parent ticket. */
export const DEMO_JIRA = {
  project: 'AWSSEC',
  parentTicket: 'AWSSEC-1',
  users: [
    { name: 'hammer-bot', accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Hammer Bot', emailAddress: 'hammer-bot@example.com' },
    { name: 'bob', accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', displayName: 'Bob Smith', emailAddress: 'bob@example.com' },
  ] satisfies FakeJiraUser[],
  owner: 'bob',
  projects: [{ key: 'AWSSEC', workflow: 'classic', assignable: ['hammer-bot', 'bob'] }] satisfies FakeJiraProject[],
  credential: { kind: 'basic', username: 'hammer-bot@example.com', password: 'demo-jira-api-token', user: 'hammer-bot' } satisfies FakeJiraCredential,
};

/** Slack: the security channel is told of every issue, alice of prod's. */
export const DEMO_SLACK = {
  token: 'xoxb-demo-slack-bot-token',
  users: [{ id: 'U0ALICE', name: 'alice', email: 'alice@example.com' }, { id: 'U0BOB', name: 'bob', email: 'bob@example.com' }] satisfies FakeSlackUser[],
  channels: ['#cloudsec'],
};

const trailNamed = (aws: AwsWireFake, accountId: string, name: string): FakeTrail => {
  const trail = aws.state.accounts[accountId]?.trails?.find((candidate) => candidate.trail.Name === name);
  if (trail === undefined) throw new Error(`demo world: no trail ${name} in account ${accountId}`);
  return trail;
};

export const DEMO_SCENES: DemoScene[] = [
  {
    title: 'The first hourly scan',
    narration: [
      'The schedule starts a scan: initiate_to_desc_cloudtrails publishes one message per account,',
      'describe_cloudtrails checks each account\'s regions and writes the issues table, then',
      'create_cloudtrail_tickets files a JIRA ticket and tells Slack about each new issue.',
    ],
    steps: ['scheduled-scan', 'reporting'],
  },
  {
    title: 'A day later: prod fixes its bucket policy, someone stops a sandbox trail',
    narration: [
      'prod fixes the policy of bucket acme-prod-eu-trail: its eu-west-1 trail delivers again.',
      'Someone runs StopLogging on sandbox-eu-west-1.',
      'The next scheduled scan and reporting run follow.',
    ],
    change: (aws) => {
      const prodEu = trailNamed(aws, PROD, 'prod-eu');
      prodEu.status = { IsLogging: true, StartLoggingTime: started, LatestDeliveryTime: new Date('2026-11-27T14:57:00.000Z'), LatestDeliveryAttemptTime: '2026-11-27T14:57:00Z' };
      const sandboxEu = trailNamed(aws, SANDBOX, 'sandbox-eu-west-1');
      sandboxEu.status = { IsLogging: false, StartLoggingTime: started, StopLoggingTime: new Date('2026-11-27T11:42:00.000Z'), LatestDeliveryTime: new Date('2026-11-27T11:40:00.000Z') };
    },
    steps: ['scheduled-scan', 'reporting'],
  },
  {
    title: 'Real time: someone stops prod\'s eu-west-1 trail',
    narration: [
      'An attacker with a stolen key runs StopLogging on prod-eu from 198.51.100.42.',
      'The call reaches EventBridge in prod, the forwarding rule sends it to the master account\'s bus,',
      'and after the queue\'s 15-second debounce window realtime_to_desc_cloudtrails rescans that region,',
      'through describe_cloudtrails as the schedule does, and alerts Slack (cloudtrails.realtime.slack_alert).',
      'No waiting for the hourly scan; the next reporting run files the ticket.',
    ],
    change: (aws) => {
      const prodEu = trailNamed(aws, PROD, 'prod-eu');
      prodEu.status = { ...prodEu.status, IsLogging: false, StopLoggingTime: new Date() };
    },
    events: () => {
      // CloudTrail's one-second resolution; the call was made a debounce window ago.
      const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 15_000).toISOString().replace('.000Z', 'Z');
      return [stopLogging(PROD, 'eu-west-1', `arn:aws:cloudtrail:eu-west-1:${PROD}:trail/prod-eu`, time, { callerArn: `arn:aws:iam::${PROD}:user/ci-deployer`, sourceIp: '198.51.100.42' })];
    },
    steps: ['cloudtrail-event', 'reporting'],
  },
  {
    title: 'Logging, but blind: sandbox\'s us-east-1 trail stops recording management events',
    narration: [
      'Someone runs PutEventSelectors on sandbox-us-east-1: management events off, S3 data events only',
      '(MITRE ATT&CK T1562.008). The trail still logs (IsLogging true), so every dashboard shows CloudTrail on,',
      'but it can no longer see StopLogging, DeleteTrail or any other change to the account.',
      'A trail covers its regions only when it records write management events (read ones too with',
      'cloudtrails.require_read_management_events, as the CIS benchmark asks). The next scheduled scan',
      'and reporting run follow (the real-time path watches PutEventSelectors too).',
    ],
    change: (aws) => {
      const sandboxUs = trailNamed(aws, SANDBOX, 'sandbox-us-east-1');
      // As the console saves it: one advanced selector, for S3 object events; none for management events.
      sandboxUs.advancedEventSelectors = [{ Name: 'S3 object events only', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }];
    },
    steps: ['scheduled-scan', 'reporting'],
  },
  {
    title: 'Remediation restarts staging\'s stopped trail',
    narration: [
      'Remediation is on for staging only (cloudtrails.remediation, cloudtrails.remediation_accounts; its',
      'remediation_retention_period is 0 days here, Hammer\'s default 365). clean_cloudtrails, on its schedule',
      '(cronjobs.remediation), rescans each due open issue\'s region, calls StartLogging on the stopped trail',
      'in its home region through the role aws.role_name_reporting, rescans, marks the issue remediated,',
      'comments its ticket and tells Slack. sandbox\'s stopped trail is left alone: not a remediation account.',
      'The next scheduled scan and reporting run follow.',
    ],
    steps: ['remediation', 'scheduled-scan', 'reporting'],
  },
];

/** The fake AWS's state for the demo world: a fresh copy, so scenes may change it. */
export function demoAwsState(): FakeAwsState {
  return {
    callerAccountId: MASTER,
    callerArn: `arn:aws:sts::${MASTER}:assumed-role/hammer-describe-cloudtrails/hammer-describe-cloudtrails`,
    accounts: Object.fromEntries(DEMO_ACCOUNTS.map((account) => [account.id, structuredClone(account.aws)])),
  };
}

/** The demo's config folder: Hammer's files, reporting on, JIRA and Slack at the given loopback URLs. */
export function demoConfigFiles(endpoints: { jiraUrl: string; slackApiUrl: string }): Record<string, unknown> {
  return {
    'config.json': {
      aws: {
        main_account_id: MASTER,
        region: DEMO_MAIN_REGION,
        regions: DEMO_REGIONS,
        role_name_identification: DEMO_ROLE,
        role_name_reporting: DEMO_REMEDIATION_ROLE,
        accounts: Object.fromEntries(DEMO_ACCOUNTS.map((account) => [account.id, account.name])),
      },
      cloudtrails: {
        enabled: true,
        'ddb.table_name': 'hammer-cloudtrails',
        topic_name: 'hammer-describe-cloudtrails-lambda',
        reporting: true,
        labels: ['cloudtrail-issue'],
        realtime: { slack_alert: true },
        // Each issue also an ASFF finding in the account's Security Hub, in the issue's region.
        securityhub: true,
        remediation: true,
        remediation_accounts: DEMO_REMEDIATION_ACCOUNTS,
        remediation_retention_period: 0,
      },
      jira: { enabled: true, server: endpoints.jiraUrl, issue_type: 'Task', priority: 'Major', text_field_character_limit: 32767, close_transition: 'Close Issue', deployment: 'server' },
      slack: { enabled: true, notify_default_owner: true, channels: {}, ignore: [], default_channel: '#cloudsec', api_url: endpoints.slackApiUrl },
      credentials: { 'ddb.table_name': 'hammer-credentials' },
      api: { 'ddb.table_name': 'hammer-api-requests' },
      cronjobs: { reporting: '55 * * * *', remediation: '45 10 * * *' },
      whitelisting_procedure_url: DEMO_WHITELISTING_URL,
    },
    'whitelist.json': { cloudtrails: { __comment__: 'prod keeps nothing in eu-south-1', ...DEMO_WHITELIST } },
    'ticket_owners.json': {
      jira_project: DEMO_JIRA.project,
      jira_owner: DEMO_JIRA.owner,
      jira_parent_ticket: DEMO_JIRA.parentTicket,
      slack_owner: ['#cloudsec'],
      account: { [PROD]: { slack_owner: 'alice' } },
    },
  };
}
