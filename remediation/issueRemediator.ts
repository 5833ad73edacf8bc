/**
 * Remediates one `open` issue, Hammer's way (hammer/reporting-remediation/
 * remediation/clean_*.py), for CloudTrail:
 *
 *   due? (remediationEligibility.ts) → rescan the region with the
 *   identification code (it writes the result as describe_cloudtrails does,
 *   so an issue someone fixed is resolved here and left alone) → plan
 *   (remediationPlan.ts) → ask the operator per trail unless batch →
 *   StartLogging by ARN in each trail's home region → rescan → set
 *   `timestamps.remediated` → JIRA (on success the ticket is assigned to
 *   hammer's JIRA user, as Hammer's `remediate_issue(reassign=True)`), then
 *   the comment → the same text to Slack.
 *
 * Choices this port makes (docs/remediation.md):
 * - `timestamps.remediated` is written BEFORE the ticket and Slack are told,
 *   conditionally (still unset, same lifecycle): the write is the claim, so
 *   two runs at once (the Lambda and the command) never both comment. A
 *   comment or message that fails after it is logged, not repeated. As in
 *   Hammer, a failed remediation is marked too (its comment hands the issue
 *   to a person); it is never tried again in the same lifecycle.
 * - A failure that may pass (AssumeRole, DescribeTrails, throttling or 5xx
 *   after the retries, a failed rescan or write) marks nothing: the next run
 *   tries again, as Hammer's `except Exception` path does.
 * - A dry run reads (AssumeRole, the CloudTrail reads) and writes nothing:
 *   no rescan result is stored, no trail started, no ticket or Slack.
 */
import type { HammerConfig } from '../config/hammerConfig.ts';
import { awsErrorCode, awsErrorFields } from '../library/aws/awsErrors.ts';
import { isTransientError } from '../library/aws/transientRetry.ts';
import type { CloudTrailIssueItem } from '../library/issues/cloudTrailIssue.ts';
import type { Expectation } from '../library/issues/conditionalUpdate.ts';
import type { IssueStore } from '../library/issues/issueStore.ts';
import type { Clock } from '../library/runtime/clock.ts';
import type { Log, LogFields } from '../library/runtime/logger.ts';
import { identifyRegionInDetail, judgeRegionNow, type RegionJudgement, type RegionResult } from '../library/scan/identifyRegion.ts';
import { DescribeTrailsError } from '../library/scan/regionCheck.ts';
import type { AccountRef } from '../reporting/issueReporter.ts';
import type { Notifier } from '../reporting/slack/slackNotifier.ts';
import { withTicketUrl } from '../reporting/ticketTexts.ts';
import { isRefusal, TrackerError, type TicketTracker } from '../reporting/ticketTracker.ts';
import type { AccountTrails } from './accountTrails.ts';
import { decideEligibility, type SkipReason } from './remediationEligibility.ts';
import { planRemediation, type RemediationPlan, type TrailToStart } from './remediationPlan.ts';
import { failedRemediationComment, remediatedComment, startLoggingFailure, stillNotCovered, type RemediationFacts } from './remediationTexts.ts';

export type RemediationOutcome =
  /** Logging started, the rescan resolved the issue; marked, ticket and Slack told. */
  | 'remediated'
  /** StartLogging refused, or the region still not covered after it: marked, told "Failed to remediate ...". */
  | 'remediation-failed'
  /** Disabled with no trail remediation may start (none, another account's, selectors): marked, told why. */
  | 'not-remediable'
  /** The rescan found the region fine (someone fixed it): the rescan resolved the issue; nothing else. */
  | 'fixed-meanwhile'
  /** Not due, or not what remediation handles (see `skip`). */
  | 'skipped'
  /** The operator declined every trail: nothing done. */
  | 'declined'
  /** Dry run: would start logging. */
  | 'would-remediate'
  /** Dry run: would report the issue as not remediable. */
  | 'would-report-not-remediable'
  /** Another run marked the issue first: nothing told twice. */
  | 'changed-meanwhile'
  /** Something that may pass failed (logged): nothing marked, the next run tries again. */
  | 'failed';

