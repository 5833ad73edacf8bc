import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { discoverRegions } from '../../../library/aws/regionDiscovery.ts';
import { TEST_CREDENTIALS } from '../../fakes/dynalite.ts';

const test = suite('regionDiscovery');
const stubEc2 = () => mockClient(EC2Client);
let ec2: ReturnType<typeof stubEc2>;

test.before(() => {
  ec2 = stubEc2();
});

test.after(() => {
  ec2.restore();
});

test('lists the regions enabled for the account, sorted, without those not opted in', async () => {
  ec2.on(DescribeRegionsCommand).resolves({
    Regions: [
      { RegionName: 'us-east-1', Endpoint: 'ec2.us-east-1.amazonaws.com', OptInStatus: 'opt-in-not-required' },
      { RegionName: 'me-south-1', Endpoint: 'ec2.me-south-1.amazonaws.com', OptInStatus: 'opted-in' },
      { RegionName: 'af-south-1', Endpoint: 'ec2.af-south-1.amazonaws.com', OptInStatus: 'not-opted-in' },
      { RegionName: 'eu-west-1', Endpoint: 'ec2.eu-west-1.amazonaws.com', OptInStatus: 'opt-in-not-required' },
    ],
    $metadata: {},
  });
  const regions = await discoverRegions(new EC2Client({ region: 'eu-west-1', credentials: TEST_CREDENTIALS }));
  assert.equal(regions, ['eu-west-1', 'me-south-1', 'us-east-1']);
  assert.equal(ec2.commandCalls(DescribeRegionsCommand)[0]?.args[0].input, { AllRegions: false });
});

test.run();
