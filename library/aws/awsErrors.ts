/**
 * What the code needs to know of an AWS SDK v3 error: its code (the SDK sets
 * `name` to the service's error code), and the classes of codes each service
 * really answers with.
 */
export function awsErrorCode(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { Code?: unknown }).Code;
    return typeof code === 'string' && code !== '' ? code : err.name;
  }
  return 'UnknownError';
}

function awsErrorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Log fields naming an AWS failure: operation, error code and message (never credentials). */
export function awsErrorFields(operation: string, err: unknown): Record<string, unknown> {
  const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return {
    operation,
    error_code: awsErrorCode(err),
    error_message: awsErrorMessage(err),
    ...(status === undefined ? {} : { http_status: status }),
  };
}

/** A region that is not enabled in the account (opt-in regions) rejects the credentials. */
const REGION_NOT_ENABLED = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure', 'OptInRequired']);

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException', 'RequestThrottled', 'RequestThrottledException', 'SlowDown']);

export function isRegionNotEnabled(err: unknown): boolean {
  return REGION_NOT_ENABLED.has(awsErrorCode(err));
}

export function isThrottling(err: unknown): boolean {
  return THROTTLING.has(awsErrorCode(err));
}

/** A DynamoDB conditional write that lost a race. */
export function isConditionFailed(err: unknown): boolean {
  return awsErrorCode(err) === 'ConditionalCheckFailedException';
}
