import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { acquireRunLock, RunLockedError } from '../../../reporting/runLock.ts';

const test = suite('runLock');
let dir: string;
let path: string;

test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'hammer-lock-'));
  path = join(dir, 'hammer-create_cloudtrail_tickets.lock');
});

test.after.each(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('creates the lock file with the pid and removes it on release', () => {
  const lock = acquireRunLock(path, { pid: 4242 });
  assert.is(readFileSync(path, 'utf8'), '4242\n');
  lock.release();
  assert.is(existsSync(path), false);
});

test('refuses a second run while the holder runs', () => {
  const lock = acquireRunLock(path, { pid: 4242 });
  try {
    acquireRunLock(path, { pid: 5353, isAlive: (pid) => pid === 4242 });
    assert.unreachable('the second run should be refused');
  } catch (err: unknown) {
    assert.instance(err, RunLockedError);
    assert.is((err as RunLockedError).holderPid, 4242);
  }
  assert.is(readFileSync(path, 'utf8'), '4242\n');
  lock.release();
});

test('takes over a lock left by a run that no longer runs', () => {
  writeFileSync(path, '999999\n');
  const lock = acquireRunLock(path, { pid: 5353, isAlive: () => false });
  assert.is(readFileSync(path, 'utf8'), '5353\n');
  lock.release();
});

test('the real liveness check sees this process alive and a finished one dead', () => {
  writeFileSync(path, `${process.pid}\n`);
  assert.throws(() => acquireRunLock(path, { pid: process.pid + 1 }), (err: unknown) => err instanceof RunLockedError);
  writeFileSync(path, '2147483646\n');
  acquireRunLock(path, { pid: process.pid }).release();
  assert.is(existsSync(path), false);
});

test('an unreadable lock file is respected while fresh and taken over when old', () => {
  writeFileSync(path, '');
  assert.throws(() => acquireRunLock(path, { pid: 5353 }), (err: unknown) => err instanceof RunLockedError);
  const old = new Date(Date.now() - 5 * 60_000);
  utimesSync(path, old, old);
  acquireRunLock(path, { pid: 5353 }).release();
});

test('release leaves a lock that another run took over', () => {
  const lock = acquireRunLock(path, { pid: 4242 });
  writeFileSync(path, '5353\n');
  lock.release();
  assert.is(readFileSync(path, 'utf8'), '5353\n');
});

test.run();
