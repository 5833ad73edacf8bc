/**
 * The SNS message between the two Lambdas, exactly Hammer's:
 * `{"account_id", "account_name", "regions": [...], "sns_arn"}`, plus
 * `request_id` when the scan was asked through Hammer's API. Our initiation
 * sends one region per message; Hammer's initiation and API send many.
 */
export interface ScanMessage {
  account_id: string;
  account_name: string;
  regions: string[];
  /** Where regions left unchecked are published back to. */
  sns_arn: string;
  request_id?: string;
  /** Other keys, passed on unchanged when the message is published back. */
  [extra: string]: unknown;
}

export type ParsedScanMessage = { ok: true; message: ScanMessage } | { ok: false; reason: string };

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;
/** Whether a string has the shape of an AWS region name (eu-west-1, us-gov-west-1, ap-southeast-7). */
export function isRegionName(value: string): boolean {
  return REGION.test(value);
}

const SNS_TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/;

/** Parses and checks one message; never throws. The reason says what is wrong, for the log. */
export function parseScanMessage(text: string): ParsedScanMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the message is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, reason: 'the message is not a JSON object' };
  const fields = parsed as Record<string, unknown>;
  const { account_id: accountId, account_name: accountName, regions, sns_arn: snsArn, request_id: requestId } = fields;
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) return { ok: false, reason: 'account_id must be a 12-digit account id string' };
  if (typeof accountName !== 'string') return { ok: false, reason: 'account_name must be a string' };
  if (!Array.isArray(regions) || regions.length === 0) return { ok: false, reason: 'regions must be a non-empty list' };
  const badRegion = regions.find((region) => typeof region !== 'string' || !REGION.test(region));
  if (badRegion !== undefined) return { ok: false, reason: `regions holds ${JSON.stringify(badRegion)}, which is not a region name` };
  if (typeof snsArn !== 'string' || !SNS_TOPIC_ARN.test(snsArn)) return { ok: false, reason: 'sns_arn must be an SNS topic ARN' };
  if (requestId !== undefined && requestId !== null && (typeof requestId !== 'string' || requestId === '')) return { ok: false, reason: 'request_id must be a non-empty string when present' };

  const message: ScanMessage = { ...fields, account_id: accountId, account_name: accountName, regions: [...new Set(regions as string[])], sns_arn: snsArn };
  if (typeof requestId === 'string') message.request_id = requestId;
  else delete message.request_id;
  return { ok: true, message };
}

/** The message text, keys in Hammer's order. */
export function serializeScanMessage(message: ScanMessage): string {
  const { account_id, account_name, regions, sns_arn, request_id, ...extra } = message;
  return JSON.stringify({ account_id, account_name, regions, sns_arn, ...(request_id === undefined ? {} : { request_id }), ...extra });
}

/** The region of a topic ARN, to publish through a client of that region. */
export function topicRegion(topicArn: string): string | undefined {
  return topicArn.split(':')[3] || undefined;
}
