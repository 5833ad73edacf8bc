/**
 * Ends a command with its exit code once stdout and stderr have taken all
 * that was written (a pipe may still hold output when a plain
 * process.exit runs), without waiting for what keeps the event loop busy
 * (kept-alive HTTP connections, the pacer's last one-second holds).
 */
export function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = (): void => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
