/**
 * What remediation writes on the ticket and sends to Slack, in the words of
 * Hammer's clean_* modules ("... was remediated by hammer", "Failed to
 * remediate ... Please, check manually") and of this module's reporting
 * texts ("CloudTrail logging issue with '<region>' in '<name> / <id>' account").
 * As in Hammer, the Slack message is the same text with ` (<ticket URL>)`.
 */

export interface RemediationFacts {
  accountId: string;
  accountName: string;
  region: string;
}

function issueName(facts: RemediationFacts): string {
  return `CloudTrail logging issue with '${facts.region}' in '${facts.accountName} / ${facts.accountId}' account`;
}

/**
 * Hammer's success comment names what it did first ("Policy backup was
 * saved to ... . Bucket ... was remediated by hammer"); here, the trails
 * whose logging it started.
 */
export function remediatedComment(facts: RemediationFacts, startedTrails: readonly string[]): string {
  const trails = startedTrails.length === 1 ? `trail ${startedTrails[0]}` : `trails ${startedTrails.join(', ')}`;
  return `Logging was started on ${trails}. ${issueName(facts)} was remediated by hammer`;
}

/**
 * Hammer's failure comment ("Failed to remediate ... due to some
 * limitations. Please, check manually"), with the reason (the AWS error, or
 * why nothing could be started) in place of "due to some limitations".
 */
export function failedRemediationComment(facts: RemediationFacts, reason: string): string {
  return `Failed to remediate ${issueName(facts)}: ${reason}. Please, check manually`;
}

/** The reason for a StartLogging call AWS refused: the operation, the trail, the error code and AWS's message. */
export function startLoggingFailure(trailArn: string, errorCode: string, message: string): string {
  const detail = message.trim() === '' || message === errorCode ? '' : ` (${message.trim().replace(/\.$/, '')})`;
  return `StartLogging of trail ${trailArn} failed with ${errorCode}${detail}`;
}

/**
 * The reason when logging was started but the rescan still finds an issue:
 * the region still not covered, or covered now with delivery errors (which
 * restarting logging does not fix).
 */
export function stillNotCovered(startedTrails: readonly string[], disabled: boolean): string {
  const trails = startedTrails.join(', ');
  return disabled ? `the region is still not covered after logging was started on ${trails}` : `logging was started on ${trails}, but the region has delivery errors now`;
}
