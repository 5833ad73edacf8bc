/**
 * The benchmark's world, generated the same way every time from its
 * parameters, for a given list of accounts (the first is the master account
 * the Lambdas run in): each account has one multi-region trail and one or two
 * regional trails, some of which have delivery errors, custom selectors, or
 * are stopped; a few accounts have their multi-region trail stopped, which
 * leaves most of their regions disabled; one account has five multi-region
 * trails with custom selectors, all homed in one region (eleven CloudTrail
 * calls there at once, over the 10 per second CloudTrail allows).
 * `expected` says, per account and region, what Hammer's chain would do there
 * (for its time model) and whether an issue is expected.
 *
 * The account list is made apart from the world (`benchAccounts`), so that
 * it can come from elsewhere (an AWS Organizations listing, say) and the same
 * world be built around it.
 */
import { AWS_REGIONS, type FakeAwsState, type FakeTrail } from '../fakes/awsWireFake.ts';

export const ROLE = 'hammer-cloudsec-crossact-id';
export const ISSUES_TABLE = 'hammer-cloudtrails';
export const API_TABLE = 'hammer-api-requests';
export const MAIN_REGION = 'eu-west-1';

/** The regions enabled by default in every AWS account (no opt-in), in DescribeRegions' order. */
export const DEFAULT_REGIONS = [
  'ap-south-1', 'eu-north-1', 'eu-west-3', 'eu-west-2', 'eu-west-1', 'ap-northeast-3', 'ap-northeast-2', 'ap-northeast-1',
  'ca-central-1', 'sa-east-1', 'ap-southeast-1', 'ap-southeast-2', 'eu-central-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];

/**
 * Every region the world has: those enabled by default, then the opt-in
 * ones (enabled in every account of the world), then made-up names, so that
 * any number of regions can be benchmarked.
 */
export function worldRegions(count: number): string[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`regions must be a whole number >= 1, got ${count}`);
  const known = [...DEFAULT_REGIONS, ...AWS_REGIONS.filter((region) => region.optIn).map((region) => region.name)];
  const regions = known.slice(0, count);
  for (let index = regions.length + 1; regions.length < count; index += 1) regions.push(`xx-bench-${index}`);
  return regions;
}

/** The account with five multi-region trails (see generateWorld). */
export const BUSY_ACCOUNT_INDEX = 1;

const WRITE_ONLY_SELECTOR = { ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] };

export interface WorldParameters {
  /** The accounts, id -> name, in order; the first is the master account (the Lambdas' own). */
  accounts: Readonly<Record<string, string>>;
  /** How many regions are checked (the first of `worldRegions`). */
  regions: number;
  seed: number;
}

export interface RegionExpectation {
  /** Trails DescribeTrails lists there (shadows included): Hammer asks each one's status there. */
  visibleTrails: number;
  /** Of those, trails with custom event selectors (Hammer asks GetEventSelectors for each). */
  customSelectors: number;
  /** An issue (disabled or delivery errors) is expected. */
  issue: boolean;
}

export interface BenchWorld {
  parameters: WorldParameters;
  masterAccountId: string;
  accounts: Record<string, string>;
  regions: string[];
  topicArn: string;
  state: FakeAwsState;
  /** Per account, per region. */
  expected: Record<string, Record<string, RegionExpectation>>;
}

/** A small, seedable random generator (mulberry32), so every run sees the same world. */
function seededRandom(seed: number): () => number {
  let value = seed >>> 0;
  return () => {
    value = (value + 0x6d2b79f5) >>> 0;
    let t = value;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function accountIdOf(index: number): string {
  return String(100000000000 + index * 1001);
}

/** `count` made-up accounts, id -> name: the master account first, then member-001... */
export function benchAccounts(count: number): Record<string, string> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`accounts must be a whole number >= 1, got ${count}`);
  const accounts: Record<string, string> = {};
  for (let index = 0; index < count; index += 1) accounts[accountIdOf(index)] = index === 0 ? 'master' : `member-${String(index).padStart(3, '0')}`;
  return accounts;
}

