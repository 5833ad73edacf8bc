/**
 * A small AWS of accounts, regions and trails, served through
 * aws-sdk-client-mock (CloudTrail, STS, SNS, EC2): each call is answered from
 * the world as the real service would answer the calling account (read from
 * the client's credentials) in the calling region (the client's region), and
 * recorded. Install in `before`, `restore()` in `after`.
 */
import {
  CloudTrailClient,
  CloudTrailServiceException,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type GetTrailStatusResponse,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand, EC2Client, EC2ServiceException, type Region } from '@aws-sdk/client-ec2';
import { PublishBatchCommand, SNSClient, type BatchResultErrorEntry, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { eventSelectorsAnswer, type TrailEventSelectors } from './cloudTrailEventSelectors.ts';

export interface FakeRegion {
  /** What DescribeTrails(includeShadowTrails) lists in this region (shadows included). */
  trails?: Trail[];
  /** An opt-in region the account has not enabled: every call answers UnrecognizedClientException. */
  notEnabled?: boolean;
  /** DescribeTrails fails with this code. */
  describeTrailsError?: string;
}

export interface FakeTrailState {
  status?: GetTrailStatusResponse;
  /** GetTrailStatus fails with this code for every caller. */
  statusError?: string;
  /** GetTrailStatus fails with AccessDeniedException for these calling accounts (organization trail members). */
  statusDeniedTo?: string[];
  /** GetTrailStatus answers ThrottlingException this many times first. */
  throttleStatus?: number;
  /**
   * What the trail's owner set with PutEventSelectors: basic `EventSelectors`
   * or `AdvancedEventSelectors`. GetEventSelectors answers them as AWS does
   * (basic selectors with every field filled in with AWS's defaults, only the
   * kind the trail uses); without, AWS's default selector (all management
   * events). A trail listed with `HasCustomEventSelectors: true` must have them,
   * and one without must not, as AWS sets the flag.
   */
  selectors?: TrailEventSelectors;
  /** GetEventSelectors fails with AccessDeniedException for these calling accounts (organization trail members). */
  selectorsDeniedTo?: string[];
}

export interface FakeAccount {
  assumeRoleError?: string;
  regions: Record<string, FakeRegion>;
}

export interface FakeWorld {
  accounts: Record<string, FakeAccount>;
  /** Trail states by trail ARN; GetTrailStatus and GetEventSelectors answer only in the ARN's region (the home region). */
  trails: Record<string, FakeTrailState>;
  /** The regions EC2 DescribeRegions answers. */
  regions?: Region[];
  /** PublishBatch entries that fail, by the account id in their message. */
  publishFailures?: Record<string, BatchResultErrorEntry['Code']>;
}

export interface RecordedCall {
  service: 'cloudtrail' | 'sts' | 'sns' | 'ec2';
  operation: string;
  account: string;
  region: string;
  input: Record<string, unknown>;
}

export interface PublishedBatch {
  region: string;
  topicArn: string;
  entries: PublishBatchRequestEntry[];
}

/** The access key id the fake STS hands out for an account; the account is read back from it. */
export function fakeAccessKeyId(accountId: string): string {
  return `ASIAFAKE${accountId}`;
}

export function cloudTrailError(code: string, message = `${code} (fake)`, status = 400): CloudTrailServiceException {
  return new CloudTrailServiceException({ name: code, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message });
}

export class FakeAws {
  readonly cloudTrail = mockClient(CloudTrailClient);
  readonly sts = mockClient(STSClient);
  readonly sns = mockClient(SNSClient);
  readonly ec2 = mockClient(EC2Client);
  readonly calls: RecordedCall[] = [];
  readonly batches: PublishedBatch[] = [];
  world: FakeWorld = { accounts: {}, trails: {} };
  private remainingThrottles = new Map<string, number>();

  constructor(private readonly now: () => Date) {
    this.answer();
  }

  /** Replaces the world and forgets recorded calls. */
  reset(world: FakeWorld): void {
    this.world = world;
    this.calls.length = 0;
    this.batches.length = 0;
    this.remainingThrottles = new Map(Object.entries(world.trails).map(([arn, state]) => [arn, state.throttleStatus ?? 0]));
  }

  restore(): void {
    this.cloudTrail.restore();
    this.sts.restore();
    this.sns.restore();
    this.ec2.restore();
  }

  /** Recorded calls of one operation. */
  callsOf(operation: string): RecordedCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  /** The messages published with PublishBatch, parsed, in order. */
  publishedMessages(): unknown[] {
    return this.batches.flatMap((batch) => batch.entries.map((entry) => JSON.parse(entry.Message ?? 'null') as unknown));
  }

  private answer(): void {
    this.cloudTrail.on(DescribeTrailsCommand).callsFake(async (input: Record<string, unknown>, getClient) => {
      const { account, region } = await this.record('cloudtrail', 'DescribeTrails', input, getClient);
      const place = this.region(account, region);
      if (place?.describeTrailsError !== undefined) throw cloudTrailError(place.describeTrailsError);
      if (input.includeShadowTrails !== true) throw new Error('the fake expects includeShadowTrails: true');
      const trailList = place?.trails ?? [];
      for (const listed of trailList) this.checkCustomSelectorsFlag(listed);
      return { trailList, $metadata: { httpStatusCode: 200 } };
    });
    this.cloudTrail.on(GetTrailStatusCommand).callsFake(async (input: { Name?: string }, getClient) => {
      const { account, region } = await this.record('cloudtrail', 'GetTrailStatus', input, getClient);
      const state = this.trailIn(input.Name, region);
      const throttles = this.remainingThrottles.get(input.Name ?? '') ?? 0;
      if (throttles > 0) {
        this.remainingThrottles.set(input.Name ?? '', throttles - 1);
        throw cloudTrailError('ThrottlingException', 'Rate exceeded');
      }
      if (state.statusDeniedTo?.includes(account)) throw cloudTrailError('AccessDeniedException', `User: arn:aws:sts::${account}:assumed-role/hammer-cloudsec-crossact-id is not authorized to perform: cloudtrail:GetTrailStatus`);
      if (state.statusError !== undefined) throw cloudTrailError(state.statusError);
      return { ...(state.status ?? {}), $metadata: { httpStatusCode: 200 } };
    });
    this.cloudTrail.on(GetEventSelectorsCommand).callsFake(async (input: { TrailName?: string }, getClient) => {
      const { account, region } = await this.record('cloudtrail', 'GetEventSelectors', input, getClient);
      const state = this.trailIn(input.TrailName, region);
      if (state.selectorsDeniedTo?.includes(account)) throw cloudTrailError('AccessDeniedException', `User: arn:aws:sts::${account}:assumed-role/hammer-cloudsec-crossact-id is not authorized to perform: cloudtrail:GetEventSelectors`);
      return { TrailARN: input.TrailName, ...eventSelectorsAnswer(input.TrailName ?? '', state.selectors), $metadata: { httpStatusCode: 200 } };
    });
    this.sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn?: string; DurationSeconds?: number }, getClient) => {
      await this.record('sts', 'AssumeRole', input, getClient);
      const target = /^arn:aws:iam::(\d{12}):role\/.+$/.exec(input.RoleArn ?? '')?.[1];
      const account = target === undefined ? undefined : this.world.accounts[target];
      if (target === undefined || account === undefined) {
        throw new STSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: `not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}` });
      }
      if (account.assumeRoleError !== undefined) {
        throw new STSServiceException({ name: account.assumeRoleError, $fault: 'client', $metadata: { httpStatusCode: 403 }, message: `not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}` });
      }
      return {
        Credentials: {
          AccessKeyId: fakeAccessKeyId(target),
          SecretAccessKey: `fake-secret-${target}`,
          SessionToken: `fake-session-token-${target}`,
          Expiration: new Date(this.now().getTime() + (input.DurationSeconds ?? 3600) * 1000),
        },
        AssumedRoleUser: { AssumedRoleId: 'AROAFAKE:hammer', Arn: `${input.RoleArn}/hammer` },
        $metadata: { httpStatusCode: 200 },
      };
    });
    this.sns.on(PublishBatchCommand).callsFake(async (input: { TopicArn?: string; PublishBatchRequestEntries?: PublishBatchRequestEntry[] }, getClient) => {
      const { region } = await this.record('sns', 'PublishBatch', input, getClient);
      const entries = input.PublishBatchRequestEntries ?? [];
      if (entries.length > 10) throw new Error('PublishBatch takes at most 10 entries');
      const failures = this.world.publishFailures ?? {};
      const failed: BatchResultErrorEntry[] = [];
      const successful = [];
      const delivered: PublishBatchRequestEntry[] = [];
      for (const entry of entries) {
        const accountId = (JSON.parse(entry.Message ?? '{}') as { account_id?: string }).account_id ?? '';
        const code = failures[accountId];
        if (code !== undefined) failed.push({ Id: entry.Id, Code: code, SenderFault: false, Message: 'fake failure' });
        else {
          successful.push({ Id: entry.Id, MessageId: `msg-${this.batches.length}-${entry.Id ?? ''}` });
          delivered.push(entry);
        }
      }
      this.batches.push({ region, topicArn: input.TopicArn ?? '', entries: delivered });
      return { Successful: successful, Failed: failed, $metadata: { httpStatusCode: 200 } };
    });
    this.ec2.on(DescribeRegionsCommand).callsFake(async (input: Record<string, unknown>, getClient) => {
      await this.record('ec2', 'DescribeRegions', input, getClient);
      if (this.world.regions === undefined) throw new EC2ServiceException({ name: 'UnauthorizedOperation', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'You are not authorized to perform this operation.' });
      return { Regions: this.world.regions, $metadata: { httpStatusCode: 200 } };
    });
  }

  /** AWS sets HasCustomEventSelectors exactly when PutEventSelectors was called: a world that says otherwise is a broken test. */
  private checkCustomSelectorsFlag(listed: Trail): void {
    const state = listed.TrailARN === undefined ? undefined : this.world.trails[listed.TrailARN];
    const hasCustom = state?.selectors !== undefined;
    if (state !== undefined && (listed.HasCustomEventSelectors === true) !== hasCustom) {
      throw new Error(`FakeAws world: ${listed.TrailARN ?? ''} is listed with HasCustomEventSelectors ${String(listed.HasCustomEventSelectors)} but ${hasCustom ? 'has' : 'has no'} selectors`);
    }
  }

  private region(account: string, region: string): FakeRegion | undefined {
    const place = this.world.accounts[account]?.regions[region];
    if (place?.notEnabled === true) throw cloudTrailError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    return place;
  }

  private trailIn(arn: string | undefined, region: string): FakeTrailState {
    const state = arn === undefined ? undefined : this.world.trails[arn];
    // CloudTrail finds a trail by ARN; the fake answers only in its home region,
    // which proves the code asks there.
    if (arn === undefined || state === undefined || arn.split(':')[3] !== region) {
      throw cloudTrailError('TrailNotFoundException', `Unknown trail: ${arn ?? '(none)'} for the user: in ${region}`);
    }
    return state;
  }

  private async record(service: RecordedCall['service'], operation: string, input: object, getClient: () => unknown): Promise<{ account: string; region: string }> {
    const config = (getClient() as { config: { region: () => Promise<string>; credentials: () => Promise<{ accessKeyId: string }> } }).config;
    const region = await config.region();
    let account = '';
    try {
      const credentials = await config.credentials();
      account = /(\d{12})$/.exec(credentials.accessKeyId)?.[1] ?? '';
    } catch {
      account = '';
    }
    this.calls.push({ service, operation, account, region, input: input as Record<string, unknown> });
    return { account, region };
  }
}

