/**
 * The identification Lambda's scenario table (issue 3): each scenario sets up
 * a world of trails, the stored items before, runs describe_cloudtrails'
 * handler on an SNS event, and asserts the exact items stored after.
 * DynamoDB is dynalite; CloudTrail/STS/SNS are aws-sdk-client-mock (FakeAws).
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { handleDescribeEvent } from '../../lambdas/cloudtrails-issues-identification/describe_cloudtrails.ts';
import { RepublishError } from '../../library/scan/identifyScanMessage.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { FakeAws, type FakeRegion, type FakeTrailState, type FakeWorld } from '../fakes/fakeAws.ts';
import { OWN_ACCOUNT, clearIssues, identificationRig, tableItems, testConfig, type IdentificationRig } from '../helpers/identificationRig.ts';
import { lambdaContext, snsEvent } from '../helpers/lambdaFixtures.ts';
import { MANAGEMENT_READ_WRITE, S3_DATA_EVENTS, bucketOf, logGroupOf, logging, stopped, trail, trailArn } from '../helpers/trailFixtures.ts';
import { VirtualTime } from '../helpers/virtualTime.ts';

type Item = Record<string, unknown>;

const SLAVE = '210987654321';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda';
const TABLE = 'hammer-cloudtrails';
const API_TABLE = 'hammer-api-requests';
/** The virtual clock's now, as Hammer writes it. */
const NOW = '2026-11-26T15:56:20.123000+00:00';
const IDENTIFIED = '2026-11-20T08:15:00.500000+00:00';
const REPORTED = '2026-11-20T08:55:03.250000+00:00';

const MAIN = trailArn('eu-west-1', SLAVE, 'main');
const OLD = trailArn('eu-west-1', SLAVE, 'old');
const GLOBAL = trailArn('us-east-1', SLAVE, 'global');
const ORG = trailArn('us-east-1', OWN_ACCOUNT, 'organization');
const MAIN_BUCKET = bucketOf(SLAVE, 'main');
const MAIN_LOG_GROUP = logGroupOf('eu-west-1', SLAVE, 'main');

const mainTrail = trail({ account: SLAVE, name: 'main', home: 'eu-west-1', cloudWatch: true });
const oldTrail = trail({ account: SLAVE, name: 'old', home: 'eu-west-1' });
const globalShadow = trail({ account: SLAVE, name: 'global', home: 'us-east-1', multiRegion: true, cloudWatch: true });
const organizationShadow = trail({ account: OWN_ACCOUNT, name: 'organization', home: 'us-east-1', multiRegion: true, organization: true });

const config: HammerConfig = testConfig({
  whitelist: { cloudtrails: { __comment__: 'test whitelist', [SLAVE]: ['ap-south-1'] } },
  tempWhitelist: { cloudtrails: { [SLAVE]: ['sa-east-1'] } },
});

function message(regions: string[], extra: Record<string, unknown> = {}, accountId = SLAVE, accountName = 'slave1'): string {
  return JSON.stringify({ account_id: accountId, account_name: accountName, regions, sns_arn: TOPIC, ...extra });
}

function slaveWorld(regions: Record<string, FakeRegion>, trails: Record<string, FakeTrailState> = {}, accountExtra: { assumeRoleError?: string } = {}): FakeWorld {
  return { accounts: { [SLAVE]: { ...accountExtra, regions } }, trails };
}

function newItem(region: string, status: string, issueDetails: Item, accountId = SLAVE, at = NOW): Item {
  return {
    account_id: accountId,
    issue_id: region,
    status,
    issue_details: issueDetails,
    timestamps: { identified: at, updated: at, reported: null, remediated: null, closed: null },
    jira_details: {},
  };
}

/** An item as an earlier scan (and reporting) left it. */
function storedItem(region: string, status: string, issueDetails: Item, timestamps: Item = {}, jiraDetails: Item = { ticket: 'AWSSEC-101', ticket_assignee_id: 'bob' }): Item {
  return {
    account_id: SLAVE,
    issue_id: region,
    status,
    issue_details: issueDetails,
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: REPORTED, remediated: null, closed: null, ...timestamps },
    jira_details: jiraDetails,
  };
}

const DISABLED_NO_TRAILS: Item = { disabled: true, delivery_errors: {}, trails: [] };

const mainS3Error = { s3: { resource: MAIN_BUCKET, error: 'AccessDenied' } };
const MAIN_S3_ERROR_DETAILS: Item = {
  disabled: false,
  delivery_errors: { [MAIN]: { errors: mainS3Error, events: 'All', multi_region: false } },
  trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'All', errors: mainS3Error }],
};

/**
 * An item exactly as the Python module writes it (describe_cloudtrails.py,
 * then create_cloudtrail_tickets.py, whose JIRA creation is commented out,
 * sets `reported`): `trails` first, `delivery_errors` a boolean, only s3 and
 * cloudwatch errors, jira_details empty.
 */
const PYTHON_REPORTED_ITEM: Item = {
  account_id: SLAVE,
  issue_id: 'eu-west-1',
  issue_details: {
    trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'All', errors: { s3: { resource: MAIN_BUCKET, error: 'AccessDenied' } } }],
    disabled: false,
    delivery_errors: true,
  },
  status: 'open',
  timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: REPORTED, remediated: null, closed: null },
  jira_details: {},
};