export function generateWorld(parameters: WorldParameters): BenchWorld {
  const accountIds = Object.keys(parameters.accounts);
  const masterAccountId = accountIds[0];
  if (masterAccountId === undefined) throw new RangeError('the world needs at least one account');
  const random = seededRandom(parameters.seed);
  const regions = worldRegions(parameters.regions);
  // Every account has every region of the world enabled, the Lambdas' own
  // region included even when it is not checked (the initiation publishes there).
  const enabledRegions = [...new Set([...regions, MAIN_REGION])];
  const topicArn = `arn:aws:sns:${MAIN_REGION}:${masterAccountId}:hammer-describe-cloudtrails-lambda`;
  const accounts: Record<string, string> = {};
  const state: FakeAwsState = {
    callerAccountId: masterAccountId,
    callerArn: `arn:aws:sts::${masterAccountId}:assumed-role/hammer-describe-cloudtrails/hammer-describe-cloudtrails`,
    topics: [topicArn],
    accounts: {},
  };
  const expected: BenchWorld['expected'] = {};
  const homeOfMultiRegion = regions.includes('us-east-1') ? 'us-east-1' : (regions[0] as string);

  for (const [index, accountId] of accountIds.entries()) {
    accounts[accountId] = parameters.accounts[accountId] as string;
    const multiRegionLogging = index === 0 || random() >= 0.1;
    const trails: FakeTrail[] = [{
      trail: { Name: 'organization-wide', HomeRegion: homeOfMultiRegion, IsMultiRegionTrail: true, S3BucketName: `cloudtrail-${accountId}`, CloudWatchLogsLogGroupArn: `arn:aws:logs:${homeOfMultiRegion}:${accountId}:log-group:cloudtrail:*`, IncludeGlobalServiceEvents: true },
      status: multiRegionLogging
        ? { IsLogging: true, LatestDeliveryTime: new Date('2026-11-26T15:50:00Z'), LatestCloudWatchLogsDeliveryTime: new Date('2026-11-26T15:55:00Z'), StartLoggingTime: new Date('2025-01-01T00:00:00Z') }
        : { IsLogging: false, StopLoggingTime: new Date('2026-11-20T10:00:00Z') },
    }];
    const regional = new Map<string, { logging: boolean; deliveryError: boolean; customSelectors: boolean }>();
    const busy = index === BUSY_ACCOUNT_INDEX;
    if (busy) {
      // The busiest account AWS allows: five trails in every region (the
      // limit), all multi-region with custom selectors and homed in one
      // region, whose statuses and selectors are all read there: eleven calls
      // for that account and region at once, over CloudTrail's 10 per second.
      const first = trails[0] as FakeTrail;
      first.eventSelectors = [WRITE_ONLY_SELECTOR];
      for (let extra = 1; extra < 5; extra += 1) {
        trails.push({
          trail: { Name: `multi-region-${extra}`, HomeRegion: homeOfMultiRegion, IsMultiRegionTrail: true, S3BucketName: `cloudtrail-${accountId}-${extra}`, IncludeGlobalServiceEvents: false },
          status: { IsLogging: true, LatestDeliveryTime: new Date('2026-11-26T15:50:00Z'), StartLoggingTime: new Date('2025-06-01T00:00:00Z') },
          eventSelectors: [WRITE_ONLY_SELECTOR],
        });
      }
    }
    const regionalCount = busy ? 0 : 1 + Math.floor(random() * 2);
    for (let trailIndex = 0; trailIndex < regionalCount; trailIndex += 1) {
      const home = regions[Math.floor(random() * regions.length)] as string;
      if (regional.has(home)) continue;
      const roll = random();
      const shape = { logging: roll >= 0.1, deliveryError: roll >= 0.1 && roll < 0.3, customSelectors: random() < 0.5 };
      regional.set(home, shape);
      trails.push({
        trail: { Name: `regional-${home}`, HomeRegion: home, IsMultiRegionTrail: false, S3BucketName: `cloudtrail-${accountId}-${home}` },
        status: shape.logging
          ? { IsLogging: true, ...(shape.deliveryError ? { LatestDeliveryError: 'AccessDenied' } : {}), LatestDeliveryTime: new Date('2026-11-26T15:50:00Z'), StartLoggingTime: new Date('2025-06-01T00:00:00Z') }
          : { IsLogging: false },
        ...(shape.customSelectors ? { eventSelectors: [WRITE_ONLY_SELECTOR] } : {}),
      });
    }
    state.accounts[accountId] = { regions: [...enabledRegions], ...(index === 0 ? {} : { roles: [ROLE] }), trails };

    expected[accountId] = {};
    for (const region of regions) {
      const local = regional.get(region);
      const anyLogging = multiRegionLogging || local?.logging === true;
      const deliveryErrors = local?.logging === true && local.deliveryError;
      (expected[accountId] as Record<string, RegionExpectation>)[region] = {
        visibleTrails: (busy ? 5 : 1) + (local === undefined ? 0 : 1),
        customSelectors: (busy ? 5 : 0) + (local?.customSelectors === true ? 1 : 0),
        issue: !anyLogging || deliveryErrors,
      };
    }
  }
  return { parameters, masterAccountId, accounts, regions, topicArn, state, expected };
}

/** config.json of the benchmark (the sample's keys, the world's accounts and regions). */
export function benchConfigJson(world: BenchWorld): Record<string, unknown> {
  return {
    jira: { enabled: false, server: 'https://issues.example.com', issue_type: 'Task', text_field_character_limit: 32767 },
    slack: { enabled: false, notify_default_owner: true, channels: {}, ignore: [], default_channel: '#hammer-dev' },
    aws: { region: MAIN_REGION, regions: world.regions, role_name_identification: ROLE, accounts: world.accounts },
    api: { 'ddb.table_name': API_TABLE },
    credentials: { 'ddb.table_name': 'hammer-credentials' },
    whitelisting_procedure_url: '',
    cloudtrails: { enabled: true, 'ddb.table_name': ISSUES_TABLE, topic_name: 'hammer-describe-cloudtrails-lambda', reporting: false },
  };
}