export const REMEDIATION_OUTCOMES: readonly RemediationOutcome[] = [
  'remediated', 'remediation-failed', 'not-remediable', 'fixed-meanwhile', 'skipped', 'declined', 'would-remediate', 'would-report-not-remediable', 'changed-meanwhile', 'failed',
];

/** Why an issue was skipped: the eligibility reasons, and what the rescan found outside remediation's reach. */
export type RemediationSkip = SkipReason | 'delivery-errors' | 'status-unknown' | 'region-not-enabled';

export interface RemediationResult {
  outcome: RemediationOutcome;
  skip?: RemediationSkip;
}

export interface IssueRemediatorDeps {
  config: HammerConfig;
  store: IssueStore;
  clock: Clock;
  log: Log;
  /** undefined when JIRA is off, and in a dry run. */
  tracker: TicketTracker | undefined;
  /** undefined when Slack is off, and in a dry run. */
  notifier: Notifier | undefined;
  /** Asked before each trail is started; undefined = batch (the Lambda, `--batch`). */
  confirm: ((question: string) => Promise<boolean>) | undefined;
  dryRun: boolean;
  /** Where a dry run says what it would do (the command's stdout). */
  print: (line: string) => void;
}

export class IssueRemediator {
  constructor(private readonly deps: IssueRemediatorDeps) {}

  /** Whether the issue is due, from the item and the config (no AWS call). */
  eligibility(issue: CloudTrailIssueItem, accountId: string) {
    const { config, clock } = this.deps;
    return decideEligibility(issue, {
      inWhitelist: config.whitelist.has(accountId, issue.issue_id),
      inTempWhitelist: config.tempWhitelist.has(accountId, issue.issue_id),
      retentionDays: config.cloudtrails.remediationRetentionPeriod,
      now: clock(),
    });
  }

