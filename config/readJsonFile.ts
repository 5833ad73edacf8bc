import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError } from './configError.ts';

/**
 * Reads and parses one JSON config file. A missing optional file gives
 * `undefined`; a missing required file or invalid JSON is a ConfigError that
 * names the file (and, for bad JSON, the parser's position).
 */
export function readJsonFile(path: string, options: { optional: boolean }): unknown {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err: unknown) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.optional) return undefined;
    throw new ConfigError(file, '', 'a readable JSON file', code === 'ENOENT' ? `no file at ${path}` : `an unreadable file (${code ?? String(err)})`, { cause: err });
  }
  try {
    // Strip a UTF-8 byte order mark some editors add: JSON.parse rejects it.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err: unknown) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(file, '', 'valid JSON', `invalid JSON (${reason})`, { cause: err });
  }
}
