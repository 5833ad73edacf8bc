/**
 * How reporting gets its TicketTracker: from jira config and the `credentials`
 * map of the credentials table's "jira" item. Injected, so the reporting flow
 * does not care which implementation it talks to (the JIRA REST client of
 * reporting/jira in production, an in-memory double in tests).
 */
import type { JiraConfig } from '../config/hammerConfig.ts';
import type { Log } from '../library/runtime/logger.ts';
import type { TicketTracker } from './ticketTracker.ts';

export interface TrackerFactoryInput {
  jira: JiraConfig;
  /** The `credentials` map of the item `service = "jira"`: `oauth`, `basic` or `token`. */
  credentials: Record<string, unknown>;
  /** The config folder, against which jira.ca_bundle is resolved. */
  configDir: string;
  log: Log;
}

/** Creates the tracker for one run; throws (a clear error) on unusable credentials. */
export type TicketTrackerFactory = (input: TrackerFactoryInput) => TicketTracker | Promise<TicketTracker>;

/** The tracker's client could not be loaded (a broken deployment, not the credentials). */
export class TrackerClientLoadError extends Error {
  override readonly name = 'TrackerClientLoadError';
}
