import type { Logger } from '@aws-lambda-powertools/logger';
import type { Log, LogFields } from './logger.ts';

/**
 * Powertools' Logger seen as our `Log`: its methods take extra keys as
 * `...extraInput`, which TypeScript does not accept for `fields?`, so each
 * call is passed on explicitly. Lines stay Powertools' JSON (level, message,
 * timestamp, service, Lambda request id once `addContext` ran) plus the fields.
 */
export function powertoolsLog(logger: Logger): Log {
  const forward = (write: (message: string, ...extra: LogFields[]) => void) => (message: string, fields?: LogFields): void => {
    if (fields === undefined) write(message);
    else write(message, fields);
  };
  return {
    debug: forward(logger.debug.bind(logger)),
    info: forward(logger.info.bind(logger)),
    warn: forward(logger.warn.bind(logger)),
    error: forward(logger.error.bind(logger)),
  };
}
