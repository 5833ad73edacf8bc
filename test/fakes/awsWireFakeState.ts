/**
 * The state a test gives the AWS wire fake (accounts, their enabled regions,
 * roles and trails, typed like the SDK's CloudTrail shapes), and what the fake
 * records for assertions. See awsWireFake.ts for the server.
 */
import type { AdvancedEventSelector, EventSelector, GetTrailStatusResponse, Trail } from '@aws-sdk/client-cloudtrail';

export type FakeService = 'cloudtrail' | 'sts' | 'sns' | 'ec2' | 'securityhub' | 'organizations';

/** A trail as its owning account created it. */
export interface FakeTrail {
  /**
   * The trail as DescribeTrails answers it. Left out, `TrailARN` is
   * `arn:aws:cloudtrail:<HomeRegion>:<owner>:trail/<Name>`.
   * `HasCustomEventSelectors` is always whether selectors are given below, as
   * AWS sets it (a value given here that disagrees fails the test loudly).
   */
  trail: Trail & { Name: string; HomeRegion: string };
  /** GetTrailStatus's answer (default `{ IsLogging: true }`). Dates go on the wire as epoch seconds. */
  status?: GetTrailStatusResponse;
  /** Answers for particular regions, overriding `status` there (status is read per region). */
  statusByRegion?: Record<string, GetTrailStatusResponse>;
  /**
   * Basic event selectors set with PutEventSelectors; GetEventSelectors
   * answers them with AWS's defaults filled in (default: no custom selectors,
   * AWS's one selector recording all management events). Selectors AWS would
   * refuse for a trail fail the test loudly.
   */
  eventSelectors?: EventSelector[];
  /** Or advanced event selectors (never both). */
  advancedEventSelectors?: AdvancedEventSelector[];
}

export interface FakeAccount {
  /** Regions enabled in the account; a call to another region is rejected as AWS rejects it. */
  regions: string[];
  /** Role names AssumeRole may assume in this account. */
  roles?: string[];
  /**
   * What a role may do, as its IAM policy says: CloudTrail actions by role
   * name, e.g. `{ 'hammer-cloudsec-crossact-id': ['cloudtrail:DescribeTrails', ...] }`.
   * A CloudTrail call of a session of a role listed here with an action not
   * in its list answers AccessDeniedException. Roles not listed (and the
   * caller's own keys) may do anything.
   */
  roleActions?: Record<string, string[]>;
  /** Every AssumeRole into this account answers AccessDenied (403). */
  denyAssumeRole?: boolean;
  trails?: FakeTrail[];
  /** The organization's management account: its organization trails appear here as shadow trails. */
  organizationManagementAccount?: string;
  /** Regions where Security Hub is enabled in this account (default none: BatchImportFindings answers "not subscribed"). */
  securityHubRegions?: string[];
}

export interface FakeAwsState {
  /** The account of every access key the fake did not hand out (the Lambda's own credentials). Must be in `accounts`. */
  callerAccountId: string;
  /** GetCallerIdentity's `Arn` for those keys (default `arn:aws:iam::<callerAccountId>:user/hammer-test`). */
  callerArn?: string;
  accounts: Record<string, FakeAccount>;
  /** What DescribeRegions with AllRegions=true lists (default: AWS's commercial regions). */
  allRegions?: string[];
  /** When set, only these SNS topics exist (else any well-formed topic ARN of the caller's account and region does). */
  topics?: string[];
  /** The organisation AWS Organizations answers about; absent: every account is outside any organisation. */
  organization?: FakeOrganization;
}

/** An account as AWS Organizations lists it. */
export interface FakeOrganizationAccount {
  id: string;
  name: string;
  email?: string;
  /** Default ACTIVE. */
  state?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED' | 'PENDING_ACTIVATION';
  /** The root or OU holding it (default the root). */
  parentId?: string;
}

export interface FakeOrganization {
  /** e.g. `o-a1b2c3d4e5`. */
  id: string;
  /** Its management account: with delegated administrators, the only callers allowed to list. */
  managementAccountId: string;
  delegatedAdministrators?: string[];
  /** e.g. `r-ab12`. */
  rootId: string;
  /** OU id (`ou-ab12-abcdefgh`) -> its parent (the root or an OU) and name. */
  organizationalUnits?: Record<string, { parentId: string; name: string }>;
  /** Every account, the management account included, in the order ListAccounts gives them. */
  accounts: FakeOrganizationAccount[];
}

/** One error answer to inject; all the fields given must match the request. */
export interface ErrorInjection {
  service: FakeService;
  operation: string;
  /** The error code, e.g. `AccessDeniedException`, `ThrottlingException`, `AccessDenied`, `InternalError`. */
  code: string;
  message?: string;
  /** HTTP status (default: what the service uses for that code). */
  httpStatus?: number;
  /** The account the call acts in (the account of its access key). */
  accountId?: string;
  /** The region the call is signed for. */
  region?: string;
  /** CloudTrail: the trail the request names (a name or an ARN; a name also matches that trail's ARN). */
  trail?: string;
  /** SNS: the topic the request publishes to. */
  topicArn?: string;
  /** Answer the error this many times, then let the calls through (default: every time). */
  times?: number;
}

