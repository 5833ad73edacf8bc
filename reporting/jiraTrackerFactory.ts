/**
 * The production TicketTrackerFactory: the JIRA REST client of reporting/jira,
 * one tracker per run, from jira config and the credentials item. A broken
 * item throws JiraCredentialsError (naming the field, never the secret), which
 * stops the run before any issue is touched (reporting/reportingRun.ts).
 *
 * The client is loaded when the first tracker is made (a dynamic import): it
 * is, with axios, about 100 KB of the reporting and remediation bundles and
 * some 8 ms of their cold starts (issue 12), and a run with JIRA off, or with
 * remediation off, never makes one.
 */
import type { JiraTrackerDeps } from './jira/jiraTracker.ts';
import { TrackerClientLoadError, type TicketTrackerFactory } from './trackerFactory.ts';

/** `deps` overrides the client's process-wide defaults (tests make waits instant). */
export function jiraTrackerFactory(deps?: Partial<JiraTrackerDeps>): TicketTrackerFactory {
  return async ({ jira, credentials, configDir, log }) => {
    let modules: [typeof import('./jira/jiraCredentials.ts'), typeof import('./jira/jiraTracker.ts')];
    try {
      modules = await Promise.all([import('./jira/jiraCredentials.ts'), import('./jira/jiraTracker.ts')]);
    } catch (err: unknown) {
      throw new TrackerClientLoadError(`could not load the JIRA client: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const [{ parseJiraCredentials }, { createJiraTracker }] = modules;
    return createJiraTracker({ jira, credentials: parseJiraCredentials(credentials), configDir, log, deps });
  };
}
