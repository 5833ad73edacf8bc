import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';

/**
 * The regions to check when config.json has no `aws.regions`: those enabled
 * for the main account, from EC2 DescribeRegions (as Hammer does). Opt-in
 * regions the account has not opted into are left out. Sorted, for stable logs.
 */
export async function discoverRegions(ec2: EC2Client): Promise<string[]> {
  const response = await ec2.send(new DescribeRegionsCommand({ AllRegions: false }));
  const regions = (response.Regions ?? [])
    .filter((region) => region.OptInStatus !== 'not-opted-in')
    .map((region) => region.RegionName)
    .filter((name): name is string => typeof name === 'string' && name !== '');
  return [...new Set(regions)].sort();
}