const mainS3AndDigestErrors = { s3: { resource: MAIN_BUCKET, error: 'AccessDenied' }, digest: { resource: MAIN_BUCKET, error: 'AccessDenied' } };
const MAIN_S3_AND_DIGEST_DETAILS: Item = {
  disabled: false,
  delivery_errors: { [MAIN]: { errors: mainS3AndDigestErrors, events: 'All', multi_region: false } },
  trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'All', errors: mainS3AndDigestErrors }],
};

const customMainTrail = trail({ account: SLAVE, name: 'main', home: 'eu-west-1', customSelectors: true });
const DATA = trailArn('eu-west-1', SLAVE, 'data');
const dataTrail = trail({ account: SLAVE, name: 'data', home: 'eu-west-1', customSelectors: true });
const organizationShadowWithSelectors = trail({ account: OWN_ACCOUNT, name: 'organization', home: 'us-east-1', multiRegion: true, organization: true, customSelectors: true });
/** A trail for S3 data events only (basic selectors, management events off), as GetEventSelectors answers it. */
const DATA_EVENTS_ONLY = { EventSelectors: [{ ReadWriteType: 'All' as const, IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }], ExcludeManagementEventSources: [] }] };
const READ_ONLY_MANAGEMENT = { AdvancedEventSelectors: [{ Name: 'Read-only management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['true'] }] }] };
const NO_WRITES = 'logging, but records no write management events';
const DISABLED_BY_MAIN_SELECTORS: Item = {
  disabled: true,
  delivery_errors: {},
  trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'All', errors: {}, coverage_note: NO_WRITES }],
};

interface Scenario {
  name: string;
  world: FakeWorld;
  before?: Item[];
  message?: string;
  config?: HammerConfig;
  after: Item[];
  check?: (rig: IdentificationRig, aws: FakeAws) => void;
}

const scenarios: Scenario[] = [
  {
    name: 'a region without trails is stored as a disabled open issue',
    world: slaveWorld({ 'eu-west-1': { trails: [] } }),
    after: [newItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
  },
  {
    name: 'one trail logging without errors writes nothing',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging() } }),
    after: [],
  },
  {
    name: 'a trail that is not logging makes the region disabled',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: stopped() } }),
    after: [newItem('eu-west-1', 'open', { disabled: true, delivery_errors: {}, trails: [{ id: MAIN, enabled: false, multi_region: false, selectors: 'All', errors: {} }] })],
  },
  {
    name: 'an S3 delivery error of a logging trail is a delivery issue',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging({ LatestDeliveryError: 'AccessDenied' }) } }),
    after: [newItem('eu-west-1', 'open', MAIN_S3_ERROR_DETAILS)],
  },
  {
    name: 'a CloudWatch Logs delivery error of a logging trail is a delivery issue',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging({ LatestCloudWatchLogsDeliveryError: 'Access denied. Verify in IAM that the role has adequate permissions.' }) } }),
    after: [newItem('eu-west-1', 'open', {
      disabled: false,
      delivery_errors: { [MAIN]: { errors: { cloudwatch: { resource: MAIN_LOG_GROUP, error: 'Access denied. Verify in IAM that the role has adequate permissions.' } }, events: 'All', multi_region: false } },
      trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'All', errors: { cloudwatch: { resource: MAIN_LOG_GROUP, error: 'Access denied. Verify in IAM that the role has adequate permissions.' } } }],
    })],
  },
  {
    name: 'S3 and CloudWatch Logs errors together are both recorded',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging({ LatestDeliveryError: 'NoSuchBucket', LatestCloudWatchLogsDeliveryError: 'LogGroupNotFound' }) } }),
    after: [newItem('eu-west-1', 'open', {
      disabled: false,
      delivery_errors: { [MAIN]: { errors: { s3: { resource: MAIN_BUCKET, error: 'NoSuchBucket' }, cloudwatch: { resource: MAIN_LOG_GROUP, error: 'LogGroupNotFound' } }, events: 'All', multi_region: false } },
      trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'All', errors: { s3: { resource: MAIN_BUCKET, error: 'NoSuchBucket' }, cloudwatch: { resource: MAIN_LOG_GROUP, error: 'LogGroupNotFound' } } }],
    })],
  },
  {
    name: 'an error on a trail that is not logging is no delivery issue when another trail logs',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail, oldTrail] } }, { [MAIN]: { status: logging() }, [OLD]: { status: stopped({ LatestDeliveryError: 'AccessDenied' }) } }),
    after: [],
  },
  {
    name: 'an error on the only trail, which is not logging, is recorded in a disabled issue without delivery errors',
    world: slaveWorld({ 'eu-west-1': { trails: [oldTrail] } }, { [OLD]: { status: stopped({ LatestDeliveryError: 'AccessDenied' }) } }),
    after: [newItem('eu-west-1', 'open', {
      disabled: true,
      delivery_errors: {},
      trails: [{ id: OLD, enabled: false, multi_region: false, selectors: 'All', errors: { s3: { resource: bucketOf(SLAVE, 'old'), error: 'AccessDenied' } } }],
    })],
  },
  {
    name: 'a multi-region trail seen as a shadow is read by ARN in its home region',
    world: {
      accounts: { [SLAVE]: { regions: { 'eu-west-1': { trails: [globalShadow] }, 'us-east-1': { trails: [globalShadow] } } } },
      trails: { [GLOBAL]: { status: logging({ LatestCloudWatchLogsDeliveryError: 'AccessDenied' }) } },
    },
    after: [newItem('eu-west-1', 'open', {
      disabled: false,
      delivery_errors: { [GLOBAL]: { errors: { cloudwatch: { resource: logGroupOf('us-east-1', SLAVE, 'global'), error: 'AccessDenied' } }, events: 'All', multi_region: true } },
      trails: [{ id: GLOBAL, enabled: true, multi_region: true, selectors: 'All', errors: { cloudwatch: { resource: logGroupOf('us-east-1', SLAVE, 'global'), error: 'AccessDenied' } } }],
    })],
    check: (_rig, aws) => {
      assert.equal(aws.callsOf('GetTrailStatus').map((call) => [call.region, call.input.Name]), [['us-east-1', GLOBAL]]);
      assert.equal(aws.callsOf('DescribeTrails').map((call) => [call.account, call.region]), [[SLAVE, 'eu-west-1']]);
    },
  },
  {
    name: 'a logging shadow trail resolves the open disabled issue of the region',
    world: slaveWorld({ 'eu-west-1': { trails: [globalShadow] } }, { [GLOBAL]: { status: logging() } }),
    before: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    after: [storedItem('eu-west-1', 'resolved', DISABLED_NO_TRAILS, { resolved: NOW })],
  },
  {
    name: 'an organization trail whose status is AccessDenied is no false positive and resolves nothing',
    world: slaveWorld({ 'eu-west-1': { trails: [organizationShadow] } }, { [ORG]: { status: logging(), statusDeniedTo: [SLAVE] } }),
    before: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    after: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    check: (rig) => {
      const unknown = rig.log.entries.find((entry) => entry.message.startsWith('trail status unknown'));
      assert.ok(unknown, 'the log says the trail status is unknown');
      assert.equal(unknown.fields, { account_id: SLAVE, account_name: 'slave1', region: 'eu-west-1', trail_arn: ORG, home_region: 'us-east-1', operation: 'GetTrailStatus', error_code: 'AccessDeniedException', error_message: unknown.fields.error_message, http_status: 400 });
      assert.ok(rig.log.entries.some((entry) => entry.message.startsWith('region status unknown')));
    },
  },
  {
    name: 'an unreadable organization trail beside a failing trail of the account is listed apart in unknown_trails',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail, organizationShadow] } }, { [MAIN]: { status: logging({ LatestDeliveryError: 'AccessDenied' }) }, [ORG]: { statusDeniedTo: [SLAVE] } }),
    after: [newItem('eu-west-1', 'open', { ...MAIN_S3_ERROR_DETAILS, unknown_trails: [{ id: ORG, error: 'AccessDeniedException' }] })],
  },
  {
    name: 'advanced event selectors are read and summarised in selectors',
    world: slaveWorld({ 'eu-west-1': { trails: [trail({ account: SLAVE, name: 'main', home: 'eu-west-1', customSelectors: true })] } }, {
      [MAIN]: { status: stopped(), selectors: { AdvancedEventSelectors: [MANAGEMENT_READ_WRITE, S3_DATA_EVENTS] } },
    }),
    after: [newItem('eu-west-1', 'open', {
      disabled: true,
      delivery_errors: {},
      trails: [{ id: MAIN, enabled: false, multi_region: false, selectors: 'Advanced: Management(ReadWrite); Data(AWS::S3::Object)', errors: {} }],
    })],
  },
  {
    name: 'basic custom event selectors give Hammer\'s comma-joined ReadWriteType',
    world: slaveWorld({ 'eu-west-1': { trails: [trail({ account: SLAVE, name: 'main', home: 'eu-west-1', customSelectors: true })] } }, {
      [MAIN]: {
        status: logging({ LatestDeliveryError: 'AccessDenied' }),
        selectors: { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }, { ReadWriteType: 'ReadOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }], ExcludeManagementEventSources: [] }] },
      },
    }),
    after: [newItem('eu-west-1', 'open', {
      disabled: false,
      delivery_errors: { [MAIN]: { errors: { s3: { resource: MAIN_BUCKET, error: 'AccessDenied' } }, events: 'WriteOnly,ReadOnly', multi_region: false } },
      trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'WriteOnly,ReadOnly', errors: { s3: { resource: MAIN_BUCKET, error: 'AccessDenied' } } }],
    })],
  },
  {
    name: 'a logging trail that records only data events makes the region disabled, and the item says why',
    world: slaveWorld({ 'eu-west-1': { trails: [customMainTrail] } }, { [MAIN]: { status: logging(), selectors: DATA_EVENTS_ONLY } }),
    after: [newItem('eu-west-1', 'open', DISABLED_BY_MAIN_SELECTORS)],
    check: (rig) => {
      const found = rig.log.entries.find((entry) => entry.message === 'CloudTrail issue found');
      assert.equal(found?.fields.not_covering, { [MAIN]: NO_WRITES });
    },
  },
  {
    name: 'advanced selectors recording only read management events make the region disabled',
    world: slaveWorld({ 'eu-west-1': { trails: [customMainTrail] } }, { [MAIN]: { status: logging({ LatestDeliveryError: 'AccessDenied' }), selectors: READ_ONLY_MANAGEMENT } }),
    after: [newItem('eu-west-1', 'open', {
      disabled: true,
      delivery_errors: { [MAIN]: { errors: mainS3Error, events: 'Advanced: Management(Read)', multi_region: false } },
      trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'Advanced: Management(Read)', errors: mainS3Error, coverage_note: NO_WRITES }],
    })],
  },
  {
    name: 'a data-events trail beside a trail that records management events changes nothing',
    world: slaveWorld({ 'eu-west-1': { trails: [dataTrail, mainTrail] } }, { [DATA]: { status: logging(), selectors: DATA_EVENTS_ONLY }, [MAIN]: { status: logging() } }),
    after: [],
  },
  {
    name: 'fixed selectors resolve the issue of a region whose trail recorded no write management events',
    world: slaveWorld({ 'eu-west-1': { trails: [customMainTrail] } }, { [MAIN]: { status: logging(), selectors: { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: ['kms.amazonaws.com'] }] } } }),
    before: [storedItem('eu-west-1', 'open', DISABLED_BY_MAIN_SELECTORS)],
    after: [storedItem('eu-west-1', 'resolved', DISABLED_BY_MAIN_SELECTORS, { resolved: NOW })],
  },
  {
    name: 'a logging trail whose selectors cannot be read neither opens an issue nor resolves the open one',
    world: slaveWorld({ 'eu-west-1': { trails: [customMainTrail] } }, { [MAIN]: { status: logging(), selectors: READ_ONLY_MANAGEMENT, selectorsDeniedTo: [SLAVE] } }),
    before: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    after: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    check: (rig) => {
      const unreadable = rig.log.entries.find((entry) => entry.message.startsWith('event selectors unreadable'));
      assert.equal([unreadable?.fields.operation, unreadable?.fields.error_code, unreadable?.fields.trail_arn], ['GetEventSelectors', 'AccessDeniedException', MAIN]);
      assert.ok(rig.log.entries.some((entry) => entry.message.startsWith('region status unknown')));
    },
  },
  {
    name: 'an organization trail whose selectors a member may not read is unknown: no false positive, no false fix',
    world: slaveWorld({ 'eu-west-1': { trails: [organizationShadowWithSelectors] } }, { [ORG]: { status: logging(), selectors: DATA_EVENTS_ONLY, selectorsDeniedTo: [SLAVE] } }),
    before: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    after: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    check: (_rig, aws) => {
      assert.equal(aws.callsOf('GetEventSelectors').map((call) => [call.account, call.region, call.input.TrailName]), [[SLAVE, 'us-east-1', ORG]], 'asked once, by ARN, in the home region');
    },
  },
  {
    name: 'an organization trail whose selectors a member can read and that records no management events makes the member\'s region disabled',
    world: slaveWorld({ 'eu-west-1': { trails: [organizationShadowWithSelectors] } }, { [ORG]: { status: logging(), selectors: DATA_EVENTS_ONLY } }),
    after: [newItem('eu-west-1', 'open', {
      disabled: true,
      delivery_errors: {},
      trails: [{ id: ORG, enabled: true, multi_region: true, selectors: 'All', errors: {}, coverage_note: NO_WRITES }],
    })],
  },
  {
    name: 'with require_read_management_events, a trail recording only write management events makes the region disabled',
    config: testConfig({ change: (json) => { (json.cloudtrails as Record<string, unknown>).require_read_management_events = 'true'; } }),
    world: slaveWorld({ 'eu-west-1': { trails: [customMainTrail] } }, { [MAIN]: { status: logging(), selectors: { EventSelectors: [{ ReadWriteType: 'WriteOnly' }] } } }),
    after: [newItem('eu-west-1', 'open', {
      disabled: true,
      delivery_errors: {},
      trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'WriteOnly', errors: {}, coverage_note: 'logging, but records no read management events' }],
    })],
  },
  {
    name: 'without require_read_management_events, the same write-only trail covers the region',
    world: slaveWorld({ 'eu-west-1': { trails: [customMainTrail] } }, { [MAIN]: { status: logging(), selectors: { EventSelectors: [{ ReadWriteType: 'WriteOnly' }] } } }),
    before: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    after: [storedItem('eu-west-1', 'resolved', DISABLED_NO_TRAILS, { resolved: NOW })],
  },
  {
    name: 'an item the Python module wrote for a region with a data-events trail beside a failing one is left as it is',
    world: slaveWorld({ 'eu-west-1': { trails: [dataTrail, mainTrail] } }, { [DATA]: { status: logging(), selectors: DATA_EVENTS_ONLY }, [MAIN]: { status: logging({ LatestDeliveryError: 'AccessDenied' }) } }),
    before: [storedItem('eu-west-1', 'open', {
      disabled: false,
      delivery_errors: true,
      trails: [{ id: DATA, enabled: true, multi_region: false, selectors: 'All', errors: {} }, { id: MAIN, enabled: true, multi_region: false, selectors: 'All', errors: mainS3Error }],
    })],
    after: [storedItem('eu-west-1', 'open', {
      disabled: false,
      delivery_errors: true,
      trails: [{ id: DATA, enabled: true, multi_region: false, selectors: 'All', errors: {} }, { id: MAIN, enabled: true, multi_region: false, selectors: 'All', errors: mainS3Error }],
    })],
  },
  {
    name: 'GetTrailStatus throttled twice then answering is retried with backoff and jitter',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging({ LatestDeliveryError: 'AccessDenied' }), throttleStatus: 2 } }),
    // written after the two waits (virtual time moves only when the code sleeps)
    after: [newItem('eu-west-1', 'open', MAIN_S3_ERROR_DETAILS, SLAVE, '2026-11-26T15:56:20.498000+00:00')],
    check: (rig, aws) => {
      assert.is(aws.callsOf('GetTrailStatus').length, 3);
      // random() = 0.5 of the caps 250 ms and 500 ms
      assert.equal(rig.time.sleeps, [125, 250]);
      assert.equal(rig.log.at('warn').map((entry) => [entry.fields.operation, entry.fields.error_code, entry.fields.attempt]), [['GetTrailStatus', 'ThrottlingException', 1], ['GetTrailStatus', 'ThrottlingException', 2]]);
    },
  },
  {
    name: 'DescribeTrails denied writes nothing and leaves the open issue alone',
    world: slaveWorld({ 'eu-west-1': { describeTrailsError: 'AccessDeniedException' } }),
    before: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    after: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    check: (rig) => {
      const errors = rig.log.at('error');
      assert.is(errors.length, 1);
      assert.equal([errors[0]?.fields.account_id, errors[0]?.fields.region, errors[0]?.fields.operation, errors[0]?.fields.error_code], [SLAVE, 'eu-west-1', 'DescribeTrails', 'AccessDeniedException']);
    },
  },
  {
    name: 'AssumeRole denied writes nothing and calls no CloudTrail',
    world: slaveWorld({ 'eu-west-1': { trails: [] } }, {}, { assumeRoleError: 'AccessDenied' }),
    after: [],
    check: (rig, aws) => {
      assert.is(aws.calls.filter((call) => call.service === 'cloudtrail').length, 0);
      const errors = rig.log.at('error');
      assert.is(errors.length, 1);
      assert.equal([errors[0]?.fields.account_id, errors[0]?.fields.region, errors[0]?.fields.operation, errors[0]?.fields.error_code, errors[0]?.fields.role_arn], [SLAVE, 'eu-west-1', 'AssumeRole', 'AccessDenied', `arn:aws:iam::${SLAVE}:role/hammer-cloudsec-crossact-id`]);
    },
  },
  {
    name: 'a region not enabled in the account is skipped quietly and its open issue left alone',
    world: slaveWorld({ 'eu-west-1': { notEnabled: true } }),
    before: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    after: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    check: (rig) => {
      assert.is(rig.log.at('error').length, 0);
      assert.is(rig.log.at('warn').length, 0);
      const skipped = rig.log.at('info').find((entry) => entry.message.startsWith('region not enabled'));
      assert.equal([skipped?.fields.region, skipped?.fields.error_code], ['eu-west-1', 'UnrecognizedClientException']);
    },
  },
  {
    name: 'an issue in a whitelisted region is stored as whitelisted',
    message: message(['ap-south-1']),
    world: slaveWorld({ 'ap-south-1': { trails: [] } }),
    after: [newItem('ap-south-1', 'whitelisted', DISABLED_NO_TRAILS)],
  },
  {
    name: 'an issue in a temporarily whitelisted region is stored as tempwhitelist',
    message: message(['sa-east-1']),
    world: slaveWorld({ 'sa-east-1': { trails: [] } }),
    after: [newItem('sa-east-1', 'tempwhitelist', DISABLED_NO_TRAILS)],
  },
  {
    name: 'an open issue whose region logs again is resolved',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging() } }),
    before: [storedItem('eu-west-1', 'open', MAIN_S3_ERROR_DETAILS)],
    after: [storedItem('eu-west-1', 'resolved', MAIN_S3_ERROR_DETAILS, { resolved: NOW })],
  },
  {
    name: 'a resolved issue broken again is open again with its timestamps and ticket kept',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging({ LatestDeliveryError: 'AccessDenied' }) } }),
    before: [storedItem('eu-west-1', 'resolved', DISABLED_NO_TRAILS, { resolved: '2026-11-22T10:00:00+00:00' })],
    after: [storedItem('eu-west-1', 'open', MAIN_S3_ERROR_DETAILS, { resolved: '2026-11-22T10:00:00+00:00', updated: NOW })],
  },
  {
    name: 'a new finding over a closed issue starts a new lifecycle and forgets the ticket',
    world: slaveWorld({ 'eu-west-1': { trails: [] } }),
    before: [storedItem('eu-west-1', 'closed', MAIN_S3_ERROR_DETAILS, { resolved: '2026-11-22T10:00:00+00:00', closed: '2026-11-22T10:55:00+00:00' })],
    after: [newItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
  },
  {
    name: 'a whitelisted finding over a closed issue leaves it closed',
    message: message(['ap-south-1']),
    world: slaveWorld({ 'ap-south-1': { trails: [] } }),
    before: [storedItem('ap-south-1', 'closed', MAIN_S3_ERROR_DETAILS, { closed: '2026-11-22T10:55:00+00:00' })],
    after: [storedItem('ap-south-1', 'closed', MAIN_S3_ERROR_DETAILS, { closed: '2026-11-22T10:55:00+00:00' })],
  },
  {
    name: 'changed details of an open issue replace them, keeping timestamps and ticket, and move updated',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging({ LatestDeliveryError: 'AccessDenied' }) } }),
    before: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    after: [storedItem('eu-west-1', 'open', MAIN_S3_ERROR_DETAILS, { updated: NOW })],
  },
  {
    name: 'an item written by the Python module (delivery_errors true) with the same trails is left as it is',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging({ LatestDeliveryError: 'AccessDenied' }) } }),
    before: [storedItem('eu-west-1', 'open', { ...MAIN_S3_ERROR_DETAILS, delivery_errors: true })],
    after: [storedItem('eu-west-1', 'open', { ...MAIN_S3_ERROR_DETAILS, delivery_errors: true })],
  },
  {
    name: 'an item exactly as the Python module wrote and reported it is left as it is when the scan adds a digest error',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging({ LatestDeliveryError: 'AccessDenied', LatestDigestDeliveryError: 'AccessDenied' }) } }),
    before: [PYTHON_REPORTED_ITEM],
    after: [PYTHON_REPORTED_ITEM],
  },
  {
    name: 'a digest error clearing from our own item writes nothing',
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging({ LatestDeliveryError: 'AccessDenied' }) } }),
    before: [storedItem('eu-west-1', 'open', MAIN_S3_AND_DIGEST_DETAILS)],
    after: [storedItem('eu-west-1', 'open', MAIN_S3_AND_DIGEST_DETAILS)],
  },
  {
    name: 'the account the Lambda runs in is checked with its own credentials, without AssumeRole',
    message: message(['eu-west-1'], {}, OWN_ACCOUNT, 'master'),
    world: { accounts: { [OWN_ACCOUNT]: { regions: { 'eu-west-1': { trails: [] } } } }, trails: {} },
    after: [newItem('eu-west-1', 'open', DISABLED_NO_TRAILS, OWN_ACCOUNT)],
    check: (_rig, aws) => {
      assert.is(aws.callsOf('AssumeRole').length, 0);
      assert.equal(aws.callsOf('DescribeTrails').map((call) => call.account), [OWN_ACCOUNT]);
    },
  },
  {
    name: 'with stale_delivery_hours, a logging trail that has not delivered for longer is an error of that endpoint',
    config: testConfig({ change: (json) => { (json.cloudtrails as Record<string, unknown>).stale_delivery_hours = 24; } }),
    world: slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging({ LatestDeliveryTime: new Date('2026-11-24T09:30:00.000Z'), LatestCloudWatchLogsDeliveryTime: new Date('2026-11-26T15:51:00.000Z') }) } }),
    after: [newItem('eu-west-1', 'open', {
      disabled: false,
      delivery_errors: { [MAIN]: { errors: { s3: { resource: MAIN_BUCKET, error: 'No delivery for more than 24 hours; last delivery at 2026-11-24T09:30:00.000Z' } }, events: 'All', multi_region: false } },
      trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'All', errors: { s3: { resource: MAIN_BUCKET, error: 'No delivery for more than 24 hours; last delivery at 2026-11-24T09:30:00.000Z' } } }],
    })],
  },
  {
    name: 'SNS notification and digest errors are recorded but open no issue by default',
    world: slaveWorld({ 'eu-west-1': { trails: [oldTrail, trail({ account: SLAVE, name: 'main', home: 'eu-west-1', snsTopic: true })] } }, {
      [OLD]: { status: stopped() },
      [MAIN]: { status: logging({ LatestNotificationError: 'AuthorizationError', LatestDigestDeliveryError: 'AccessDenied' }) },
    }),
    before: [storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)],
    after: [storedItem('eu-west-1', 'resolved', DISABLED_NO_TRAILS, { resolved: NOW })],
  },
  {
    name: 'SNS and digest errors open an issue when cloudtrails.issue_endpoints lists them',
    config: testConfig({ change: (json) => { (json.cloudtrails as Record<string, unknown>).issue_endpoints = ['s3', 'cloudwatch', 'sns', 'digest']; } }),
    world: slaveWorld({ 'eu-west-1': { trails: [trail({ account: SLAVE, name: 'main', home: 'eu-west-1', snsTopic: true })] } }, {
      [MAIN]: { status: logging({ LatestNotificationError: 'AuthorizationError', LatestDigestDeliveryError: 'AccessDenied' }) },
    }),
    after: [newItem('eu-west-1', 'open', {
      disabled: false,
      delivery_errors: { [MAIN]: { errors: { sns: { resource: `arn:aws:sns:eu-west-1:${SLAVE}:main-notifications`, error: 'AuthorizationError' }, digest: { resource: MAIN_BUCKET, error: 'AccessDenied' } }, events: 'All', multi_region: false } },
      trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'All', errors: { sns: { resource: `arn:aws:sns:eu-west-1:${SLAVE}:main-notifications`, error: 'AuthorizationError' }, digest: { resource: MAIN_BUCKET, error: 'AccessDenied' } } }],
    })],
  },
];

