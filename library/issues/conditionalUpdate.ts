/**
 * Builds DynamoDB UpdateItem expressions from document paths, so that each
 * writer changes only the attributes it owns and states what it expects to
 * find (optimistic concurrency without adding a version attribute, which
 * would change the item's shape).
 */
export type DocumentPath = readonly string[];

/** An expectation on a stored attribute: a value, `null` (absent or NULL), or `absent`. */
export type Expectation = { path: DocumentPath; equals: unknown } | { path: DocumentPath; isNullOrAbsent: true } | { path: DocumentPath; absent: true };

export interface UpdateExpressions {
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

export function buildConditionalUpdate(sets: ReadonlyArray<[DocumentPath, unknown]>, expectations: readonly Expectation[]): UpdateExpressions {
  const names = new Map<string, string>();
  const values: Record<string, unknown> = {};
  const nameOf = (segment: string): string => {
    let placeholder = names.get(segment);
    if (placeholder === undefined) {
      placeholder = `#n${names.size}`;
      names.set(segment, placeholder);
    }
    return placeholder;
  };
  const pathOf = (path: DocumentPath): string => path.map(nameOf).join('.');
  const valueOf = (value: unknown): string => {
    const placeholder = `:v${Object.keys(values).length}`;
    values[placeholder] = value;
    return placeholder;
  };

  const assignments = sets.map(([path, value]) => `${pathOf(path)} = ${valueOf(value)}`);
  const conditions = expectations.map((expectation) => {
    const path = pathOf(expectation.path);
    if ('equals' in expectation) return `${path} = ${valueOf(expectation.equals)}`;
    if ('absent' in expectation) return `attribute_not_exists(${path})`;
    return `(attribute_not_exists(${path}) OR attribute_type(${path}, ${valueOf('NULL')}))`;
  });

  return {
    UpdateExpression: `SET ${assignments.join(', ')}`,
    ...(conditions.length > 0 ? { ConditionExpression: conditions.join(' AND ') } : {}),
    ExpressionAttributeNames: Object.fromEntries([...names].map(([segment, placeholder]) => [placeholder, segment])),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}
