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

test.run();