/** One request as the fake received it. */
export interface RecordedCall {
  seq: number;
  /** When the request arrived, in ms since the epoch, by the fake's clock (the real one unless the test gave one). */
  at: number;
  service: FakeService | 'unknown';
  operation: string;
  /** The account the call acts in, from its access key (undefined for an unknown or expired key). */
  accountId: string | undefined;
  /** The signing region from the Authorization header. */
  region: string;
  accessKeyId: string;
  /** CloudTrail and Security Hub: the JSON body; query protocols: the form fields. */
  params: Readonly<Record<string, unknown>>;
  httpStatus: number;
  /** The error code answered, when the call failed. */
  errorCode?: string;
}

export interface PublishedMessage {
  topicArn: string;
  messageId: string;
  message: string;
  subject?: string;
  messageAttributes: Record<string, { DataType: string; StringValue?: string }>;
  via: 'Publish' | 'PublishBatch';
  /** The PublishBatch entry id. */
  batchEntryId?: string;
  /** Account and region of the publishing call. */
  accountId: string;
  region: string;
  publishedAt: Date;
}

/** Credentials handed out by AssumeRole. */
export interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleArn: string;
  roleSessionName: string;
  issuedAt: Date;
  expiration: Date;
}

/** An error answer; the fake writes it in the service's wire format. */
export class FakeAwsError extends Error {
  override readonly name = 'FakeAwsError';
  constructor(readonly code: string, message: string, readonly httpStatus?: number) {
    super(message);
  }
}

export function trailArnOf(owner: string, fake: FakeTrail): string {
  return fake.trail.TrailARN ?? `arn:aws:cloudtrail:${fake.trail.HomeRegion}:${owner}:trail/${fake.trail.Name}`;
}

/** A trail as one account sees it in one region. */
export interface VisibleTrail {
  fake: FakeTrail;
  owner: string;
  arn: string;
  /** Seen outside its home region, or from a member account of its organization. */
  shadow: boolean;
}

/**
 * The trails DescribeTrails shows an account in a region: its own trails whose
 * home is that region, its multi-region trails as shadows, and its
 * organization's trails as shadows (in every region when multi-region).
 */
export function visibleTrails(state: FakeAwsState, accountId: string, region: string): VisibleTrail[] {
  const account = state.accounts[accountId];
  if (!account) return [];
  const seen: VisibleTrail[] = [];
  for (const fake of account.trails ?? []) {
    const home = fake.trail.HomeRegion === region;
    if (home || fake.trail.IsMultiRegionTrail === true) seen.push({ fake, owner: accountId, arn: trailArnOf(accountId, fake), shadow: !home });
  }
  const management = account.organizationManagementAccount;
  if (management !== undefined && management !== accountId) {
    for (const fake of state.accounts[management]?.trails ?? []) {
      if (fake.trail.IsOrganizationTrail !== true) continue;
      if (fake.trail.HomeRegion === region || fake.trail.IsMultiRegionTrail === true) {
        seen.push({ fake, owner: management, arn: trailArnOf(management, fake), shadow: true });
      }
    }
  }
  return seen;
}

/**
 * The trail a GetTrailStatus / GetEventSelectors / GetTrail request names: an
 * ARN finds any trail visible in the region (shadows included); a bare name
 * finds only a trail of the caller whose home is this region, as CloudTrail's
 * "a shadow trail needs its ARN" rule says.
 */
export function findTrail(state: FakeAwsState, accountId: string, region: string, nameOrArn: string): VisibleTrail | undefined {
  const visible = visibleTrails(state, accountId, region);
  if (nameOrArn.startsWith('arn:')) return visible.find((seen) => seen.arn === nameOrArn);
  return visible.find((seen) => !seen.shadow && seen.owner === accountId && seen.fake.trail.Name === nameOrArn);
}

/** AWS's commercial regions; `optIn` ones must be enabled by the account owner. */
export const AWS_REGIONS: ReadonlyArray<{ name: string; optIn: boolean }> = [
  { name: 'us-east-1', optIn: false }, { name: 'us-east-2', optIn: false }, { name: 'us-west-1', optIn: false },
  { name: 'us-west-2', optIn: false }, { name: 'ca-central-1', optIn: false }, { name: 'ca-west-1', optIn: true },
  { name: 'mx-central-1', optIn: true }, { name: 'sa-east-1', optIn: false }, { name: 'eu-west-1', optIn: false },
  { name: 'eu-west-2', optIn: false }, { name: 'eu-west-3', optIn: false }, { name: 'eu-central-1', optIn: false },
  { name: 'eu-central-2', optIn: true }, { name: 'eu-north-1', optIn: false }, { name: 'eu-south-1', optIn: true },
  { name: 'eu-south-2', optIn: true }, { name: 'il-central-1', optIn: true }, { name: 'me-south-1', optIn: true },
  { name: 'me-central-1', optIn: true }, { name: 'af-south-1', optIn: true }, { name: 'ap-east-1', optIn: true },
  { name: 'ap-south-1', optIn: false }, { name: 'ap-south-2', optIn: true }, { name: 'ap-northeast-1', optIn: false },
  { name: 'ap-northeast-2', optIn: false }, { name: 'ap-northeast-3', optIn: false }, { name: 'ap-southeast-1', optIn: false },
  { name: 'ap-southeast-2', optIn: false }, { name: 'ap-southeast-3', optIn: true }, { name: 'ap-southeast-4', optIn: true },
  { name: 'ap-southeast-5', optIn: true }, { name: 'ap-southeast-7', optIn: true },
];
