/** The clock, injected so tests can fix "now". */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * A timestamp exactly as Hammer's Python writes it,
 * `datetime.now(timezone.utc).isoformat()`: `2026-11-26T15:56:20.123000+00:00`
 * (microseconds; Python leaves the fraction out when it is zero). Hammer's
 * reporting compares these as strings, so the format must not change.
 */
export function pythonIsoTimestamp(date: Date): string {
  const iso = date.toISOString(); // 2026-11-26T15:56:20.123Z
  const seconds = iso.slice(0, 19);
  const millis = date.getUTCMilliseconds();
  const fraction = millis === 0 ? '' : `.${String(millis).padStart(3, '0')}000`;
  return `${seconds}${fraction}+00:00`;
}

/** Parses a stored timestamp (Python isoformat, with or without fraction/offset) to epoch milliseconds. */
export function parseTimestamp(value: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (!match) return Number.NaN;
  const fraction = match[2] ? `.${match[2].slice(1, 4).padEnd(3, '0')}` : '';
  return Date.parse(`${match[1]}${fraction}${match[3] ?? 'Z'}`);
}
