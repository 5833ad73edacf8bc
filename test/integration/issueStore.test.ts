import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CloudTrailFinding, CloudTrailIssueItem } from '../../library/issues/cloudTrailIssue.ts';
import { IssueStore } from '../../library/issues/issueStore.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { RecordingLog } from '../helpers/recordingLog.ts';

const TABLE = 'hammer-cloudtrails';
const ACCOUNT = '210987654321';
const TRAIL = 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/main';
const T0 = '2026-11-20T10:00:00.000001+00:00';
const NOW = new Date('2026-11-26T15:56:20.123Z');
const NOW_TEXT = '2026-11-26T15:56:20.123000+00:00';
/** cloudtrails.issue_endpoints by default. */
const COMPARISON = { issueEndpoints: ['s3', 'cloudwatch'] } as const;

interface Context {
  dynamo: LocalDynamo;
  writes: string[];
}

const test = suite<Context>('issueStore');

test.before(async (context) => {
  context.dynamo = await startDynalite();
  context.writes = [];
  await context.dynamo.createIssuesTable(TABLE);
  context.dynamo.doc.middlewareStack.add(
    (next, handlerContext) => async (args) => {
      const name = String(handlerContext.commandName);
      if (name !== 'GetItemCommand' && name !== 'QueryCommand') context.writes.push(name);
      return next(args);
    },
    { step: 'initialize', name: 'recordWrites' },
  );
});

test.after(async ({ dynamo }) => {
  await dynamo.stop();
});

test.before.each((context) => {
  context.writes.length = 0;
});

let region = 0;
/** A fresh region per test, so tests share the table without sharing items. */
function nextRegion(): string {
  region += 1;
  return `test-region-${region}`;
}

function store(doc: DynamoDBDocumentClient, clock: () => Date = () => NOW): IssueStore {
  return new IssueStore(doc, TABLE, clock, new RecordingLog());
}

function s3Finding(issueId: string, status: CloudTrailFinding['status'] = 'open'): CloudTrailFinding {
  const errors = { s3: { resource: 'trail-bucket', error: 'AccessDenied' } };
  return {
    account_id: ACCOUNT,
    issue_id: issueId,
    status,
    issue_details: {
      disabled: false,
      delivery_errors: { [TRAIL]: { errors, events: 'All', multi_region: true } },
      trails: [{ id: TRAIL, enabled: true, multi_region: true, selectors: 'All', errors }],
    },
  };
}

function disabledFinding(issueId: string): CloudTrailFinding {
  return {
    account_id: ACCOUNT,
    issue_id: issueId,
    status: 'open',
    issue_details: { disabled: true, delivery_errors: {}, trails: [{ id: TRAIL, enabled: false, multi_region: true, selectors: 'All', errors: {} }] },
  };
}

function storedItem(finding: CloudTrailFinding, overrides: Partial<CloudTrailIssueItem> = {}): CloudTrailIssueItem {
  return {
    ...finding,
    timestamps: { identified: T0, updated: T0, reported: T0, remediated: null, closed: null },
    jira_details: { ticket: 'AWSSEC-7', ticket_assignee_id: 'bob' },
    ...overrides,
  };
}

async function put(doc: DynamoDBDocumentClient, item: CloudTrailIssueItem | Record<string, unknown>): Promise<void> {
  await doc.send(new PutCommand({ TableName: TABLE, Item: item }));
}

async function read(doc: DynamoDBDocumentClient, issueId: string): Promise<Record<string, unknown> | undefined> {
  return (await doc.send(new GetCommand({ TableName: TABLE, Key: { account_id: ACCOUNT, issue_id: issueId } }))).Item;
}

test('puts a new finding with Hammer timestamps and empty jira details', async ({ dynamo }) => {
  const issueId = nextRegion();
  assert.is(await store(dynamo.doc).mergeFinding(s3Finding(issueId), COMPARISON), 'created');
  assert.equal(await read(dynamo.doc, issueId), {
    ...s3Finding(issueId),
    timestamps: { identified: NOW_TEXT, updated: NOW_TEXT, reported: null, remediated: null, closed: null },
    jira_details: {},
  });
});

test('writes nothing when a rescan finds the same issue', async ({ dynamo, writes }) => {
  const issueId = nextRegion();
  await put(dynamo.doc, storedItem(s3Finding(issueId)));
  writes.length = 0;
  assert.is(await store(dynamo.doc).mergeFinding(s3Finding(issueId), COMPARISON), 'unchanged');
  assert.equal(writes, []);
  assert.equal(await read(dynamo.doc, issueId), storedItem(s3Finding(issueId)));
});