const test = suite('describe_cloudtrails');
let dynamo: LocalDynamo;
let aws: FakeAws;
let time: VirtualTime;

test.before(async () => {
  dynamo = await startDynalite();
  await dynamo.createIssuesTable(TABLE);
  await dynamo.createApiRequestsTable(API_TABLE);
  time = new VirtualTime();
  aws = new FakeAws(() => time.date());
});

test.after(async () => {
  aws.restore();
  await dynamo.stop();
});

test.before.each(async () => {
  await clearIssues(dynamo.doc, TABLE);
});

function rigFor(options: { config?: HammerConfig; regionConcurrency?: number } = {}): IdentificationRig {
  time = new VirtualTime();
  return identificationRig({ doc: dynamo.doc, config: options.config ?? config, time, ...(options.regionConcurrency === undefined ? {} : { regionConcurrency: options.regionConcurrency }) });
}

async function seed(items: readonly Item[]): Promise<void> {
  for (const item of items) await dynamo.doc.send(new PutCommand({ TableName: TABLE, Item: item }));
}

async function run(rig: IdentificationRig, messages: readonly string[], remainingMs?: () => number): Promise<void> {
  const context = lambdaContext({ accountId: OWN_ACCOUNT, functionName: 'hammer-describe-cloudtrails', ...(remainingMs === undefined ? {} : { remainingMs }) });
  await handleDescribeEvent(snsEvent(TOPIC, messages), context, rig.deps);
}

