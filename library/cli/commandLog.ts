/**
 * The log of a command run from a terminal: JSON lines on stderr (stdout
 * holds the command's output) only when asked (--verbose), and every error
 * line kept, so the command can say in one line why something failed.
 */
import type { Log, LogFields } from '../runtime/logger.ts';
import type { OutputStream } from './commandLine.ts';

type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export class CommandLog implements Log {
  /** The fields of every error line, in order. */
  readonly errors: LogFields[] = [];

  constructor(
    private readonly service: string,
    private readonly stream: OutputStream | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.write('DEBUG', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.write('INFO', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.write('WARN', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.errors.push({ message, ...fields });
    this.write('ERROR', message, fields);
  }

  private write(level: Level, message: string, fields: LogFields | undefined): void {
    if (this.stream === undefined) return;
    this.stream.write(`${JSON.stringify({ level, message, timestamp: this.now().toISOString(), service: this.service, ...fields })}\n`);
  }
}
