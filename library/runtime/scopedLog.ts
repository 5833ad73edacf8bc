import type { Log, LogFields } from './logger.ts';

/**
 * A Log that adds the same keys (account_id, region, ...) to every line,
 * without touching the shared logger: regions are checked concurrently, so
 * appending keys to one process-wide logger would mix them up.
 */
export function scopedLog(log: Log, scope: LogFields): Log {
  return {
    debug: (message, fields) => log.debug(message, { ...scope, ...fields }),
    info: (message, fields) => log.info(message, { ...scope, ...fields }),
    warn: (message, fields) => log.warn(message, { ...scope, ...fields }),
    error: (message, fields) => log.error(message, { ...scope, ...fields }),
  };
}
