import type { Log, LogFields } from '../../library/runtime/logger.ts';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/** A Log that keeps every line, for assertions on what an operator would see. */
export class RecordingLog implements Log {
  readonly entries: LogEntry[] = [];

  debug(message: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'debug', message, fields });
  }
  info(message: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'info', message, fields });
  }
  warn(message: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'warn', message, fields });
  }
  error(message: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'error', message, fields });
  }

  at(level: LogEntry['level']): LogEntry[] {
    return this.entries.filter((entry) => entry.level === level);
  }

  /** Every line as the JSON text a log group would hold, to search for leaked secrets. */
  text(): string {
    return this.entries.map((entry) => JSON.stringify(entry)).join('\n');
  }
}