  /**
   * Remediates one open issue. `openTrails` gives the account's trails
   * (AssumeRole on first use; it throws AssumeRoleError). Never throws.
   */
  async remediate(issue: CloudTrailIssueItem, account: AccountRef, openTrails: () => Promise<AccountTrails>): Promise<RemediationResult> {
    const fields: LogFields = { account_id: account.id, account_name: account.name, region: issue.issue_id };
    const facts: RemediationFacts = { accountId: account.id, accountName: account.name, region: issue.issue_id };
    const eligibility = this.eligibility(issue, account.id);
    if (eligibility.kind === 'skip') {
      const level = eligibility.reason === 'invalid' ? 'error' : 'debug';
      this.deps.log[level](`skipping the issue (${eligibility.detail})`, { ...fields, skip: eligibility.reason, ...(level === 'error' ? { operation: 'remediate', error_code: 'InvalidIssue' } : {}) });
      this.dryRunLine(`skip ${describe(facts)}: ${eligibility.detail}`);
      return { outcome: 'skipped', skip: eligibility.reason };
    }

    let trails: AccountTrails;
    try {
      trails = await openTrails();
    } catch (err: unknown) {
      this.deps.log.error('cannot assume the remediation role (aws.role_name_reporting); the issue is left for the next run', { ...fields, ...awsErrorFields('AssumeRole', (err as { cause?: unknown }).cause ?? err) });
      this.dryRunLine(`fail ${describe(facts)}: cannot assume the remediation role (${awsErrorCode((err as { cause?: unknown }).cause ?? err)})`);
      return { outcome: 'failed' };
    }

    const first = await this.scan(trails, issue.issue_id, fields);
    if (first === undefined) return this.failedScan(facts);
    const plan = first === 'region-not-enabled' ? first : planRemediation(first, account.id, this.deps.config.cloudtrails.requireReadManagementEvents);
    if (plan === 'region-not-enabled' || (plan.kind !== 'start' && plan.kind !== 'not-remediable')) return this.outOfReach(plan, facts, fields);

    if (this.deps.dryRun) return this.describeDryRun(plan, facts, fields);
    if (plan.kind === 'not-remediable') {
      this.deps.log.warn('the issue is not remediable: nothing remediation may start', { ...fields, reason: plan.reason });
      return this.finish(issue, facts, { ok: false, text: failedRemediationComment(facts, plan.reason) }, 'not-remediable', fields);
    }
    for (const trail of plan.leftAlone) this.deps.log.info('trail left alone', { ...fields, trail_arn: trail.arn, reason: trail.why });

    const chosen = await this.confirmTrails(plan.trails, facts);
    if (chosen.length === 0) {
      this.deps.log.info('the operator declined to start logging; nothing done', fields);
      return { outcome: 'declined' };
    }

    const started: string[] = [];
    const refusals: string[] = [];
    for (const trail of chosen) {
      const trailFields = { ...fields, trail_arn: trail.arn, home_region: trail.homeRegion };
      try {
        await trails.startLogging(trail.homeRegion, trail.arn);
        started.push(trail.arn);
        this.deps.log.info('started logging of the trail', { ...trailFields, operation: 'StartLogging' });
      } catch (err: unknown) {
        if (isTransientError(err)) {
          this.deps.log.error('StartLogging failed and may pass; the issue is left for the next run', { ...trailFields, ...awsErrorFields('StartLogging', err) });
          return { outcome: 'failed' };
        }
        this.deps.log.error('AWS refused StartLogging', { ...trailFields, ...awsErrorFields('StartLogging', err) });
        refusals.push(startLoggingFailure(trail.arn, awsErrorCode(err), err instanceof Error ? err.message : String(err)));
      }
    }

    const rescan = started.length === 0 ? undefined : await this.rescan(trails, issue.issue_id, fields);
    if (started.length > 0 && rescan === undefined) {
      this.deps.log.error('logging was started but the rescan failed; the issue is left for the next run (which finds it fixed, or tries again)', { ...fields, started });
      return { outcome: 'failed' };
    }
    if (rescan === 'fixed') return this.finish(issue, facts, { ok: true, text: remediatedComment(facts, started) }, 'remediated', fields);
    const reasons = [...refusals];
    if (rescan !== undefined) reasons.push(stillNotCovered(started, rescan === 'still-disabled'));
    return this.finish(issue, facts, { ok: false, text: failedRemediationComment(facts, reasons.join('; ')) }, 'remediation-failed', fields);
  }

  /** The skips decided by the first scan: fixed meanwhile, unknown, delivery errors only, region not enabled. */
  private outOfReach(plan: Exclude<RemediationPlan, { kind: 'start' | 'not-remediable' }> | 'region-not-enabled', facts: RemediationFacts, fields: LogFields): RemediationResult {
    const { log } = this.deps;
    switch (plan === 'region-not-enabled' ? plan : plan.kind) {
      case 'region-not-enabled':
        log.info('the region is not enabled in the account; nothing to remediate', fields);
        this.dryRunLine(`skip ${describe(facts)}: the region is not enabled in the account`);
        return { outcome: 'skipped', skip: 'region-not-enabled' };
      case 'fixed':
        log.info(this.deps.dryRun ? 'the issue was remediated by someone: the region is covered again' : 'the issue was remediated by someone: the rescan resolved it; nothing to do', fields);
        this.dryRunLine(`skip ${describe(facts)}: already fixed (a trail covers the region again); the next scan resolves it`);
        return { outcome: 'fixed-meanwhile' };
      case 'status-unknown':
        log.warn('the region\'s status is unknown (trails whose status or selectors cannot be read); nothing remediated', fields);
        this.dryRunLine(`skip ${describe(facts)}: status unknown (trails that cannot be read)`);
        return { outcome: 'skipped', skip: 'status-unknown' };
      case 'delivery-errors':
        log.info('the issue is about delivery errors of logging trails, which restarting logging does not fix; left to its owners', fields);
        this.dryRunLine(`skip ${describe(facts)}: delivery errors of logging trails (not remediated: the bucket, key or log group needs fixing)`);
        return { outcome: 'skipped', skip: 'delivery-errors' };
    }
  }