for (const scenario of scenarios) {
  test(scenario.name, async () => {
    const rig = rigFor({ ...(scenario.config === undefined ? {} : { config: scenario.config }) });
    aws.reset(scenario.world);
    await seed(scenario.before ?? []);
    await run(rig, [scenario.message ?? message(['eu-west-1'])]);
    assert.equal(await tableItems(dynamo.doc, TABLE), scenario.after);
    scenario.check?.(rig, aws);
  });
}

test('the same message delivered twice leaves the same end state', async () => {
  aws.reset(slaveWorld({ 'eu-west-1': { trails: [mainTrail] }, 'us-east-1': { trails: [] } }, { [MAIN]: { status: logging({ LatestDeliveryError: 'AccessDenied' }) } }));
  await seed([storedItem('us-east-1', 'open', DISABLED_NO_TRAILS)]);
  const text = message(['eu-west-1', 'us-east-1']);
  const rig = rigFor();
  await run(rig, [text]);
  const first = await tableItems(dynamo.doc, TABLE);
  rig.time.nowMs += 20 * 60_000;
  await run(rig, [text]);
  assert.equal(await tableItems(dynamo.doc, TABLE), first);
  assert.equal(first, [newItem('eu-west-1', 'open', MAIN_S3_ERROR_DETAILS), storedItem('us-east-1', 'open', DISABLED_NO_TRAILS)]);
  assert.is(aws.callsOf('AssumeRole').length, 1, 'credentials are reused by the second delivery');
});

