import { Logger } from '@aws-lambda-powertools/logger';

/** Keys every log line about an account, a region or an AWS call carries. */
export type LogFields = Record<string, unknown>;

/**
 * What domain code needs of a logger. Powertools' Logger satisfies it in
 * production (one JSON object per line with level, message, timestamp,
 * service and, once `addContext` ran, the Lambda request id); tests pass a
 * recording logger.
 */
export interface Log {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * The production logger of one component. The level comes from
 * POWERTOOLS_LOG_LEVEL / AWS_LAMBDA_LOG_LEVEL (default INFO), as Powertools reads it.
 */
export function createLogger(service: string): Logger {
  return new Logger({ serviceName: service });
}
