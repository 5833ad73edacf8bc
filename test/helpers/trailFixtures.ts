/** CloudTrail answers as AWS gives them, for the identification tests. */
import type { AdvancedEventSelector, GetTrailStatusResponse, Trail } from '@aws-sdk/client-cloudtrail';

export function trailArn(region: string, account: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
}

export function bucketOf(account: string, name: string): string {
  return `${name}-cloudtrail-logs-${account}`;
}

export function logGroupOf(region: string, account: string, name: string): string {
  return `arn:aws:logs:${region}:${account}:log-group:aws-cloudtrail-logs-${name}:*`;
}

export interface TrailOptions {
  account: string;
  name: string;
  /** The trail's home region (in its ARN). */
  home: string;
  multiRegion?: boolean;
  cloudWatch?: boolean;
  customSelectors?: boolean;
  organization?: boolean;
  snsTopic?: boolean;
}

/** A trail as DescribeTrails lists it. */
export function trail(options: TrailOptions): Trail {
  const { account, name, home } = options;
  const described: Trail = {
    Name: name,
    S3BucketName: bucketOf(account, name),
    S3KeyPrefix: 'AWSLogs',
    IncludeGlobalServiceEvents: options.multiRegion === true,
    IsMultiRegionTrail: options.multiRegion === true,
    HomeRegion: home,
    TrailARN: trailArn(home, account, name),
    LogFileValidationEnabled: true,
    HasCustomEventSelectors: options.customSelectors === true,
    HasInsightSelectors: false,
    IsOrganizationTrail: options.organization === true,
  };
  if (options.cloudWatch === true) {
    described.CloudWatchLogsLogGroupArn = logGroupOf(home, account, name);
    described.CloudWatchLogsRoleArn = `arn:aws:iam::${account}:role/CloudTrail_CloudWatchLogs_Role`;
  }
  if (options.snsTopic === true) {
    described.SnsTopicName = `${name}-notifications`;
    described.SnsTopicARN = `arn:aws:sns:${home}:${account}:${name}-notifications`;
  }
  return described;
}

/** GetTrailStatus of a trail that logs (and delivered a few minutes ago), with `extra` on top. */
export function logging(extra: Partial<GetTrailStatusResponse> = {}): GetTrailStatusResponse {
  return {
    IsLogging: true,
    LatestDeliveryTime: new Date('2026-11-26T15:50:11.000Z'),
    StartLoggingTime: new Date('2026-01-05T09:00:00.000Z'),
    LatestDigestDeliveryTime: new Date('2026-11-26T15:20:03.000Z'),
    LatestDeliveryAttemptTime: '2026-11-26T15:50:11Z',
    LatestNotificationAttemptTime: '',
    LatestNotificationAttemptSucceeded: '',
    LatestDeliveryAttemptSucceeded: '2026-11-26T15:50:11Z',
    TimeLoggingStarted: '2026-01-05T09:00:00Z',
    TimeLoggingStopped: '',
    ...extra,
  };
}

/** GetTrailStatus of a trail whose logging was stopped, with `extra` on top. */
export function stopped(extra: Partial<GetTrailStatusResponse> = {}): GetTrailStatusResponse {
  return {
    IsLogging: false,
    LatestDeliveryTime: new Date('2026-10-01T11:05:42.000Z'),
    StartLoggingTime: new Date('2026-01-05T09:00:00.000Z'),
    StopLoggingTime: new Date('2026-10-01T11:06:00.000Z'),
    LatestDeliveryAttemptTime: '2026-10-01T11:05:42Z',
    LatestNotificationAttemptTime: '',
    LatestNotificationAttemptSucceeded: '',
    LatestDeliveryAttemptSucceeded: '2026-10-01T11:05:42Z',
    TimeLoggingStarted: '2026-01-05T09:00:00Z',
    TimeLoggingStopped: '2026-10-01T11:06:00Z',
    ...extra,
  };
}

export const MANAGEMENT_READ_WRITE: AdvancedEventSelector = {
  Name: 'Management events selector',
  FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
};

export const S3_DATA_EVENTS: AdvancedEventSelector = {
  Name: 'S3 data events',
  FieldSelectors: [
    { Field: 'eventCategory', Equals: ['Data'] },
    { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
  ],
};
