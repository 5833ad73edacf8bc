/**
 * Which management events a trail records, decided from its event selectors
 * (GetEventSelectors' answer) the way CloudTrail applies them:
 *
 * - A trail logs an event when the event matches ANY of its selectors.
 * - Basic selector (`EventSelectors`): matches a management event when
 *   `IncludeManagementEvents` is not false (AWS's default is true), its
 *   `ReadWriteType` (default `All`) admits the event's read/write kind, and
 *   the event's source is not in `ExcludeManagementEventSources` (AWS allows
 *   only `kms.amazonaws.com` and `rdsdata.amazonaws.com` there).
 * - Advanced selector (`AdvancedEventSelectors`): matches when EVERY field
 *   selector matches. A field selector matches a value when, if it has any
 *   positive condition (`Equals`, `StartsWith`, `EndsWith`), at least one of
 *   their values matches, and no value of a negative condition (`NotEquals`,
 *   `NotStartsWith`, `NotEndsWith`) matches. `readOnly` compares without case
 *   (`"true"`/`"false"`), every other field exactly.
 *
 * "Records write management events" is tested, not guessed: the selectors are
 * applied to a fixed set of representative management events (WRITE_EVENTS,
 * READ_EVENTS) that every complete trail records. CloudTrail's own calls are
 * among them (`StopLogging`, `DeleteTrail`, `UpdateTrail`,
 * `PutEventSelectors`): a trail blind to those cannot see itself being
 * switched off (MITRE ATT&CK T1562.008). Events of `kms.amazonaws.com` and
 * `rdsdata.amazonaws.com` are deliberately not among them: AWS lets a trail
 * leave those out, for volume, and the trail still records everything else.
 *
 * A condition on a field the representative events do not define (e.g.
 * `userIdentity.arn`, `resources.ARN`) cannot be decided: such a selector
 * neither proves nor disproves coverage. When nothing else decides, the
 * answer is `unknown`, which (like an unreadable selector set) is never a
 * reason to call a region disabled, nor a reason to resolve its issue.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '@aws-sdk/client-cloudtrail';

/** A management event as an advanced field selector sees it. */
export interface ManagementEvent {
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  eventType: string;
}

function apiCall(eventSource: string, eventName: string, readOnly: boolean): ManagementEvent {
  return { eventSource, eventName, readOnly, eventType: 'AwsApiCall' };
}

