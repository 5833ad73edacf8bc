/**
 * The world of the remediation tests (the built zip and the in-process
 * runs): the AWS wire fake with the organisation below, dynalite with the
 * issues and credentials tables, the fake JIRA (tickets of the issues in
 * place) and the fake Slack, a config folder with remediation on for slave1
 * and slave2, and the open issues as identification and reporting left them.
 *
 * The organisation (the master's organization trail is stopped):
 *
 *   slave1 (not in the organization), role_name_reporting may StartLogging,
 *   role_name_identification may only read:
 *     eu-west-1       trail main, stopped; reported 400 days ago   -> remediated
 *     us-east-1       trail east, stopped; reported 10 days ago    -> retention: left
 *     eu-central-1    trail central, stopped; in whitelist.json    -> left
 *     eu-north-1      trail north, stopped; in the temp whitelist  -> left
 *     us-west-2       trail denied, stopped; StartLogging denied   -> "Failed to remediate", AccessDeniedException
 *     ap-southeast-2  no trail                                     -> not remediable (no trail to start)
 *     sa-east-1       trail datalake logs, data events only        -> not remediable (selectors)
 *   slave2 (a member of the master's organization):
 *     eu-west-1       only the organization trail, stopped         -> left alone: not remediable
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { STSClient } from '@aws-sdk/client-sts';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { AccountCredentials } from '../../library/aws/accountCredentials.ts';
import { CallPacer } from '../../library/aws/callPacer.ts';
import type { CloudTrailClientFactory } from '../../library/aws/cloudTrailClients.ts';
import { REMEDIATION_SESSION_NAME } from '../../remediation/remediationDeps.ts';
import type { RemediationDeps } from '../../remediation/remediationRun.ts';
import { pythonIsoTimestamp } from '../../library/runtime/clock.ts';
import type { CloudTrailIssueItem, TrailRecord } from '../../library/issues/cloudTrailIssue.ts';
import { startAwsWireFake, type AwsWireFake, type FakeAwsState } from '../fakes/awsWireFake.ts';
import type { LocalDynamo } from '../fakes/dynalite.ts';
import { BOB, PROJECTS, USERS, credentialsItem, fakeCredentials } from '../fakes/fakeJiraFixtures.ts';
import { SERVER_DEFAULT_PRIORITIES, startFakeJira, type FakeJira } from '../fakes/fakeJiraServer.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/fakeSlackServer.ts';
import { MASTER, SLACK_TOKEN, SLAVE1, SLAVE2, setUpReporting, type ReportingSetup } from './reportingFixtures.ts';
import { SLACK_USERS, ticketOwners } from './reportingWorld.ts';

export { MASTER, SLAVE1, SLAVE2 };

export const IDENTIFICATION_ROLE = 'hammer-cloudsec-crossact-id';
export const REMEDIATION_ROLE = 'hammer-cloudsec-crossact-ec2';
const READS = ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'];

export const TRAILS = {
  main: `arn:aws:cloudtrail:eu-west-1:${SLAVE1}:trail/main`,
  east: `arn:aws:cloudtrail:us-east-1:${SLAVE1}:trail/east`,
  central: `arn:aws:cloudtrail:eu-central-1:${SLAVE1}:trail/central`,
  north: `arn:aws:cloudtrail:eu-north-1:${SLAVE1}:trail/north`,
  denied: `arn:aws:cloudtrail:us-west-2:${SLAVE1}:trail/denied`,
  datalake: `arn:aws:cloudtrail:sa-east-1:${SLAVE1}:trail/datalake`,
  organization: `arn:aws:cloudtrail:us-east-1:${MASTER}:trail/organization`,
} as const;

export const SLAVE1_REGIONS = ['eu-west-1', 'us-east-1', 'eu-central-1', 'eu-north-1', 'us-west-2', 'ap-southeast-2', 'sa-east-1'];
const DATA_EVENTS_ONLY = [{ ReadWriteType: 'All' as const, IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }];

function stopped(name: string, region: string) {
  return { trail: { Name: name, HomeRegion: region, IsMultiRegionTrail: false, S3BucketName: `slave1-${name}-logs` }, status: { IsLogging: false } };
}

export function organisation(): FakeAwsState {
  return {
    callerAccountId: MASTER,
    accounts: {
      [MASTER]: {
        regions: ['eu-west-1', 'us-east-1'],
        trails: [{ trail: { Name: 'organization', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true, S3BucketName: 'org-logs' }, status: { IsLogging: false } }],
      },
      [SLAVE1]: {
        regions: SLAVE1_REGIONS,
        roles: [IDENTIFICATION_ROLE, REMEDIATION_ROLE],
        roleActions: { [IDENTIFICATION_ROLE]: READS, [REMEDIATION_ROLE]: [...READS, 'cloudtrail:StartLogging'] },
        trails: [
          stopped('main', 'eu-west-1'),
          stopped('east', 'us-east-1'),
          stopped('central', 'eu-central-1'),
          stopped('north', 'eu-north-1'),
          stopped('denied', 'us-west-2'),
          { trail: { Name: 'datalake', HomeRegion: 'sa-east-1', IsMultiRegionTrail: false, S3BucketName: 'slave1-datalake-logs' }, status: { IsLogging: true }, eventSelectors: DATA_EVENTS_ONLY },
        ],
      },
      [SLAVE2]: {
        regions: ['eu-west-1', 'us-east-1'],
        roles: [IDENTIFICATION_ROLE, REMEDIATION_ROLE],
        roleActions: { [IDENTIFICATION_ROLE]: READS, [REMEDIATION_ROLE]: [...READS, 'cloudtrail:StartLogging'] },
        organizationManagementAccount: MASTER,
      },
    },
  };
}

/** A trail as identification records it. */
export function trailRecord(arn: string, enabled: boolean, selectors = 'All', extra: Partial<TrailRecord> = {}): TrailRecord {
  return { id: arn, enabled, multi_region: arn === TRAILS.organization, selectors, errors: {}, ...extra };
}