test('writes nothing over an item the Python module wrote with delivery_errors true', async ({ dynamo, writes }) => {
  const issueId = nextRegion();
  const python = storedItem(s3Finding(issueId));
  python.issue_details = { ...python.issue_details, delivery_errors: true };
  await put(dynamo.doc, python);
  writes.length = 0;
  assert.is(await store(dynamo.doc).mergeFinding(s3Finding(issueId), COMPARISON), 'unchanged');
  assert.equal(writes, []);
});

/**
 * An item exactly as the Python module writes it (describe_cloudtrails.py,
 * ddb_issues.py; reported by create_cloudtrail_tickets.py, whose JIRA creation
 * is commented out): its key order, `trails` first in issue_details,
 * `delivery_errors` a boolean, errors only for s3 and cloudwatch (no digest
 * or sns key, none of our extra keys), a log group resource of None when
 * the trail has none, jira_details empty.
 */
function pythonItem(issueId: string): Record<string, unknown> {
  return {
    account_id: ACCOUNT,
    issue_id: issueId,
    issue_details: {
      trails: [
        {
          id: TRAIL,
          enabled: true,
          multi_region: true,
          selectors: 'All',
          errors: {
            s3: { resource: 'trail-bucket', error: 'AccessDenied' },
            cloudwatch: { resource: null, error: 'Log group not found' },
          },
        },
      ],
      disabled: false,
      delivery_errors: true,
    },
    status: 'open',
    timestamps: { identified: T0, updated: T0, reported: '2026-11-20T10:55:02.418273+00:00', remediated: null, closed: null },
    jira_details: {},
  };
}

/** What our scan finds for the trail of pythonItem: the same errors, plus the digest error AWS sets beside the S3 one. */
function findingWithDigest(issueId: string): CloudTrailFinding {
  const errors = {
    s3: { resource: 'trail-bucket', error: 'AccessDenied' },
    cloudwatch: { resource: null, error: 'Log group not found' },
    digest: { resource: 'trail-bucket', error: 'AccessDenied' },
  };
  return {
    account_id: ACCOUNT,
    issue_id: issueId,
    status: 'open',
    issue_details: {
      disabled: false,
      delivery_errors: { [TRAIL]: { errors, events: 'All', multi_region: true } },
      trails: [{ id: TRAIL, enabled: true, multi_region: true, selectors: 'All', errors }],
    },
  };
}

test('writes nothing over an item exactly as the Python module wrote it when the scan adds a digest error', async ({ dynamo, writes }) => {
  const issueId = nextRegion();
  await put(dynamo.doc, pythonItem(issueId));
  writes.length = 0;
  assert.is(await store(dynamo.doc).mergeFinding(findingWithDigest(issueId), COMPARISON), 'unchanged');
  assert.equal(writes, []);
  assert.equal(await read(dynamo.doc, issueId), pythonItem(issueId));
});

test('writes nothing when only a recorded-only error (digest, sns) appears or clears on our own item', async ({ dynamo, writes }) => {
  const issueId = nextRegion();
  const ours = storedItem(s3Finding(issueId));
  await put(dynamo.doc, ours);
  const issues = store(dynamo.doc);
  const withRecordedOnly = s3Finding(issueId);
  const [trail] = withRecordedOnly.issue_details.trails;
  assert.ok(trail);
  trail.errors = { ...trail.errors, digest: { resource: 'trail-bucket', error: 'AccessDenied' }, sns: { resource: 'arn:aws:sns:eu-west-1:210987654321:trail-topic', error: 'AuthorizationError' } };
  writes.length = 0;

  assert.is(await issues.mergeFinding(withRecordedOnly, COMPARISON), 'unchanged', 'appears');
  assert.is(await issues.mergeFinding(s3Finding(issueId), COMPARISON), 'unchanged', 'clears');
  assert.equal(writes, []);
  assert.equal(await read(dynamo.doc, issueId), ours);
});