  private describeDryRun(plan: Extract<RemediationPlan, { kind: 'start' | 'not-remediable' }>, facts: RemediationFacts, fields: LogFields): RemediationResult {
    if (plan.kind === 'start') {
      for (const trail of plan.trails) this.dryRunLine(`would start logging of trail ${trail.arn} in ${trail.homeRegion} (${describe(facts)})`);
      for (const trail of plan.leftAlone) this.dryRunLine(`would leave alone: ${trail.why}`);
      this.deps.log.debug('dry run: would start logging', { ...fields, trails: plan.trails.map((trail) => trail.arn) });
      return { outcome: 'would-remediate' };
    }
    this.dryRunLine(`would report as not remediable (${describe(facts)}): ${plan.reason}`);
    this.deps.log.debug('dry run: would report the issue as not remediable', { ...fields, reason: plan.reason });
    return { outcome: 'would-report-not-remediable' };
  }

  /** The first scan: recorded as identification records it, or only judged in a dry run. */
  private async scan(trails: AccountTrails, region: string, fields: LogFields): Promise<Extract<RegionJudgement, { kind: 'judged' }> | 'region-not-enabled' | undefined> {
    const judgement = await this.judge(trails, region, fields);
    if (judgement === undefined) return undefined;
    return judgement.kind === 'region-not-enabled' ? 'region-not-enabled' : judgement;
  }

  private async judge(trails: AccountTrails, region: string, fields: LogFields): Promise<RegionJudgement | undefined> {
    const { config, store, clock, log } = this.deps;
    if (this.deps.dryRun) {
      try {
        return await judgeRegionNow({ config, clock, log }, trails.freshReader(), region);
      } catch (err: unknown) {
        log.error('CloudTrail check failed', { ...fields, ...awsErrorFields('DescribeTrails', err instanceof DescribeTrailsError ? err.cause : err) });
        return undefined;
      }
    }
    const scanned = await identifyRegionInDetail({ config, store, clock, log }, trails.freshReader(), region);
    return acceptedScan(scanned.result) ? scanned.judgement : undefined;
  }

  /**
   * The rescan after StartLogging: 'fixed' when the region is covered and
   * fine, 'still-disabled' or 'delivery-errors' when an issue stays,
   * undefined when it failed or could not tell.
   */
  private async rescan(trails: AccountTrails, region: string, fields: LogFields): Promise<'fixed' | 'still-disabled' | 'delivery-errors' | undefined> {
    const judgement = await this.judge(trails, region, fields);
    if (judgement === undefined || judgement.kind !== 'judged' || judgement.verdict.kind === 'unknown') return undefined;
    if (judgement.verdict.kind === 'ok') return 'fixed';
    return judgement.verdict.disabled ? 'still-disabled' : 'delivery-errors';
  }

  private failedScan(facts: RemediationFacts): RemediationResult {
    this.dryRunLine(`fail ${describe(facts)}: the CloudTrail check failed (see the log)`);
    return { outcome: 'failed' };
  }

  private async confirmTrails(trails: readonly TrailToStart[], facts: RemediationFacts): Promise<TrailToStart[]> {
    const { confirm } = this.deps;
    if (confirm === undefined) return [...trails];
    const chosen: TrailToStart[] = [];
    for (const trail of trails) {
      if (await confirm(`Do you want to start logging of trail '${trail.arn}' (${describe(facts)})`)) chosen.push(trail);
    }
    return chosen;
  }

