/**
 * The production TicketTrackerFactory: the JIRA REST client of reporting/jira.
 *
 * That client is built on its own branch; until it is merged, this factory
 * refuses with a clear error, so a run with jira.enabled true stops before
 * marking any issue reported without its ticket. Wiring it is one line here.
 */
import type { TicketTracker } from './ticketTracker.ts';
import type { TicketTrackerFactory, TrackerFactoryInput } from './trackerFactory.ts';

export class JiraClientMissingError extends Error {
  override readonly name = 'JiraClientMissingError';
}

export const jiraTrackerFactory: TicketTrackerFactory = (_input: TrackerFactoryInput): TicketTracker => {
  throw new JiraClientMissingError('this build has no JIRA client (reporting/jira); set jira.enabled to false or use a build that has it');
};
