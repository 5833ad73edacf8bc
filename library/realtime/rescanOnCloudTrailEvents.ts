/**
 * The real-time path in the master account: a batch of forwarded CloudTrail
 * API call events (SQS records) becomes at most one rescan per account-region
 * (library/realtime/rescanDebounce.ts), published to the identification topic
 * as Hammer's scan message, so the rescan runs exactly the scheduled scan's
 * code (describe_cloudtrails, identifyScanMessage) and writes the same items.
 *
 * Per event, in order:
 * - not JSON, or not an "AWS API Call via CloudTrail" event of aws.cloudtrail:
 *   logged and dropped;
 * - from an account or region this module does not check: logged and dropped;
 * - a call this module does not watch, or a call that failed (errorCode):
 *   nothing changed, logged and dropped;
 * - a `detail` that does not match its envelope (forged?): a warning, and a
 *   rescan of the envelope's account and region only (no alert, no lookup);
 * - otherwise: the regions the call may have changed (rescanScope.ts: the
 *   call's region, or all checked regions of the account for a
 *   multi-region/organization trail or when that cannot be known), the
 *   opt-in alert for StopLogging / DeleteTrail, and the rescan.
 *
 * A record whose rescan could not be asked (DynamoDB or SNS failing) is
 * returned as failed, so SQS delivers it again; a debounce write that fails
 * is treated as "rescan", never as "covered".
 */
import type { Trail } from '@aws-sdk/client-cloudtrail';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { awsErrorFields } from '../aws/awsErrors.ts';
import type { Clock } from '../runtime/clock.ts';
import { describeEventContent } from '../runtime/lambdaEvents.ts';
import type { Log } from '../runtime/logger.ts';
import type { CheckedAccountsSource } from '../scan/checkedAccounts.ts';
import type { ScanMessage } from '../scan/scanMessage.ts';
import type { ScanMessagePublisher } from '../scan/scanMessagePublisher.ts';
import { ALERTED_CALLS, parseCloudTrailApiEvent, WATCHED_CALLS, type CloudTrailApiCall } from './cloudTrailApiEvent.ts';
import type { LoggingAlerts } from './loggingAlert.ts';
import type { RescanClaims } from './rescanDebounce.ts';
import { rescanScope } from './rescanScope.ts';

export interface RealtimeDeps {
  config: Pick<HammerConfig, 'aws' | 'cloudtrails'>;
  checkedAccounts: CheckedAccountsSource;
  /** The checked regions: aws.regions, else the main account's enabled regions. */
  regions: () => Promise<string[]>;
  /** DescribeTrails(includeShadowTrails) in an account and region, through the identification role. */
  describeTrails: (accountId: string, region: string) => Promise<Trail[]>;
  claims: RescanClaims;
  publisher: ScanMessagePublisher;
  /** The identification topic (SNS_ARN). */
  snsArn: string;
  /** The region the Lambda runs in. */
  region: string;
  /** Present only when cloudtrails.realtime.slack_alert and slack.enabled are on. */
  alerts: LoggingAlerts | undefined;
  clock: Clock;
  log: Log;
}

export interface EventRecord {
  /** The SQS message id (the batch item identifier). */
  id: string;
  body: string;
}

export interface RealtimeOutcome {
  /** Records to deliver again (their rescan could not be asked). */
  failed: string[];
  /** The rescans published: account -> regions. */
  rescans: Record<string, string[]>;
  /** Events whose account-region had a rescan asked after their call. */
  debounced: number;
  dropped: number;
}

interface Wanted {
  accountId: string;
  accountName: string;
  /** region -> the latest call time in it among the batch's events. */
  regions: Map<string, Date>;
  records: Set<string>;
}

const WATCHED: ReadonlySet<string> = new Set(WATCHED_CALLS);