test('writes nothing when only unknown_trails or a key outside the compared fields differs', async ({ dynamo, writes }) => {
  const issueId = nextRegion();
  const ours = storedItem(s3Finding(issueId));
  await put(dynamo.doc, ours);
  const found = s3Finding(issueId);
  found.issue_details.unknown_trails = [{ id: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/organization', error: 'AccessDeniedException' }];
  const [trail] = found.issue_details.trails;
  assert.ok(trail);
  // A per-trail fact some later rule derives from `selectors`: not compared until added to COMPARED_TRAIL_FIELDS.
  Object.assign(trail, { management_events: 'ReadWrite' });
  writes.length = 0;

  assert.is(await store(dynamo.doc).mergeFinding(found, COMPARISON), 'unchanged');
  assert.equal(writes, []);
  assert.equal(await read(dynamo.doc, issueId), ours);
});

test('a change on an issue endpoint writes the whole finding, recorded-only errors included', async ({ dynamo }) => {
  const issueId = nextRegion();
  await put(dynamo.doc, pythonItem(issueId));
  const changed = findingWithDigest(issueId);
  const [trail] = changed.issue_details.trails;
  assert.ok(trail);
  trail.errors = { ...trail.errors, s3: { resource: 'trail-bucket', error: 'NoSuchBucket' } };

  assert.is(await store(dynamo.doc).mergeFinding(changed, COMPARISON), 'updated');
  const python = pythonItem(issueId);
  assert.equal(await read(dynamo.doc, issueId), {
    ...python,
    issue_details: changed.issue_details,
    timestamps: { ...(python.timestamps as Record<string, unknown>), updated: NOW_TEXT },
  });
});

test('a digest error is compared when cloudtrails.issue_endpoints lists digest', async ({ dynamo }) => {
  const issueId = nextRegion();
  await put(dynamo.doc, pythonItem(issueId));
  assert.is(await store(dynamo.doc).mergeFinding(findingWithDigest(issueId), { issueEndpoints: ['s3', 'cloudwatch', 'digest'] }), 'updated');
});

test('replaces changed details of an open issue, keeping timestamps and jira details, moving updated', async ({ dynamo }) => {
  const issueId = nextRegion();
  await put(dynamo.doc, storedItem(s3Finding(issueId)));
  assert.is(await store(dynamo.doc).mergeFinding(disabledFinding(issueId), COMPARISON), 'updated');
  assert.equal(await read(dynamo.doc, issueId), {
    ...disabledFinding(issueId),
    timestamps: { identified: T0, updated: NOW_TEXT, reported: T0, remediated: null, closed: null },
    jira_details: { ticket: 'AWSSEC-7', ticket_assignee_id: 'bob' },
  });
});

test('reopens a closed issue as a new lifecycle, forgetting the old ticket', async ({ dynamo }) => {
  const issueId = nextRegion();
  await put(dynamo.doc, storedItem(s3Finding(issueId), { status: 'closed', timestamps: { identified: T0, updated: T0, reported: T0, remediated: null, closed: T0 } }));
  assert.is(await store(dynamo.doc).mergeFinding(s3Finding(issueId), COMPARISON), 'reopened');
  assert.equal(await read(dynamo.doc, issueId), {
    ...s3Finding(issueId),
    timestamps: { identified: NOW_TEXT, updated: NOW_TEXT, reported: null, remediated: null, closed: null },
    jira_details: {},
  });
});

test('leaves a closed issue closed when the new finding is whitelisted', async ({ dynamo, writes }) => {
  const issueId = nextRegion();
  const closed = storedItem(s3Finding(issueId), { status: 'closed' });
  await put(dynamo.doc, closed);
  writes.length = 0;
  assert.is(await store(dynamo.doc).mergeFinding(s3Finding(issueId, 'whitelisted'), COMPARISON), 'kept-closed');
  assert.equal(writes, []);
  assert.equal(await read(dynamo.doc, issueId), closed);
});

test('resolves an open issue with the resolved timestamp', async ({ dynamo }) => {
  const issueId = nextRegion();
  await put(dynamo.doc, storedItem(s3Finding(issueId)));
  assert.is(await store(dynamo.doc).resolve({ account_id: ACCOUNT, issue_id: issueId }), true);
  assert.equal(await read(dynamo.doc, issueId), storedItem(s3Finding(issueId), {
    status: 'resolved',
    timestamps: { identified: T0, updated: T0, reported: T0, remediated: null, closed: null, resolved: NOW_TEXT },
  }));
});

test('does not resolve an issue that is no longer open, nor create one', async ({ dynamo }) => {
  const issueId = nextRegion();
  await put(dynamo.doc, storedItem(s3Finding(issueId), { status: 'whitelisted' }));
  assert.is(await store(dynamo.doc).resolve({ account_id: ACCOUNT, issue_id: issueId }), false);
  assert.is((await read(dynamo.doc, issueId))?.status, 'whitelisted');
  const missing = nextRegion();
  assert.is(await store(dynamo.doc).resolve({ account_id: ACCOUNT, issue_id: missing }), false);
  assert.is(await read(dynamo.doc, missing), undefined);
});

test('decides again when reporting closed the issue between the read and the write', async ({ dynamo }) => {
  const issueId = nextRegion();
  await put(dynamo.doc, storedItem(s3Finding(issueId), { status: 'resolved' }));
  // Reporting closes the issue right before identification's first conditional write lands.
  let raced = false;
  dynamo.doc.middlewareStack.add(
    (next, handlerContext) => async (args) => {
      if (!raced && handlerContext.commandName === 'UpdateItemCommand') {
        raced = true;
        await dynamo.doc.send(new UpdateCommand({
          TableName: TABLE,
          Key: { account_id: ACCOUNT, issue_id: issueId },
          UpdateExpression: 'SET #s = :closed, timestamps.closed = :t',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':closed': 'closed', ':t': T0 },
        }));
      }
      return next(args);
    },
    { step: 'initialize', name: 'raceOnce' },
  );
  try {
    assert.is(await store(dynamo.doc).mergeFinding(s3Finding(issueId), COMPARISON), 'reopened');
  } finally {
    dynamo.doc.middlewareStack.remove('raceOnce');
  }
  const item = await read(dynamo.doc, issueId);
  assert.is(item?.status, 'open');
  assert.equal(item?.jira_details, {});
});

test('refuses a reporting change whose expectation no longer holds', async ({ dynamo }) => {
  const issueId = nextRegion();
  await put(dynamo.doc, storedItem(s3Finding(issueId)));
  const issues = store(dynamo.doc);
  const stale = await issues.tryUpdate({ account_id: ACCOUNT, issue_id: issueId }, {
    set: [[['timestamps', 'updated'], T0]],
    expect: [{ path: ['timestamps', 'updated'], equals: '2000-01-01T00:00:00+00:00' }],
  });
  assert.is(stale, false);
  const fresh = await issues.tryUpdate({ account_id: ACCOUNT, issue_id: issueId }, {
    set: [[['jira_details', 'ticket'], 'AWSSEC-8'], [['timestamps', 'closed'], NOW_TEXT]],
    expect: [{ path: ['timestamps', 'updated'], equals: T0 }, { path: ['timestamps', 'closed'], isNullOrAbsent: true }],
  });
  assert.is(fresh, true);
  const item = await read(dynamo.doc, issueId);
  assert.equal(item?.jira_details, { ticket: 'AWSSEC-8', ticket_assignee_id: 'bob' });
});

test('lists every issue of an account past 1 MB of items, with status filters', async ({ dynamo }) => {
  const account = '654321210987';
  const padding = 'x'.repeat(8_000);
  const total = 150; // about 1.2 MB: DynamoDB pages Query results at 1 MB
  for (let index = 0; index < total; index += 1) {
    await put(dynamo.doc, {
      ...storedItem({ ...s3Finding(`region-${String(index).padStart(3, '0')}`), account_id: account }, { status: index % 3 === 0 ? 'closed' : 'open' }),
      issue_details: { disabled: true, delivery_errors: false, trails: [], padding },
    });
  }
  const issues = store(dynamo.doc);
  const all = await issues.listAccountIssues(account);
  assert.is(all.length, total);
  assert.is(new Set(all.map((issue) => issue.issue_id)).size, total);
  const notClosed = await issues.listAccountIssues(account, { notStatus: 'closed' });
  assert.is(notClosed.length, total - Math.ceil(total / 3));
  const open = await issues.listAccountIssues(account, { status: 'open' });
  assert.ok(open.every((issue) => issue.status === 'open'));
  assert.is(open.length, notClosed.length);
});

test('reads old items without status or details the way Hammer defaults them', async ({ dynamo }) => {
  const issueId = nextRegion();
  await put(dynamo.doc, { account_id: ACCOUNT, issue_id: issueId, timestamps: { identified: T0, updated: T0 }, jira_details: {}, issue_details: {} });
  const item = await store(dynamo.doc).get(ACCOUNT, issueId);
  assert.is(item?.status, 'unknown');
  assert.equal(item?.issue_details, { disabled: false, delivery_errors: false, trails: [] });
});

test.run();