/** An open, reported, disabled issue, as identification wrote it and reporting reported it (ticket `ticket`). */
export function openIssue(account: string, region: string, trails: TrailRecord[], reported: Date, ticket: string | undefined): CloudTrailIssueItem {
  const identified = pythonIsoTimestamp(new Date(reported.getTime() - 40 * 60_000));
  return {
    account_id: account,
    issue_id: region,
    status: 'open',
    issue_details: { disabled: true, delivery_errors: {}, trails },
    timestamps: { identified, updated: identified, reported: pythonIsoTimestamp(reported), remediated: null, closed: null },
    jira_details: ticket === undefined ? {} : { ticket, ticket_assignee_id: BOB.name },
  };
}

export interface RemediationWorld {
  aws: AwsWireFake;
  jira: FakeJira;
  slack: FakeSlack;
  setup: ReportingSetup;
  /** The JIRA ticket of each issue, by `<account>/<region>`. */
  tickets: Record<string, string>;
  /** Every item of the issues table, sorted by account and region. */
  items(): Promise<Array<Record<string, unknown>>>;
  item(account: string, region: string): Promise<Record<string, unknown> | undefined>;
  stop(): Promise<void>;
}

export interface RemediationWorldOptions {
  /** "Now" for the reported times (the built zip runs on the real clock). */
  now: Date;
  /** Extra keys of config.json's cloudtrails section. */
  cloudtrails?: Record<string, unknown>;
}

const DAY = 86_400_000;

/** Starts the fakes, writes the config (kept on disk) and the open issues. Stop it with `stop()`. */
export async function startRemediationWorld(dynamo: LocalDynamo, options: RemediationWorldOptions): Promise<RemediationWorld> {
  const aws = await startAwsWireFake(organisation());
  // slave1's trail `denied` may not be started: a service control policy denies it.
  aws.inject({
    service: 'cloudtrail',
    operation: 'StartLogging',
    trail: TRAILS.denied,
    code: 'AccessDeniedException',
    message: `User: arn:aws:sts::${SLAVE1}:assumed-role/${REMEDIATION_ROLE}/hammer-cloudtrails-remediation is not authorized to perform: cloudtrail:StartLogging on resource: ${TRAILS.denied} with an explicit deny in a service control policy`,
  });
  const jira = await startFakeJira({ flavour: 'server', users: USERS, projects: PROJECTS, credentials: fakeCredentials(), priorities: SERVER_DEFAULT_PRIORITIES });
  const slack = await startFakeSlack({ token: SLACK_TOKEN, users: SLACK_USERS, channels: ['#devops-channel'] });
  jira.addIssue({ project: 'AWSSEC', summary: 'CloudTrail logging issues' });
  const setup = await setUpReporting(dynamo, {
    slackApiUrl: slack.apiUrl,
    keepConfigFolder: true,
    jira: { server: jira.url, deployment: 'auto' },
    ticketOwners: ticketOwners(BOB.name),
    credentials: { jira: credentialsItem('basic').credentials },
    whitelist: { [SLAVE1]: ['eu-central-1'] },
    tempWhitelist: { [SLAVE1]: ['eu-north-1'] },
    cloudtrails: { remediation: true, remediation_accounts: [SLAVE1, SLAVE2], remediation_retention_period: 30, ...options.cloudtrails },
  });

  const long = new Date(options.now.getTime() - 400 * DAY);
  const recent = new Date(options.now.getTime() - 10 * DAY);
  const issues: Array<[string, string, TrailRecord[], Date]> = [
    [SLAVE1, 'eu-west-1', [trailRecord(TRAILS.main, false)], long],
    [SLAVE1, 'us-east-1', [trailRecord(TRAILS.east, false)], recent],
    [SLAVE1, 'eu-central-1', [trailRecord(TRAILS.central, false)], long],
    [SLAVE1, 'eu-north-1', [trailRecord(TRAILS.north, false)], long],
    [SLAVE1, 'us-west-2', [trailRecord(TRAILS.denied, false)], long],
    [SLAVE1, 'ap-southeast-2', [], long],
    [SLAVE1, 'sa-east-1', [trailRecord(TRAILS.datalake, true, 'All', { coverage_note: 'logging, but records no write management events' })], long],
    [SLAVE2, 'eu-west-1', [trailRecord(TRAILS.organization, false)], long],
  ];
  const tickets: Record<string, string> = {};
  for (const [account, region, trails, reported] of issues) {
    const ticket = jira.addIssue({ project: 'AWSSEC', summary: `Disabled CloudTrail in '${account} / ${region}'`, assignee: BOB.name }).key;
    tickets[`${account}/${region}`] = ticket;
    await dynamo.doc.send(new PutCommand({ TableName: setup.issuesTable, Item: openIssue(account, region, trails, reported, ticket) }));
  }

  const items = async (): Promise<Array<Record<string, unknown>>> => {
    const page = await dynamo.doc.send(new ScanCommand({ TableName: setup.issuesTable, ConsistentRead: true }));
    return (page.Items ?? []).sort((a, b) => `${String(a.account_id)}/${String(a.issue_id)}`.localeCompare(`${String(b.account_id)}/${String(b.issue_id)}`));
  };
  return {
    aws,
    jira,
    slack,
    setup,
    tickets,
    items,
    item: async (account, region) => (await items()).find((item) => item.account_id === account && item.issue_id === region),
    stop: async () => {
      await aws.stop();
      await jira.stop();
      await slack.stop();
      setup.removeConfigFolder();
    },
  };
}

