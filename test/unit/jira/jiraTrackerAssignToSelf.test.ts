/** assignToAuthenticatedUser: remediation's reassignment of a fixed issue's ticket to hammer's JIRA user, as Hammer's remediate_issue does. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TrackerError } from '../../../reporting/ticketTracker.ts';
import { BOT, SUPPORT, startJiraWorld, ticketRequest } from '../../fakes/fakeJiraFixtures.ts';

const test = suite('jiraTracker assignToAuthenticatedUser');

for (const flavour of ['server', 'cloud'] as const) {
  test(`${flavour}: assigns the ticket to the authenticated user, named as the flavour names users`, async () => {
    const world = await startJiraWorld({ flavour });
    try {
      const { key } = await world.tracker.createTicket(ticketRequest({ owner: SUPPORT.name }));
      world.jira.requests.length = 0;
      await world.tracker.assignToAuthenticatedUser(key);
      assert.is(world.jira.issue(key)?.assignee, BOT.name);
      const assign = world.jira.requestsTo('PUT', /assignee$/).at(-1);
      assert.equal(assign?.body, flavour === 'cloud' ? { accountId: BOT.accountId } : { name: BOT.name });
    } finally {
      await world.stop();
    }
  });
}

test('a Closed ticket refuses the assignment with 400 (TrackerError)', async () => {
  const world = await startJiraWorld({ flavour: 'server' });
  try {
    const { key } = await world.tracker.createTicket(ticketRequest());
    world.jira.setStatus(key, 'Closed');
    try {
      await world.tracker.assignToAuthenticatedUser(key);
      assert.unreachable('expected a refusal');
    } catch (err: unknown) {
      assert.instance(err, TrackerError);
      assert.is((err as TrackerError).status, 400);
      assert.is((err as TrackerError).operation, 'assignToAuthenticatedUser');
    }
  } finally {
    await world.stop();
  }
});

test.run();
