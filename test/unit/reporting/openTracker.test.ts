/**
 * openTracker with JIRA on: a JIRA client that cannot load is a broken
 * deployment, reported as such (TrackerClientUnavailable), not as credentials
 * to store again; credentials the client refuses stay CredentialsUnusable.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ReportingSetupError, openTracker, type TrackerAndNotifierDeps } from '../../../reporting/reportingRun.ts';
import { TrackerClientLoadError } from '../../../reporting/trackerFactory.ts';
import { testConfig } from '../../helpers/identificationRig.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';

const test = suite('openTracker');

function deps(createTracker: TrackerAndNotifierDeps['createTracker']): TrackerAndNotifierDeps {
  const config = testConfig({ change: (json) => void ((json.jira as Record<string, unknown>).enabled = true) });
  return {
    config,
    log: new RecordingLog(),
    readCredentials: async () => ({ token: 'a-personal-access-token' }),
    createTracker,
    createNotifier: () => {
      throw new Error('not used');
    },
  };
}

async function failure(createTracker: TrackerAndNotifierDeps['createTracker']): Promise<ReportingSetupError> {
  try {
    await openTracker(deps(createTracker));
  } catch (err: unknown) {
    if (err instanceof ReportingSetupError) return err;
    throw err;
  }
  throw new Error('openTracker did not fail');
}

test('a JIRA client that cannot load is TrackerClientUnavailable, saying to deploy again, not to store the credentials again', async () => {
  const err = await failure(async () => {
    throw new TrackerClientLoadError('could not load the JIRA client: Cannot find module ./jira/jiraTracker.ts');
  });
  assert.is(err.code, 'TrackerClientUnavailable');
  assert.match(err.message, 'could not load the JIRA client');
  assert.match(err.message, 'build and deploy the zip again');
  assert.not.match(err.message, 'npm run credentials');
});

test('credentials the client refuses are CredentialsUnusable, saying to store them again', async () => {
  const err = await failure(async () => {
    throw new Error('jira credentials: token must be a non-empty string');
  });
  assert.is(err.code, 'CredentialsUnusable');
  assert.match(err.message, 'store them again with npm run credentials');
});

test.run();