test('a Hammer-format message with three regions checks each of them and publishes nothing', async () => {
  aws.reset(slaveWorld({
    'eu-west-1': { trails: [] },
    'us-east-1': { trails: [globalShadow] },
    'ap-south-1': { trails: [] },
  }, { [GLOBAL]: { status: logging() } }));
  await seed([storedItem('us-east-1', 'open', DISABLED_NO_TRAILS)]);
  const rig = rigFor();
  await run(rig, [message(['eu-west-1', 'us-east-1', 'ap-south-1'])]);
  assert.equal(await tableItems(dynamo.doc, TABLE), [
    newItem('ap-south-1', 'whitelisted', DISABLED_NO_TRAILS),
    newItem('eu-west-1', 'open', DISABLED_NO_TRAILS),
    storedItem('us-east-1', 'resolved', DISABLED_NO_TRAILS, { resolved: NOW }),
  ]);
  assert.equal(aws.callsOf('DescribeTrails').map((call) => call.region).sort(), ['ap-south-1', 'eu-west-1', 'us-east-1']);
  assert.is(aws.callsOf('AssumeRole').length, 1);
  assert.is(aws.batches.length, 0);
});

test('regions not started when time runs out are published back in one message with the same fields', async () => {
  aws.reset(slaveWorld({ 'eu-west-1': { trails: [] }, 'us-east-1': { trails: [] }, 'us-west-2': { trails: [] }, 'ap-northeast-1': { trails: [] } }));
  const rig = rigFor();
  // Asked before regions 2, 3 and 4 start (the first always starts), then by the log.
  const remaining = [200_000, 45_000, 44_000, 43_000];
  await run(rig, [message(['eu-west-1', 'us-east-1', 'us-west-2', 'ap-northeast-1'], { request_id: 'b7c1f2' })], () => remaining.shift() ?? 40_000);
  assert.equal(await tableItems(dynamo.doc, TABLE), [newItem('eu-west-1', 'open', DISABLED_NO_TRAILS), newItem('us-east-1', 'open', DISABLED_NO_TRAILS)]);
  assert.equal(aws.batches.map((batch) => [batch.region, batch.topicArn, batch.entries.length]), [['eu-west-1', TOPIC, 1]]);
  assert.is(aws.batches[0]?.entries[0]?.Message, JSON.stringify({ account_id: SLAVE, account_name: 'slave1', regions: ['us-west-2', 'ap-northeast-1'], sns_arn: TOPIC, request_id: 'b7c1f2' }));
});

