/**
 * The one error class of the configuration model. Its message always names the
 * file, the JSON path inside it, what was expected and what was found, so an
 * operator can fix a broken config without reading code.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly file: string,
    readonly jsonPath: string,
    readonly expected: string,
    readonly found: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${jsonPath || '(root)'}: expected ${expected}, found ${found}`, options);
  }
}

/** A short, log-safe description of a JSON value for error messages. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      return `the string ${JSON.stringify(shown)}`;
    }
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