/** Write management events every trail that covers a region must record: CloudTrail's own first. */
export const WRITE_EVENTS: readonly ManagementEvent[] = [
  apiCall('cloudtrail.amazonaws.com', 'StopLogging', false),
  apiCall('cloudtrail.amazonaws.com', 'DeleteTrail', false),
  apiCall('cloudtrail.amazonaws.com', 'UpdateTrail', false),
  apiCall('cloudtrail.amazonaws.com', 'PutEventSelectors', false),
  apiCall('iam.amazonaws.com', 'CreateAccessKey', false),
  apiCall('iam.amazonaws.com', 'AttachRolePolicy', false),
  apiCall('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', false),
  apiCall('ec2.amazonaws.com', 'RunInstances', false),
  apiCall('s3.amazonaws.com', 'PutBucketPolicy', false),
  { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', readOnly: false, eventType: 'AwsConsoleSignIn' },
];

/** Read management events (checked only with `cloudtrails.require_read_management_events`). */
export const READ_EVENTS: readonly ManagementEvent[] = [
  apiCall('cloudtrail.amazonaws.com', 'DescribeTrails', true),
  apiCall('cloudtrail.amazonaws.com', 'GetEventSelectors', true),
  apiCall('iam.amazonaws.com', 'ListUsers', true),
  apiCall('ec2.amazonaws.com', 'DescribeInstances', true),
  apiCall('s3.amazonaws.com', 'ListBuckets', true),
];

/**
 * How a trail records one kind of management events:
 * - `all`: every representative event is recorded;
 * - `none`: no representative event is recorded;
 * - `partial`: some are certainly not recorded (`missed`), others are or may be;
 * - `unknown`: none is certainly missed, but some cannot be decided.
 */
export interface EventKindCoverage {
  kind: 'all' | 'none' | 'partial' | 'unknown';
  /** The representative events the selectors certainly do not record. */
  missed: ManagementEvent[];
}

/** What a trail records of management events, writes and reads. */
export interface ManagementCoverage {
  writes: EventKindCoverage;
  reads: EventKindCoverage;
}

const ALL: EventKindCoverage = { kind: 'all', missed: [] };
const UNKNOWN: EventKindCoverage = { kind: 'unknown', missed: [] };

/** A trail without custom event selectors: all management events, read and write (AWS's default). */
export const ALL_MANAGEMENT_EVENTS: ManagementCoverage = { writes: ALL, reads: ALL };

/** Selectors that could not be read (or an answer AWS never gives): nothing can be said. */
export const UNKNOWN_COVERAGE: ManagementCoverage = { writes: UNKNOWN, reads: UNKNOWN };

type Match = 'yes' | 'no' | 'undecided';

/**
 * The management events GetEventSelectors' answer records. Advanced selectors
 * win when present (AWS replaces basic ones with them); an answer with no
 * selector at all is `unknown` (AWS requires 1 to 5 selectors once a trail
 * has custom ones).
 */
export function managementCoverage(response: { EventSelectors?: EventSelector[] | undefined; AdvancedEventSelectors?: AdvancedEventSelector[] | undefined }): ManagementCoverage {
  const advanced = response.AdvancedEventSelectors ?? [];
  const basic = response.EventSelectors ?? [];
  let matches: (event: ManagementEvent) => Match;
  if (advanced.length > 0) {
    const compiled = advanced.map(compileAdvancedSelector);
    matches = (event) => anyMatch(compiled.map((selector) => selector(event)));
  } else if (basic.length > 0) matches = (event) => anyMatch(basic.map((selector) => basicSelectorMatches(selector, event)));
  else return UNKNOWN_COVERAGE;
  return { writes: kindCoverage(WRITE_EVENTS, matches), reads: kindCoverage(READ_EVENTS, matches) };
}

function kindCoverage(events: readonly ManagementEvent[], matches: (event: ManagementEvent) => Match): EventKindCoverage {
  const results = events.map((event) => ({ event, match: matches(event) }));
  const missed = results.filter((result) => result.match === 'no').map((result) => result.event);
  if (missed.length === events.length) return { kind: 'none', missed };
  if (missed.length > 0) return { kind: 'partial', missed };
  return results.every((result) => result.match === 'yes') ? ALL : UNKNOWN;
}

function anyMatch(matches: readonly Match[]): Match {
  if (matches.includes('yes')) return 'yes';
  return matches.includes('undecided') ? 'undecided' : 'no';
}

/** A basic event selector against one management event. */
function basicSelectorMatches(selector: EventSelector, event: ManagementEvent): Match {
  if (selector.IncludeManagementEvents === false) return 'no';
  if ((selector.ExcludeManagementEventSources ?? []).includes(event.eventSource)) return 'no';
  switch (selector.ReadWriteType ?? 'All') {
    case 'All': return 'yes';
    case 'ReadOnly': return event.readOnly ? 'yes' : 'no';
    case 'WriteOnly': return event.readOnly ? 'no' : 'yes';
    // A value AWS does not document: do not guess.
    default: return 'undecided';
  }
}

/** An advanced event selector as a function of the event (every field selector must match): its conditions read once, then applied to each event. */
function compileAdvancedSelector(selector: AdvancedEventSelector): (event: ManagementEvent) => Match {
  const conditions = (selector.FieldSelectors ?? []).filter(hasCondition).map((fieldSelector) => ({ field: fieldSelector.Field, matches: compileFieldSelector(fieldSelector) }));
  return (event) => {
    let result: Match = 'yes';
    for (const condition of conditions) {
      const value = fieldValue(event, condition.field);
      if (value === undefined) result = 'undecided';
      else if (!condition.matches(value)) return 'no';
    }
    return result;
  };
}

/** The value of an event record field for a management event, or undefined when the event does not define it. */
function fieldValue(event: ManagementEvent, field: string | undefined): string | undefined {
  switch (field) {
    case 'eventCategory': return 'Management';
    case 'eventSource': return event.eventSource;
    case 'eventName': return event.eventName;
    case 'readOnly': return event.readOnly ? 'true' : 'false';
    case 'eventType': return event.eventType;
    default: return undefined;
  }
}

const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;

function hasCondition(selector: AdvancedFieldSelector): boolean {
  return OPERATORS.some((operator) => (selector[operator]?.length ?? 0) > 0);
}

/**
 * A field selector as a predicate of the field's value: some positive value
 * matches (when there are positive conditions) and no negative value does.
 * `readOnly` compares without case.
 */
function compileFieldSelector(selector: AdvancedFieldSelector): (value: string) => boolean {
  const fold = selector.Field === 'readOnly' ? (text: string): string => text.toLowerCase() : (text: string): string => text;
  const operands = (operator: (typeof OPERATORS)[number]): string[] => (selector[operator] ?? []).map(fold);
  const [equals, startsWith, endsWith] = [operands('Equals'), operands('StartsWith'), operands('EndsWith')];
  const [notEquals, notStartsWith, notEndsWith] = [operands('NotEquals'), operands('NotStartsWith'), operands('NotEndsWith')];
  const hasPositive = equals.length + startsWith.length + endsWith.length > 0;
  return (raw) => {
    const value = fold(raw);
    const positive = equals.includes(value) || startsWith.some((operand) => value.startsWith(operand)) || endsWith.some((operand) => value.endsWith(operand));
    if (hasPositive && !positive) return false;
    return !(notEquals.includes(value) || notStartsWith.some((operand) => value.startsWith(operand)) || notEndsWith.some((operand) => value.endsWith(operand)));
  };
}

/** Whether a logging trail covers its regions: `yes`, `no` (certainly not), or `unknown`. */
export function coversRegion(coverage: ManagementCoverage, requireReadManagementEvents: boolean): 'yes' | 'no' | 'unknown' {
  const kinds = requireReadManagementEvents ? [coverage.writes, coverage.reads] : [coverage.writes];
  if (kinds.some((kind) => kind.kind === 'none' || kind.kind === 'partial')) return 'no';
  return kinds.every((kind) => kind.kind === 'all') ? 'yes' : 'unknown';
}

/**
 * The plain sentence saying why a LOGGING trail does not cover its regions, or
 * undefined when it does or when that cannot be decided. Writes come first:
 * `logging, but records no write management events`, or, when only some are
 * missed, `logging, but does not record some write management events
 * (cloudtrail.amazonaws.com: StopLogging, DeleteTrail)`; then, with
 * `requireReadManagementEvents`, the same about read management events.
 */
export function notCoveringReason(coverage: ManagementCoverage, requireReadManagementEvents: boolean): string | undefined {
  if (coversRegion(coverage, requireReadManagementEvents) !== 'no') return undefined;
  const missing = (coverage.writes.kind === 'none' || coverage.writes.kind === 'partial') ? { word: 'write', kind: coverage.writes } : { word: 'read', kind: coverage.reads };
  if (missing.kind.kind === 'none') return `logging, but records no ${missing.word} management events`;
  return `logging, but does not record some ${missing.word} management events (${describeEvents(missing.kind.missed)})`;
}

/** `cloudtrail.amazonaws.com: StopLogging, DeleteTrail; iam.amazonaws.com: CreateAccessKey`, in list order. */
function describeEvents(events: readonly ManagementEvent[]): string {
  const bySource = new Map<string, string[]>();
  for (const event of events) bySource.set(event.eventSource, [...(bySource.get(event.eventSource) ?? []), event.eventName]);
  return [...bySource.entries()].map(([source, names]) => `${source}: ${names.join(', ')}`).join('; ');
}
