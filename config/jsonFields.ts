import { ConfigError, describeFound } from './configError.ts';

/**
 * Typed reads of one parsed JSON file. Each read names the file and the JSON
 * path in its error, which is why this is hand-written rather than a schema
 * library: the messages are the product here, and the rules (Hammer's
 * string-or-boolean flags, keys containing dots) are few and specific.
 */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Joins a parent path and a key; keys that are not identifiers are quoted, e.g. cloudtrails["ddb.table_name"]. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const part = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (!parent) return part.startsWith('[') ? `$${part}` : part;
  return part.startsWith('[') ? `${parent}${part}` : `${parent}.${part}`;
}

export class JsonFields {
  constructor(readonly file: string) {}

  fail(path: string, expected: string, found: unknown): never {
    throw new ConfigError(this.file, path, expected, describeFound(found));
  }

  object(value: unknown, path: string): JsonObject {
    if (!isJsonObject(value)) this.fail(path, 'an object', value);
    return value;
  }

  optionalObject(parent: JsonObject, key: string, path: string): JsonObject | undefined {
    const value = parent[key];
    if (value === undefined) return undefined;
    return this.object(value, joinPath(path, key));
  }

  requiredObject(parent: JsonObject, key: string, path: string): JsonObject {
    return this.object(parent[key], joinPath(path, key));
  }

  requiredString(parent: JsonObject, key: string, path: string): string {
    const value = parent[key];
    if (typeof value !== 'string' || value === '') this.fail(joinPath(path, key), 'a non-empty string', value);
    return value;
  }

  optionalString(parent: JsonObject, key: string, path: string): string | undefined {
    const value = parent[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(joinPath(path, key), 'a string', value);
    return value;
  }

  /**
   * A flag as Hammer's config files write it: a JSON boolean, or the strings
   * "true"/"false" in any case (the playbook's sample writes "enabled": "true").
   * Python would treat "false" as true; here anything else is an error.
   */
  flag(parent: JsonObject, key: string, path: string, fallback: boolean): boolean {
    const value = parent[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const lowered = value.trim().toLowerCase();
      if (lowered === 'true') return true;
      if (lowered === 'false') return false;
    }
    return this.fail(joinPath(path, key), 'a boolean or the string "true" or "false"', value);
  }

  optionalNumber(parent: JsonObject, key: string, path: string, bounds: { min?: number } = {}): number | undefined {
    const value = parent[key];
    if (value === undefined || value === null) return undefined;
    const min = bounds.min ?? Number.NEGATIVE_INFINITY;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      this.fail(joinPath(path, key), bounds.min === undefined ? 'a number' : `a number >= ${bounds.min}`, value);
    }
    return value;
  }

  optionalStringList(parent: JsonObject, key: string, path: string): string[] | undefined {
    const value = parent[key];
    if (value === undefined || value === null) return undefined;
    const listPath = joinPath(path, key);
    if (!Array.isArray(value)) this.fail(listPath, 'an array of strings', value);
    return value.map((item, index) => {
      if (typeof item !== 'string') this.fail(joinPath(listPath, index), 'a string', item);
      return item;
    });
  }

  /** A string or a list of strings (ticket_owners.json's slack_owner), always returned as a list. */
  stringOrList(value: unknown, path: string): string[] {
    if (typeof value === 'string') return [value];
    if (!Array.isArray(value)) this.fail(path, 'a string or an array of strings', value);
    return value.map((item, index) => {
      if (typeof item !== 'string') this.fail(joinPath(path, index), 'a string', item);
      return item;
    });
  }

  stringMap(parent: JsonObject, key: string, path: string, required: boolean): Record<string, string> | undefined {
    const value = parent[key];
    const mapPath = joinPath(path, key);
    if (value === undefined && !required) return undefined;
    const object = this.object(value, mapPath);
    for (const [entryKey, entryValue] of Object.entries(object)) {
      if (typeof entryValue !== 'string') this.fail(joinPath(mapPath, entryKey), 'a string', entryValue);
    }
    // The parsed object itself, checked: copying it key by key costs ~10 ms
    // at a cold start for an organisation's 1000 accounts (issue 12).
    return object as Record<string, string>;
  }
}