  /**
   * Marks the issue remediated (the claim), then tells the ticket and Slack.
   * On success the ticket is first assigned to hammer's JIRA user, as Hammer does.
   */
  private async finish(issue: CloudTrailIssueItem, facts: RemediationFacts, told: { ok: boolean; text: string }, outcome: RemediationOutcome, fields: LogFields): Promise<RemediationResult> {
    const { store, tracker, log } = this.deps;
    const identified = issue.timestamps.identified;
    const expect: Expectation[] = [
      { path: ['timestamps', 'remediated'], isNullOrAbsent: true },
      typeof identified === 'string' ? { path: ['timestamps', 'identified'], equals: identified } : { path: ['timestamps', 'identified'], isNullOrAbsent: true },
    ];
    let marked: boolean;
    try {
      marked = await store.tryUpdate(issue, { set: [[['timestamps', 'remediated'], store.timestamp()]], expect });
    } catch (err: unknown) {
      log.error('could not mark the issue remediated; nothing told, the next run tries again', { ...fields, ...awsErrorFields('UpdateItem', err) });
      return { outcome: 'failed' };
    }
    if (!marked) {
      log.info('the issue was marked remediated by another run, or began a new lifecycle, meanwhile; nothing told twice', fields);
      return { outcome: 'changed-meanwhile' };
    }

    const ticket = ticketOf(issue);
    const ticketFields = ticket === undefined ? fields : { ...fields, ticket };
    if (ticket !== undefined && tracker !== undefined) {
      if (told.ok) await this.ticketStep('assignToAuthenticatedUser', ticketFields, () => tracker.assignToAuthenticatedUser(ticket));
      await this.ticketStep('addComment', ticketFields, () => tracker.addComment(ticket, told.text));
    }
    await this.notify(withTicketUrl(told.text, this.ticketUrl(ticket)), facts, ticketFields);
    log.info(told.ok ? 'remediated the issue' : 'could not remediate the issue; told its owners to check manually', { ...ticketFields, outcome, comment: told.text });
    return { outcome };
  }

  /** A JIRA call after the mark: a refusal is skipped (as in reporting), any failure logged; never repeated. */
  private async ticketStep(operation: string, fields: LogFields, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err: unknown) {
      const status = err instanceof TrackerError ? err.status : undefined;
      const errorFields = { ...fields, operation, error_code: status === undefined ? (err instanceof Error ? err.name : 'UnknownError') : `HTTP ${status}`, error_message: err instanceof Error ? err.message : String(err) };
      if (isRefusal(status)) this.deps.log.warn(`JIRA refused ${operation === 'addComment' ? 'the comment' : 'the assignment'}; skipped, the issue goes on`, errorFields);
      else this.deps.log.error(`JIRA ${operation} failed; the issue is marked remediated, so it is not repeated`, errorFields);
    }
  }

  private async notify(text: string, facts: RemediationFacts, fields: LogFields): Promise<void> {
    const { notifier, config } = this.deps;
    if (notifier === undefined) return;
    const owners = config.ticketOwners.slackRecipients({ accountId: facts.accountId }, config.slack.notifyDefaultOwner);
    if (owners.length > 0) await notifier.notifyOwners(owners, text, fields);
  }

  /** `<server>/browse/<KEY>`; from jira.server when JIRA is off for this run, as reporting does. */
  private ticketUrl(ticket: string | undefined): string | undefined {
    if (ticket === undefined) return undefined;
    if (this.deps.tracker !== undefined) return this.deps.tracker.ticketUrl(ticket);
    const server = this.deps.config.jira.server;
    return server === undefined ? undefined : `${server}/browse/${ticket}`;
  }

  private dryRunLine(line: string): void {
    if (this.deps.dryRun) this.deps.print(`dry run: ${line}`);
  }
}

/** The scans whose judgement remediation may act on (the table holds what they saw). */
function acceptedScan(result: RegionResult): boolean {
  return result !== 'failed' && result !== 'kept-closed';
}

function describe(facts: RemediationFacts): string {
  return `CloudTrail logging issue with '${facts.region}' in '${facts.accountName} / ${facts.accountId}' account`;
}

function ticketOf(issue: CloudTrailIssueItem): string | undefined {
  const jira = issue.jira_details;
  const ticket = typeof jira === 'object' && jira !== null ? (jira as { ticket?: unknown }).ticket : undefined;
  return typeof ticket === 'string' && ticket !== '' ? ticket : undefined;
}