export async function rescanOnCloudTrailEvents(records: readonly EventRecord[], deps: RealtimeDeps): Promise<RealtimeOutcome> {
  const { log } = deps;
  const outcome: RealtimeOutcome = { failed: [], rescans: {}, debounced: 0, dropped: 0 };
  const wanted = new Map<string, Wanted>();
  const accounts = (await deps.checkedAccounts.current()).accounts;
  let checkedRegions: string[] | undefined;
  const trailsRead = new Map<string, Promise<Trail[] | undefined>>();

  const drop = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void => {
    outcome.dropped += 1;
    log[level](message, fields);
  };
  const want = (record: string, call: Pick<CloudTrailApiCall, 'accountId' | 'time'>, accountName: string, regions: readonly string[]): void => {
    const entry = wanted.get(call.accountId) ?? { accountId: call.accountId, accountName, regions: new Map(), records: new Set() };
    for (const region of regions) {
      const latest = entry.regions.get(region);
      if (latest === undefined || latest < call.time) entry.regions.set(region, call.time);
    }
    entry.records.add(record);
    wanted.set(call.accountId, entry);
  };

  for (const record of records) {
    const parsed = parseCloudTrailApiEvent(record.body);
    if (parsed.kind === 'malformed') {
      drop('error', `malformed event: ${parsed.reason}; dropped`, { event: describeEventContent(record.body), message_id: record.id });
      continue;
    }
    if (parsed.kind === 'other-source') {
      drop('warn', 'not an "AWS API Call via CloudTrail" event of aws.cloudtrail; dropped', { source: parsed.source, detail_type: parsed.detailType, message_id: record.id });
      continue;
    }
    const call = parsed.call;
    const fields = { account_id: call.accountId, region: call.region, event_name: call.eventName, event_id: call.eventId ?? call.envelopeId, event_time: call.time.toISOString() };
    let accountName = accounts[call.accountId];
    if (accountName === undefined) {
      const found = await deps.checkedAccounts.lookup(call.accountId);
      if (!found.checked) {
        drop('warn', 'event from an account this module does not check; dropped', fields);
        continue;
      }
      accountName = found.name;
    }
    if (!WATCHED.has(call.eventName)) {
      drop('info', 'not a call that changes logging; dropped', fields);
      continue;
    }
    checkedRegions ??= await deps.regions();
    if (!checkedRegions.includes(call.region)) {
      drop('info', 'event from a region this module does not check; dropped', fields);
      continue;
    }
    if (!call.consistent) {
      log.warn('event whose detail does not match its envelope (forged?): only the envelope\'s account and region are rescanned', { ...fields, mismatches: call.mismatches });
      want(record.id, call, accountName, [call.region]);
      continue;
    }
    if (call.errorCode !== undefined) {
      drop('info', 'the call failed, so nothing changed; no rescan', { ...fields, error_code: call.errorCode, caller_arn: call.callerArn });
      continue;
    }

    let trails: Trail[] | undefined;
    if (call.scopeHint === undefined && call.trail !== undefined) {
      const key = `${call.accountId}/${call.region}`;
      let pending = trailsRead.get(key);
      if (pending === undefined) {
        pending = deps.describeTrails(call.accountId, call.region).catch((err: unknown) => {
          log.warn('cannot read the account\'s trails to tell the trail\'s scope; rescanning all its regions', { account_id: call.accountId, region: call.region, ...awsErrorFields('DescribeTrails', err) });
          return undefined;
        });
        trailsRead.set(key, pending);
      }
      trails = await pending;
    }
    const scope = rescanScope(call, trails);
    log.info('CloudTrail call that may change logging', { ...fields, trail: call.trail, caller_arn: call.callerArn, source_ip: call.sourceIp, scope: scope.scope, scope_reason: scope.reason });
    if (deps.alerts !== undefined && ALERTED_CALLS.has(call.eventName)) await sendAlert(deps, call, accountName);
    want(record.id, call, accountName, scope.scope === 'account' ? checkedRegions : [call.region]);
  }

  const messages: Array<{ message: ScanMessage; claims: Array<{ region: string; startedAt: number }>; records: Set<string> }> = [];
  for (const entry of wanted.values()) {
    const claimed: Array<{ region: string; startedAt: number | undefined }> = [];
    await Promise.all([...entry.regions].map(async ([region, calledAt]) => {
      try {
        const claim = await deps.claims.claimRescan(entry.accountId, region, calledAt);
        if (claim.claimed) claimed.push({ region, startedAt: claim.startedAt });
        else outcome.debounced += 1;
      } catch (err: unknown) {
        log.warn('cannot record the rescan in the debounce table; rescanning anyway', { account_id: entry.accountId, region, ...awsErrorFields('UpdateItem', err) });
        claimed.push({ region, startedAt: undefined });
      }
    }));
    if (claimed.length === 0) {
      log.info('a rescan was asked after these calls already; debounced', { account_id: entry.accountId, regions: [...entry.regions.keys()] });
      continue;
    }
    const regions = (checkedRegions ?? []).filter((region) => claimed.some((claim) => claim.region === region));
    messages.push({
      message: { account_id: entry.accountId, account_name: entry.accountName, regions, sns_arn: deps.snsArn },
      claims: claimed.filter((claim): claim is { region: string; startedAt: number } => claim.startedAt !== undefined),
      records: entry.records,
    });
  }
  if (messages.length === 0) return outcome;

  const published = await deps.publisher.publish(deps.snsArn, messages.map((entry) => entry.message), deps.region);
  const failedAccounts = new Set(published.failed.map((failure) => failure.message.account_id));
  for (const entry of messages) {
    if (failedAccounts.has(entry.message.account_id)) {
      await Promise.all(entry.claims.map((claim) => deps.claims.releaseRescan(entry.message.account_id, claim.region, claim.startedAt).catch((err: unknown) => {
        log.warn('cannot release the rescan claim; the hourly scan covers the region', { account_id: entry.message.account_id, region: claim.region, ...awsErrorFields('DeleteItem', err) });
      })));
      outcome.failed.push(...entry.records);
      continue;
    }
    outcome.rescans[entry.message.account_id] = entry.message.regions;
    log.info('rescan asked', { account_id: entry.message.account_id, account_name: entry.message.account_name, regions: entry.message.regions, topic_arn: deps.snsArn });
  }
  return outcome;
}

async function sendAlert(deps: RealtimeDeps, call: CloudTrailApiCall, accountName: string): Promise<void> {
  const eventId = call.eventId ?? call.envelopeId;
  try {
    if (eventId !== '' && !(await deps.claims.recordFirstAlert(eventId))) {
      deps.log.info('alert already sent for this event', { account_id: call.accountId, region: call.region, event_id: eventId });
      return;
    }
  } catch (err: unknown) {
    deps.log.warn('cannot record the alert in the debounce table; alerting anyway', { account_id: call.accountId, region: call.region, ...awsErrorFields('PutItem', err) });
  }
  await deps.alerts?.alert(call, accountName);
}
