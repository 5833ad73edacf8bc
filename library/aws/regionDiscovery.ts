import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';

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

let ec2: EC2Client | undefined;

/**
 * `discoverRegions` with the process's EC2 client (created on first use, kept
 * for warm invocations). The initiation handler reaches this module only
 * through a lazy `import()` when `aws.regions` is absent, so the EC2 client is
 * neither loaded nor created on the common path (issue 12: cold start).
 */
export function discoverEnabledRegions(region: string): Promise<string[]> {
  ec2 ??= new EC2Client({ region });
  return discoverRegions(ec2);
}
