/**
 * The opt-in immediate alert (`cloudtrails.realtime.slack_alert`) for a trail
 * stopped or deleted: who did it, what, from where, when. The text says it is
 * what the event reports: the rescan that follows is what opens the issue.
 */
import type { CloudTrailApiCall } from './cloudTrailApiEvent.ts';

export interface LoggingAlerts {
  /** Sends the alert for one call; never throws (failures are logged by the sender). */
  alert(call: CloudTrailApiCall, accountName: string): Promise<void>;
}

const WHAT: Record<string, string> = {
  StopLogging: 'CloudTrail logging stopped',
  DeleteTrail: 'CloudTrail trail deleted',
};

/**
 * e.g. `CloudTrail logging stopped: StopLogging of trail 'management-events'
 * in 'prod / 210987654321 / eu-west-1' by arn:aws:iam::210987654321:user/mallory
 * from 198.51.100.42 at 2026-11-26T16:02:11Z`.
 */
export function loggingAlertText(call: Pick<CloudTrailApiCall, 'eventName' | 'trail' | 'accountId' | 'region' | 'callerArn' | 'sourceIp' | 'time'>, accountName: string): string {
  const what = WHAT[call.eventName] ?? `CloudTrail ${call.eventName}`;
  const trail = call.trail === undefined ? 'an unnamed trail' : `trail '${call.trail}'`;
  const when = call.time.toISOString().replace(/\.000Z$/, 'Z');
  return `${what}: ${call.eventName} of ${trail} in '${accountName} / ${call.accountId} / ${call.region}' by ${call.callerArn ?? 'an unknown caller'} from ${call.sourceIp ?? 'an unknown address'} at ${when}`;
}