test('regions that can be neither checked nor published back fail the invocation, so Lambda retries the event', async () => {
  aws.reset({ ...slaveWorld({ 'eu-west-1': { trails: [] }, 'us-east-1': { trails: [] } }), publishFailures: { [SLAVE]: 'InternalError' } });
  const rig = rigFor();
  const remaining = [10_000];
  try {
    await run(rig, [message(['eu-west-1', 'us-east-1'])], () => remaining.shift() ?? 10_000);
    assert.unreachable('expected RepublishError');
  } catch (err: unknown) {
    assert.instance(err, RepublishError);
    assert.is((err as Error).message, `regions us-east-1 of account ${SLAVE} were not checked and could not be published back to ${TOPIC}`);
  }
  assert.equal(await tableItems(dynamo.doc, TABLE), [newItem('eu-west-1', 'open', DISABLED_NO_TRAILS)]);
  const lost = rig.log.at('error').find((entry) => entry.message === 'scan message not published');
  assert.equal([lost?.fields.account_id, lost?.fields.region, lost?.fields.operation, lost?.fields.error_code], [SLAVE, 'us-east-1', 'PublishBatch', 'InternalError']);
});

test('with request_id, each region checked adds one to the API request progress', async () => {
  await dynamo.doc.send(new PutCommand({ TableName: API_TABLE, Item: { request_id: 'a1b2c3', request_params: { account_id: SLAVE, regions: ['eu-west-1', 'us-east-1', 'eu-central-1'], security_features: ['cloudtrails'], tags: null }, progress: 0, total: 3, updated: 1_764_000_000 } }));
  aws.reset(slaveWorld({ 'eu-west-1': { trails: [] }, 'us-east-1': { trails: [] }, 'eu-central-1': { notEnabled: true } }));
  const rig = rigFor();
  await run(rig, [message(['eu-west-1', 'us-east-1', 'eu-central-1'], { request_id: 'a1b2c3' })]);
  assert.equal(await tableItems(dynamo.doc, API_TABLE), [{
    request_id: 'a1b2c3',
    request_params: { account_id: SLAVE, regions: ['eu-west-1', 'us-east-1', 'eu-central-1'], security_features: ['cloudtrails'], tags: null },
    progress: 3,
    total: 3,
    updated: Math.floor(Date.UTC(2026, 10, 26, 15, 56, 20, 123) / 1000),
  }]);
});

