/**
 * Stands in, in the bundled Lambdas only, for `mnemonist/lru-cache` (with
 * `obliterator` and mnemonist's typed-array helpers, 7 KB of bundle), which
 * the DynamoDB client's endpoint-discovery cache (@aws-sdk/endpoint-cache)
 * creates at every client construction and uses only when endpoint discovery
 * is on. The same least-recently-used cache over a Map, for the part of
 * mnemonist's API that @aws-sdk/endpoint-cache calls (constructor(capacity),
 * get, peek, has, set, clear), with its semantics: keys are property names
 * (strings), `get` and `set` make a key the most recent, `peek` and `has` do
 * not, and a `set` into a full cache drops the least recent key. build.mjs
 * aliases `mnemonist/lru-cache` here (issue 12); a test runs both on the same
 * operations (test/unit/build/sdkBundleTransforms.test.ts).
 */
export default class LruCacheStandIn<V = unknown> {
  readonly capacity: number;
  private readonly entries = new Map<string, V>();

  constructor(capacity: number) {
    if (typeof capacity !== 'number' || capacity <= 0) throw new Error('mnemonist/lru-cache: capacity should be positive number.');
    // mnemonist sizes a typed array and an Array by the capacity, which V8 refuses for these.
    if (capacity === Number.POSITIVE_INFINITY) throw new RangeError('Invalid typed array length: Infinity');
    if (!Number.isInteger(capacity) || capacity > 4294967295) throw new RangeError('Invalid array length');
    this.capacity = capacity;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: unknown): V | undefined {
    const name = String(key);
    if (!this.entries.has(name)) return undefined;
    const value = this.entries.get(name) as V;
    this.entries.delete(name);
    this.entries.set(name, value);
    return value;
  }

  peek(key: unknown): V | undefined {
    return this.entries.get(String(key));
  }

  has(key: unknown): boolean {
    return this.entries.has(String(key));
  }

  set(key: unknown, value: V): void {
    const name = String(key);
    if (this.entries.has(name)) this.entries.delete(name);
    else if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(name, value);
  }

  clear(): void {
    this.entries.clear();
  }
}
