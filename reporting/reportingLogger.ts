/**
 * The production Log of reporting: Powertools Logger (one JSON object per
 * line, with the Lambda request id once `addContext` ran), seen through the
 * `Log` interface domain code uses.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import type { Log, LogFields } from '../library/logger.ts';

export function logOf(logger: Logger): Log {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields): void => {
    if (fields === undefined) logger[level](message);
    else logger[level](message, fields as LogAttributes);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
