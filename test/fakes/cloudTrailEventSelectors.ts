/**
 * CloudTrail event selectors as AWS keeps and answers them, shared by both
 * AWS fakes (the aws-sdk-client-mock one and the wire one): what
 * PutEventSelectors accepts for a TRAIL (a test world holding selectors AWS
 * would refuse is a broken test, and fails loudly), and what GetEventSelectors
 * answers.
 *
 * From the CloudTrail API reference (PutEventSelectors, EventSelector,
 * AdvancedEventSelector, AdvancedFieldSelector): a trail uses basic OR
 * advanced selectors, never both; 1 to 5 basic selectors, whose
 * ExcludeManagementEventSources may only name kms.amazonaws.com and
 * rdsdata.amazonaws.com; every advanced selector has an `eventCategory`
 * condition with `Equals`; `readOnly` takes only `Equals` "true"/"false"; a
 * management selector of a trail filters only on eventCategory, eventSource
 * (`NotEquals` kms.amazonaws.com / rdsdata.amazonaws.com) and readOnly; at
 * most 500 condition values in all. GetEventSelectors answers only the kind
 * the trail uses, each basic selector with its four fields filled in (AWS's
 * defaults: All, management events included, no data resources, no excluded
 * sources); a trail without custom selectors answers AWS's default selector.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector, GetEventSelectorsResponse } from '@aws-sdk/client-cloudtrail';

export type TrailEventSelectors = Pick<GetEventSelectorsResponse, 'EventSelectors' | 'AdvancedEventSelectors'>;

/** AWS's selector of a trail without custom ones: all management events, read and write, no data events. */
export const DEFAULT_EVENT_SELECTOR: EventSelector = { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] };

const EXCLUDABLE_SOURCES = ['kms.amazonaws.com', 'rdsdata.amazonaws.com'];
const MANAGEMENT_FIELDS = ['eventCategory', 'eventSource', 'readOnly'];
const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;

/** Throws when PutEventSelectors would have refused these selectors for a trail. */
export function checkTrailEventSelectors(trail: string, selectors: TrailEventSelectors): void {
  const fail = (why: string): never => {
    throw new Error(`fake AWS world: PutEventSelectors would refuse the selectors of ${trail}: ${why}`);
  };
  const basic = selectors.EventSelectors ?? [];
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (basic.length > 0 && advanced.length > 0) fail('a trail uses basic or advanced event selectors, never both');
  if (basic.length === 0 && advanced.length === 0) fail('give 1 to 5 event selectors, or advanced event selectors');
  if (basic.length > 5) fail('at most 5 event selectors');
  for (const selector of basic) {
    if (selector.ReadWriteType !== undefined && !['All', 'ReadOnly', 'WriteOnly'].includes(selector.ReadWriteType)) fail(`ReadWriteType ${selector.ReadWriteType}`);
    const excluded = (selector.ExcludeManagementEventSources ?? []).filter((source) => !EXCLUDABLE_SOURCES.includes(source));
    if (excluded.length > 0) fail(`ExcludeManagementEventSources may only name ${EXCLUDABLE_SOURCES.join(' or ')}, not ${excluded.join(', ')}`);
  }
  let valueCount = 0;
  for (const selector of advanced) {
    const fields = selector.FieldSelectors ?? [];
    if (fields.length === 0) fail('an advanced event selector needs at least one field selector');
    valueCount += fields.reduce((sum, field) => sum + OPERATORS.reduce((count, operator) => count + (field[operator]?.length ?? 0), 0), 0);
    const category = fields.find((field) => field.Field === 'eventCategory');
    if (category?.Equals === undefined || category.Equals.length === 0 || !onlyOperator(category, 'Equals')) fail('eventCategory is required, with Equals');
    const readOnly = fields.find((field) => field.Field === 'readOnly');
    if (readOnly !== undefined && (!onlyOperator(readOnly, 'Equals') || (readOnly.Equals ?? []).some((value) => value !== 'true' && value !== 'false'))) fail('readOnly takes Equals "true" or "false"');
    if (category?.Equals?.includes('Management') === true) {
      const other = fields.filter((field) => !MANAGEMENT_FIELDS.includes(field.Field ?? ''));
      if (other.length > 0) fail(`a management selector of a trail filters only on ${MANAGEMENT_FIELDS.join(', ')}, not ${other.map((field) => field.Field).join(', ')}`);
      const source = fields.find((field) => field.Field === 'eventSource');
      if (source !== undefined && (!onlyOperator(source, 'NotEquals') || (source.NotEquals ?? []).some((value) => !EXCLUDABLE_SOURCES.includes(value)))) {
        fail(`eventSource of management events takes only NotEquals ${EXCLUDABLE_SOURCES.join(' or ')}`);
      }
    }
  }
  if (valueCount > 500) fail('at most 500 condition values in all advanced event selectors');
}

function onlyOperator(field: AdvancedFieldSelector, operator: (typeof OPERATORS)[number]): boolean {
  return OPERATORS.every((name) => name === operator || field[name] === undefined || field[name]?.length === 0);
}

/** GetEventSelectors' selectors for a trail: `selectors` as set with PutEventSelectors, or undefined for a trail without custom ones. */
export function eventSelectorsAnswer(trail: string, selectors: TrailEventSelectors | undefined): { EventSelectors: EventSelector[] } | { AdvancedEventSelectors: AdvancedEventSelector[] } {
  if (selectors === undefined) return { EventSelectors: [{ ...DEFAULT_EVENT_SELECTOR }] };
  checkTrailEventSelectors(trail, selectors);
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (advanced.length > 0) return { AdvancedEventSelectors: advanced };
  return {
    EventSelectors: (selectors.EventSelectors ?? []).map((selector) => ({
      ReadWriteType: selector.ReadWriteType ?? 'All',
      IncludeManagementEvents: selector.IncludeManagementEvents ?? true,
      DataResources: selector.DataResources ?? [],
      ExcludeManagementEventSources: selector.ExcludeManagementEventSources ?? [],
    })),
  };
}