test('a region whose DescribeTrails keeps failing with a server error is retried, then given up without writing', async () => {
  aws.reset(slaveWorld({ 'eu-west-1': { describeTrailsError: 'InternalFailure' } }));
  const rig = rigFor();
  await run(rig, [message(['eu-west-1'])]);
  assert.equal(await tableItems(dynamo.doc, TABLE), []);
  assert.is(aws.callsOf('DescribeTrails').length, 6);
  assert.equal(rig.time.sleeps, [125, 250, 500, 1000, 2000]);
  assert.equal(rig.log.at('error').map((entry) => [entry.fields.region, entry.fields.operation, entry.fields.error_code]), [['eu-west-1', 'DescribeTrails', 'InternalFailure']]);
});

test('with more than 1 MB of items for the account, the open issue of the region is still found and resolved', async () => {
  const padding = 'x'.repeat(40_000);
  const others = Array.from({ length: 30 }, (_, index) => storedItem(`aa-pad-${String(index).padStart(2, '0')}`, 'open', { ...DISABLED_NO_TRAILS, note: padding }));
  await seed([...others, storedItem('eu-west-1', 'open', DISABLED_NO_TRAILS)]);
  aws.reset(slaveWorld({ 'eu-west-1': { trails: [mainTrail] } }, { [MAIN]: { status: logging() } }));
  const rig = rigFor();
  await run(rig, [message(['eu-west-1'])]);
  assert.equal(await tableItems(dynamo.doc, TABLE), [...others, storedItem('eu-west-1', 'resolved', DISABLED_NO_TRAILS, { resolved: NOW })]);
  const firstPage = await dynamo.doc.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'account_id = :account', ExpressionAttributeValues: { ':account': SLAVE } }));
  assert.ok(firstPage.LastEvaluatedKey !== undefined, 'the items do not fit in one Query page');
  const listed = await rig.deps.store.listAccountIssues(SLAVE, { status: 'open' });
  assert.is(listed.length, 30, 'a paginated read sees every open issue');
});

