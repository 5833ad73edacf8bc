import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildFinding, findingStatus } from '../../../library/scan/cloudTrailFinding.ts';
import { testConfig } from '../../helpers/identificationRig.ts';

const test = suite('cloudTrailFinding');
const config = testConfig({
  whitelist: { cloudtrails: { '210987654321': ['eu-west-1', 'us-east-1'] } },
  tempWhitelist: { cloudtrails: { '210987654321': ['us-east-1'] } },
});

test('the temporary whitelist wins over the whitelist, which wins over open', () => {
  assert.is(findingStatus(config, '210987654321', 'us-east-1'), 'tempwhitelist');
  assert.is(findingStatus(config, '210987654321', 'eu-west-1'), 'whitelisted');
  assert.is(findingStatus(config, '210987654321', 'eu-central-1'), 'open');
  assert.is(findingStatus(config, '654321210987', 'eu-west-1'), 'open');
});

test('builds Hammer\'s issue shape, with unknown_trails only when there are any', () => {
  const trail = { id: 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/a', enabled: false, multi_region: false, selectors: 'All', errors: {} };
  const base = { accountId: '210987654321', region: 'eu-west-1', status: 'open' as const, disabled: true, deliveryErrors: {}, trails: [trail] };
  assert.equal(buildFinding({ ...base, unknownTrails: [] }), {
    account_id: '210987654321', issue_id: 'eu-west-1', status: 'open', issue_details: { disabled: true, delivery_errors: {}, trails: [trail] },
  });
  const org = { id: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org', error: 'AccessDeniedException' };
  assert.equal(buildFinding({ ...base, unknownTrails: [org] }).issue_details, { disabled: true, delivery_errors: {}, trails: [trail], unknown_trails: [org] });
});

test('a logging trail that does not cover a disabled region carries why in coverage_note; the others stay Hammer\'s shape', () => {
  const logging = { id: 'arn:aws:cloudtrail:us-east-1:210987654321:trail/data', enabled: true, multi_region: true, selectors: 'All', errors: {} };
  const stopped = { id: 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/old', enabled: false, multi_region: false, selectors: 'All', errors: {} };
  const finding = buildFinding({
    accountId: '210987654321', region: 'eu-west-1', status: 'open', disabled: true, deliveryErrors: {}, trails: [logging, stopped], unknownTrails: [],
    notCovering: { [logging.id]: 'logging, but records no write management events' },
  });
  assert.equal(finding.issue_details.trails, [{ ...logging, coverage_note: 'logging, but records no write management events' }, stopped]);
  assert.equal(Object.keys(finding.issue_details.trails[1] ?? {}), ['id', 'enabled', 'multi_region', 'selectors', 'errors']);
});

test.run();
