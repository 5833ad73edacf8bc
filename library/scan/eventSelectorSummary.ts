import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '@aws-sdk/client-cloudtrail';

/** What a trail's event selectors say, as the `selectors` string of `issue_details.trails`. */
export const ALL_EVENTS = 'All';

/** GetEventSelectors failed: the trail's status is known but its selectors are not. */
export const UNKNOWN_SELECTORS = 'Unknown';

/**
 * Summarises GetEventSelectors' answer. Basic selectors give Hammer's string,
 * the comma-joined ReadWriteType of each (`ReadOnly,All`), or `All` when there
 * are none. Advanced selectors (which Hammer crashed on) give a readable
 * summary, one part per selector joined by "; ", e.g.
 * `Advanced: Management(ReadWrite); Data(AWS::S3::Object)`.
 */
export function summariseEventSelectors(response: { EventSelectors?: EventSelector[] | undefined; AdvancedEventSelectors?: AdvancedEventSelector[] | undefined }): string {
  const advanced = response.AdvancedEventSelectors ?? [];
  if (advanced.length > 0) return `Advanced: ${advanced.map(describeAdvancedSelector).join('; ')}`;
  const basic = response.EventSelectors ?? [];
  if (basic.length === 0) return ALL_EVENTS;
  return basic.map((selector) => selector.ReadWriteType ?? ALL_EVENTS).join(',');
}

/**
 * The stored `selectors` string for a person reading why a trail does not
 * cover its region. Basic selectors are stored as Hammer stores them, their
 * ReadWriteTypes (`All` also for a selector that excludes management events,
 * which GetEventSelectors reports apart, in IncludeManagementEvents), so they
 * are named as such: `basic selectors, ReadWriteType All`. Advanced and
 * unknown selectors say what they are already.
 */
export function selectorsInWords(selectors: string): string {
  if (selectors.startsWith('Advanced: ') || selectors === UNKNOWN_SELECTORS) return selectors;
  return `basic selectors, ReadWriteType ${selectors}`;
}

const SUMMARISED_FIELDS = new Set(['eventCategory', 'readOnly', 'resources.type']);

/**
 * One advanced selector: its event category, then for management events the
 * read/write scope and excluded sources, for other categories the resource
 * types and the read/write scope when it is narrowed; `filtered` when other
 * field conditions narrow it further.
 */
export function describeAdvancedSelector(selector: AdvancedEventSelector): string {
  const fields = selector.FieldSelectors ?? [];
  const field = (name: string): AdvancedFieldSelector | undefined => fields.find((candidate) => candidate.Field === name);
  const category = field('eventCategory')?.Equals?.join('/') || 'AnyCategory';
  const readOnly = field('readOnly');
  const scope = readWriteScope(readOnly);
  const parts: string[] = [];
  let summarised = SUMMARISED_FIELDS;
  if (category === 'Management') {
    parts.push(scope);
    const excluded = field('eventSource');
    if (excluded?.NotEquals !== undefined && excluded.NotEquals.length > 0 && onlyCondition(excluded, 'NotEquals')) {
      parts.push(`except ${excluded.NotEquals.join(' ')}`);
      summarised = new Set([...SUMMARISED_FIELDS, 'eventSource']);
    }
  } else {
    const types = field('resources.type')?.Equals ?? [];
    if (types.length > 0) parts.push(types.join(' '));
    if (readOnly !== undefined) parts.push(scope);
  }
  if (fields.some((candidate) => candidate.Field === undefined || !summarised.has(candidate.Field))) parts.push('filtered');
  return parts.length > 0 ? `${category}(${parts.join(', ')})` : category;
}

function readWriteScope(readOnly: AdvancedFieldSelector | undefined): string {
  const values = readOnly?.Equals ?? [];
  if (values.length === 1 && values[0]?.toLowerCase() === 'true') return 'Read';
  if (values.length === 1 && values[0]?.toLowerCase() === 'false') return 'Write';
  return 'ReadWrite';
}

function onlyCondition(selector: AdvancedFieldSelector, condition: keyof AdvancedFieldSelector): boolean {
  const conditions: Array<keyof AdvancedFieldSelector> = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'];
  return conditions.every((name) => name === condition || selector[name] === undefined);
}
