import type { CommandIo } from '../../library/cli/commandLine.ts';

/** A command's stdout and stderr, captured, with the environment it sees. */
export interface CapturedIo extends CommandIo {
  out(): string;
  err(): string;
}

export function captureIo(options: { env?: NodeJS.ProcessEnv; stderrIsTTY?: boolean } = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: options.stderrIsTTY ?? false },
    env: options.env ?? {},
    out: () => out,
    err: () => err,
  };
}
