/**
 * The production TicketTrackerFactory: the JIRA REST client of reporting/jira,
 * one tracker per run, from jira config and the credentials item. A broken
 * item throws JiraCredentialsError (naming the field, never the secret), which
 * stops the run before any issue is touched (reporting/reportingRun.ts).
 */
import { parseJiraCredentials } from './jira/jiraCredentials.ts';
import { createJiraTracker, type JiraTrackerDeps } from './jira/jiraTracker.ts';
import type { TicketTrackerFactory } from './trackerFactory.ts';

/** `deps` overrides the client's process-wide defaults (tests make waits instant). */
export function jiraTrackerFactory(deps?: Partial<JiraTrackerDeps>): TicketTrackerFactory {
  return ({ jira, credentials, configDir, log }) =>
    createJiraTracker({ jira, credentials: parseJiraCredentials(credentials), configDir, log, deps });
}