const malformed: Array<[string, unknown]> = [
  ['an event that is not from SNS', { source: 'aws.events', detail: {} }],
  ['a message that is not JSON', snsEvent(TOPIC, ['{"account_id": "210987654321", ']) as unknown],
  ['a message without account_name', snsEvent(TOPIC, [JSON.stringify({ account_id: SLAVE, regions: ['eu-west-1'], sns_arn: TOPIC })])],
  ['a message with empty regions', snsEvent(TOPIC, [JSON.stringify({ account_id: SLAVE, account_name: 'slave1', regions: [], sns_arn: TOPIC })])],
  ['a message for an account not in the config', snsEvent(TOPIC, [JSON.stringify({ account_id: '999999999999', account_name: 'stranger', regions: ['eu-west-1'], sns_arn: TOPIC })])],
];

for (const [what, event] of malformed) {
  test(`${what} is logged once with its content and dropped without throwing`, async () => {
    aws.reset(slaveWorld({ 'eu-west-1': { trails: [] } }));
    const rig = rigFor();
    await handleDescribeEvent(event, lambdaContext({ accountId: OWN_ACCOUNT, functionName: 'hammer-describe-cloudtrails' }), rig.deps);
    assert.equal(await tableItems(dynamo.doc, TABLE), []);
    assert.is(aws.calls.length, 0);
    const errors = rig.log.at('error');
    assert.is(errors.length, 1);
    const content = errors[0]?.fields.sns_message ?? errors[0]?.fields.event;
    assert.type(content, 'string');
    const records = (event as { Records?: Array<{ Sns: { Message: string } }> }).Records;
    assert.is(content, records?.[0]?.Sns.Message ?? JSON.stringify(event));
  });
}

test('one failing region never stops the others of the message', async () => {
  aws.reset(slaveWorld({ 'eu-west-1': { describeTrailsError: 'InvalidTrailNameException' }, 'us-east-1': { trails: [] } }));
  const rig = rigFor();
  await run(rig, [message(['eu-west-1', 'us-east-1'])]);
  assert.equal(await tableItems(dynamo.doc, TABLE), [newItem('us-east-1', 'open', DISABLED_NO_TRAILS)]);
  assert.equal(rig.log.at('error').map((entry) => [entry.fields.region, entry.fields.operation, entry.fields.error_code]), [['eu-west-1', 'DescribeTrails', 'InvalidTrailNameException']]);
});

test.run();
