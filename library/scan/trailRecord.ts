import type { GetTrailStatusResponse, Trail } from '@aws-sdk/client-cloudtrail';
import type { TrailErrors, TrailRecord } from '../issues/cloudTrailIssue.ts';

export interface TrailRecordOptions {
  /** cloudtrails.stale_delivery_hours: opt-in age past which a logging trail's last delivery is an error. */
  staleDeliveryHours?: number | undefined;
  /** Now, for the staleness check. */
  now: Date;
}

/**
 * One trail as `issue_details.trails` holds it (Hammer's shape): ARN,
 * IsLogging, IsMultiRegionTrail, the selectors summary, and its endpoints'
 * delivery errors.
 */
export function buildTrailRecord(trail: Trail, status: GetTrailStatusResponse, selectors: string, options: TrailRecordOptions): TrailRecord {
  return {
    id: trail.TrailARN ?? '',
    enabled: status.IsLogging === true,
    multi_region: trail.IsMultiRegionTrail === true,
    selectors,
    errors: trailEndpointErrors(trail, status, options),
  };
}

/**
 * The endpoints with a delivery error, each only when its error is set:
 * `s3` (LatestDeliveryError, resource the bucket) and `cloudwatch`
 * (LatestCloudWatchLogsDeliveryError, resource the log group ARN) as in
 * Hammer; `sns` (LatestNotificationError, resource the topic ARN) and `digest`
 * (LatestDigestDeliveryError, resource the bucket) beyond it. With
 * `staleDeliveryHours`, a logging trail whose last S3 or CloudWatch Logs
 * delivery is older than that has an error of that endpoint (see staleDeliveryError).
 */
export function trailEndpointErrors(trail: Trail, status: GetTrailStatusResponse, options: TrailRecordOptions): TrailErrors {
  const errors: TrailErrors = {};
  const bucket = trail.S3BucketName ?? null;
  const logGroup = trail.CloudWatchLogsLogGroupArn ?? null;
  const s3Error = status.LatestDeliveryError || staleDeliveryError(status, status.LatestDeliveryTime, options);
  if (s3Error) errors.s3 = { resource: bucket, error: s3Error };
  const cloudWatchError = status.LatestCloudWatchLogsDeliveryError || (logGroup === null ? undefined : staleDeliveryError(status, status.LatestCloudWatchLogsDeliveryTime, options));
  if (cloudWatchError) errors.cloudwatch = { resource: logGroup, error: cloudWatchError };
  if (status.LatestNotificationError) errors.sns = { resource: trail.SnsTopicARN ?? null, error: status.LatestNotificationError };
  if (status.LatestDigestDeliveryError) errors.digest = { resource: bucket, error: status.LatestDigestDeliveryError };
  return errors;
}

/**
 * The error text of a stale endpoint, or undefined when it is not stale:
 * `No delivery for more than <N> hours; last delivery at <ISO time>`, or
 * `...; no delivery since logging started at <ISO time>` when the trail never
 * delivered. The text holds only times that stay the same while the endpoint
 * stays stale, so a rescan finds the same issue and writes nothing.
 * Only a logging trail can be stale; a trail that (re)started logging less
 * than N hours ago is not.
 */
export function staleDeliveryError(status: GetTrailStatusResponse, lastDelivery: Date | undefined, options: TrailRecordOptions): string | undefined {
  const hours = options.staleDeliveryHours;
  if (hours === undefined || status.IsLogging !== true) return undefined;
  const started = status.StartLoggingTime;
  if (lastDelivery === undefined && started === undefined) return undefined;
  const threshold = options.now.getTime() - hours * 3_600_000;
  const newest = Math.max(lastDelivery?.getTime() ?? Number.NEGATIVE_INFINITY, started?.getTime() ?? Number.NEGATIVE_INFINITY);
  if (newest >= threshold) return undefined;
  const since = lastDelivery === undefined
    ? `no delivery since logging started at ${(started as Date).toISOString()}`
    : `last delivery at ${lastDelivery.toISOString()}`;
  return `No delivery for more than ${hours} hours; ${since}`;
}
