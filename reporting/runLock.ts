/**
 * One reporting run at a time on an operator's host (the Lambda relies on
 * reserved concurrency 1 instead), as Hammer's SingletonInstance does: a lock
 * file created with O_EXCL holding the owner's pid. A lock whose pid is no
 * longer running (a run that was killed) is stale and taken over.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Hammer's lock name: `hammer-<module>.lock` in the temp folder. */
export function defaultLockPath(module = 'create_cloudtrail_tickets'): string {
  return join(tmpdir(), `hammer-${module}.lock`);
}

export class RunLockedError extends Error {
  override readonly name = 'RunLockedError';
  constructor(readonly path: string, readonly holderPid: number | undefined) {
    super(`another run holds the lock ${path}${holderPid === undefined ? '' : ` (pid ${holderPid})`}`);
  }
}

export interface RunLock {
  readonly path: string;
  /** Removes the lock file if it is still this run's. */
  release(): void;
}

export interface RunLockOptions {
  pid?: number;
  /** Whether a process runs (default: signal 0). */
  isAlive?: (pid: number) => boolean;
  /** A lock file without a readable pid older than this is stale (a crash between create and write). */
  unreadableStaleAfterMs?: number;
  now?: () => number;
}

export function acquireRunLock(path: string, options: RunLockOptions = {}): RunLock {
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processIsAlive;
  const now = options.now ?? Date.now;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (err: unknown) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      if (holder === 'gone') continue;
      const stale = holder === undefined
        ? now() - modifiedAt(path) > (options.unreadableStaleAfterMs ?? 60_000)
        : holder !== pid && !isAlive(holder);
      if (!stale) throw new RunLockedError(path, holder);
      // Only remove the file if it is still the stale one read above.
      if (readHolder(path) === holder) removeQuietly(path);
      continue;
    }
    try {
      writeSync(fd, `${pid}\n`);
    } finally {
      closeSync(fd);
    }
    return {
      path,
      release: () => {
        if (readHolder(path) === pid) removeQuietly(path);
      },
    };
  }
  throw new RunLockedError(path, undefined);
}

/** The pid in the lock file; undefined when unreadable; 'gone' when the file disappeared. */
function readHolder(path: string): number | undefined | 'gone' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: unknown) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
