/**
 * What every command does with its command line: `--help` prints the usage
 * on stdout and exits 0; an unknown option, a missing value or a stray
 * argument prints the reason and the usage on stderr and exits 2, never a
 * stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command writes: a stream's `write` (and whether it is a terminal). */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CommandIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
}

export const processIo = (): CommandIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

/** A usage error: the command prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<T extends Options> = { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : T[K] extends { multiple: true } ? string[] : string };

export type ParsedCommandLine<T extends Options> = { values: Values<T> } | { exitCode: number };

/**
 * Parses `argv` strictly (no positionals) with `options` plus `--help`/`-h`.
 * Returns the values, or the exit code after printing the usage (0 for
 * --help, 2 for a usage error).
 */
export function parseCommandLine<T extends Options>(command: string, usage: string, argv: readonly string[], options: T, io: CommandIo): ParsedCommandLine<T> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (err: unknown) {
    return usageError(command, usage, err instanceof Error ? err.message : String(err), io);
  }
  if (values.help === true) {
    io.stdout.write(`${usage}\n`);
    return { exitCode: 0 };
  }
  delete values.help;
  return { values: values as Values<T> };
}

/** Prints `<command>: <reason>` and the usage on stderr; gives exit code 2. */
export function usageError(command: string, usage: string, reason: string, io: CommandIo): { exitCode: 2 } {
  io.stderr.write(`${command}: ${reason}\n\n${usage}\n`);
  return { exitCode: 2 };
}