/** The texts the world's issues get, word for word. */
export const EXPECTED = {
  remediated: `Logging was started on trail ${TRAILS.main}. CloudTrail logging issue with 'eu-west-1' in 'slave1 / ${SLAVE1}' account was remediated by hammer`,
  deniedPrefix: `Failed to remediate CloudTrail logging issue with 'us-west-2' in 'slave1 / ${SLAVE1}' account: StartLogging of trail ${TRAILS.denied} failed with AccessDeniedException (`,
  noTrail: `Failed to remediate CloudTrail logging issue with 'ap-southeast-2' in 'slave1 / ${SLAVE1}' account: no trail logs the region and there is no trail to start (hammer does not create trails or buckets). Please, check manually`,
  selectors: `Failed to remediate CloudTrail logging issue with 'sa-east-1' in 'slave1 / ${SLAVE1}' account: trail ${TRAILS.datalake} is logging, but records no write management events (hammer does not change event selectors). Please, check manually`,
  organization: `Failed to remediate CloudTrail logging issue with 'eu-west-1' in 'slave2 / ${SLAVE2}' account: trail ${TRAILS.organization} belongs to account ${MASTER} (an organization trail), which alone can start it. Please, check manually`,
};

/** The master's Lambda credentials in the in-process runs (the fake takes unknown keys as the master's). */
export const LAMBDA_KEYS = { accessKeyId: 'ASIAQMASTERLAMBDA004', secretAccessKey: 'cmVtZWRpYXRpb24tcnVuLXNlY3JldA', sessionToken: 'IQoJremediationruntoken' };

/**
 * Production remediation deps with only the AWS side changed: STS and
 * CloudTrail clients pointed at the world's wire fake (the master's
 * credentials as the base), no real waits in the pacer and the retries.
 */
export function withFakeAws(deps: RemediationDeps, w: Pick<RemediationWorld, 'aws'>): RemediationDeps {
  const clients = new Map<string, CloudTrailClient>();
  const cloudTrailClient: CloudTrailClientFactory = (accountId, region, provider) => {
    const key = `${accountId}/${region}`;
    let client = clients.get(key);
    if (client === undefined) {
      client = new CloudTrailClient({ region, endpoint: w.aws.endpoint, maxAttempts: 1, credentials: provider ?? LAMBDA_KEYS });
      clients.set(key, client);
    }
    return client;
  };
  const sts = new STSClient({ region: 'eu-west-1', endpoint: w.aws.endpoint, credentials: LAMBDA_KEYS });
  return {
    ...deps,
    credentials: new AccountCredentials(sts, () => new Date(), { roleName: deps.config.aws.roleNameReporting, sessionName: REMEDIATION_SESSION_NAME }),
    cloudTrailClient,
    pacer: new CallPacer(10, async () => undefined),
    sleep: async () => undefined,
    random: () => 0.5,
  };
}
