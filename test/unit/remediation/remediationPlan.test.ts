import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TrailRecord } from '../../../library/issues/cloudTrailIssue.ts';
import type { RegionJudgement } from '../../../library/scan/identifyRegion.ts';
import { ALL_MANAGEMENT_EVENTS, managementCoverage, type ManagementCoverage } from '../../../library/scan/managementEventCoverage.ts';
import { judgeRegion } from '../../../library/scan/regionVerdict.ts';
import type { UnknownTrail } from '../../../library/scan/regionCheck.ts';
import { planRemediation } from '../../../remediation/remediationPlan.ts';

const test = suite('remediationPlan');

const ACCOUNT = '210987654321';
const MAIN = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/main`;
const GLOBAL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/global`;
const ORG = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/organization';
const DATA_ONLY = managementCoverage({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }], ExcludeManagementEventSources: [] }] });

function trail(id: string, enabled: boolean, errors: TrailRecord['errors'] = {}): TrailRecord {
  return { id, enabled, multi_region: id !== MAIN, selectors: 'All', errors };
}

/** The judgement identification makes of these trails (coverage: all management events unless given). */
function judged(trails: TrailRecord[], coverage: Record<string, ManagementCoverage> = {}, unknownTrails: UnknownTrail[] = []): Extract<RegionJudgement, { kind: 'judged' }> {
  const byArn = new Map(trails.map((t) => [t.id, coverage[t.id] ?? ALL_MANAGEMENT_EVENTS]));
  const verdict = judgeRegion(trails, unknownTrails, ['s3', 'cloudwatch'], { coverage: byArn, requireReadManagementEvents: false });
  return { kind: 'judged', check: { outcome: 'checked', trails, unknownTrails, coverage: byArn }, verdict };
}

test('starts every stopped trail of the account, each in its home region (a multi-region trail seen as a shadow too)', () => {
  assert.equal(planRemediation(judged([trail(GLOBAL, false), trail(MAIN, false)]), ACCOUNT, false), {
    kind: 'start',
    trails: [{ arn: GLOBAL, homeRegion: 'us-east-1' }, { arn: MAIN, homeRegion: 'eu-west-1' }],
    leftAlone: [],
  });
});

test('leaves an organization trail of another account alone; with nothing else to start, the issue is not remediable, saying why', () => {
  const plan = planRemediation(judged([trail(ORG, false)]), ACCOUNT, false);
  assert.equal(plan, {
    kind: 'not-remediable',
    reason: `trail ${ORG} belongs to account 123456789012 (an organization trail), which alone can start it`,
    leftAlone: [{ arn: ORG, why: `trail ${ORG} belongs to account 123456789012 (an organization trail), which alone can start it` }],
  });
});

test('starts the account\'s own stopped trail beside a stopped organization trail, which is left alone', () => {
  const plan = planRemediation(judged([trail(ORG, false), trail(MAIN, false)]), ACCOUNT, false);
  assert.is(plan.kind, 'start');
  assert.equal(plan.kind === 'start' && plan.trails.map((t) => t.arn), [MAIN]);
  assert.equal(plan.kind === 'start' && plan.leftAlone.map((t) => t.arn), [ORG]);
});

test('a region without any trail is not remediable: hammer creates no trails or buckets', () => {
  assert.equal(planRemediation(judged([]), ACCOUNT, false), {
    kind: 'not-remediable',
    reason: 'no trail logs the region and there is no trail to start (hammer does not create trails or buckets)',
    leftAlone: [],
  });
});

test('a trail that logs but records no write management events is not remediable: hammer does not change event selectors', () => {
  const plan = planRemediation(judged([trail(MAIN, true)], { [MAIN]: DATA_ONLY }), ACCOUNT, false);
  assert.equal(plan, {
    kind: 'not-remediable',
    reason: `trail ${MAIN} is logging, but records no write management events (hammer does not change event selectors)`,
    leftAlone: [{ arn: MAIN, why: `trail ${MAIN} is logging, but records no write management events (hammer does not change event selectors)` }],
  });
});

test('a stopped trail that would not cover the region once started is left alone', () => {
  const plan = planRemediation(judged([trail(MAIN, false)], { [MAIN]: DATA_ONLY }), ACCOUNT, false);
  assert.is(plan.kind, 'not-remediable');
  assert.match(plan.kind === 'not-remediable' ? plan.reason : '', `stopped trail ${MAIN} records no write management events, so starting it would not cover the region`);
});

test('a fixed region, an unknown one and delivery errors alone are not for remediation', () => {
  assert.equal(planRemediation(judged([trail(MAIN, true)]), ACCOUNT, false), { kind: 'fixed' });
  assert.equal(planRemediation(judged([trail(MAIN, false)], {}, [{ id: ORG, error: 'AccessDeniedException' }]), ACCOUNT, false), { kind: 'status-unknown' });
  const errors = { s3: { resource: 'bucket', error: 'AccessDenied' } };
  assert.equal(planRemediation(judged([trail(MAIN, true, errors), trail(GLOBAL, false)]), ACCOUNT, false), { kind: 'delivery-errors' });
});

test.run();
