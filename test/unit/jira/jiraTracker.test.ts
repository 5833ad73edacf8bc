import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { parseJiraCredentials } from '../../../reporting/jira/jiraCredentials.ts';
import { TrackerError } from '../../../reporting/ticketTracker.ts';
import { BOB, BOT, CAROL, SECRETS, SUPPORT, credentialsItem, oauthKeyPair, startJiraWorld, ticketRequest, type JiraWorld } from '../../fakes/fakeJiraFixtures.ts';
import type { FakeJiraFlavour } from '../../fakes/fakeJiraServer.ts';

const test = suite('jiraTracker');

/** Runs `body` against a fresh fake JIRA and tracker, and always stops the fake. */
async function inWorld(options: Parameters<typeof startJiraWorld>[0], body: (world: JiraWorld) => Promise<void>): Promise<void> {
  const world = await startJiraWorld(options);
  try {
    await body(world);
  } finally {
    await world.stop();
  }
}

async function rejection(promise: Promise<unknown>): Promise<TrackerError> {
  try {
    await promise;
  } catch (err: unknown) {
    assert.instance(err, TrackerError);
    return err as TrackerError;
  }
  throw new Error('expected a TrackerError');
}

/** The id each flavour names a user by. */
const idOf = (flavour: FakeJiraFlavour, user: { name: string; accountId: string }) => (flavour === 'cloud' ? user.accountId : user.name);

for (const flavour of ['server', 'cloud'] as const) {
  test(`${flavour}: creates a ticket with project, summary, description, type, priority and labels, and returns its key at once`, async () => {
    await inWorld({ flavour }, async ({ jira, tracker }) => {
      const request = ticketRequest({ owner: SUPPORT.name, parentTicket: 'AWSSEC-99' });
      const created = await tracker.createTicket(request);

      assert.equal(created, { key: 'AWSSEC-1' });
      const issue = jira.issue('AWSSEC-1');
      assert.ok(issue);
      assert.is(issue.summary, request.summary);
      assert.is(issue.description, request.description);
      assert.is(issue.issueType, 'Task');
      assert.is(issue.priority, 'Major');
      assert.equal(issue.labels, ['cloudtrail-issue']);
      assert.is(issue.reporter, BOT.name);
      // Creation is one request: follow-ups wait for completeTicket.
      assert.equal(
        jira.requests.map((r) => `${r.method} ${r.path}`),
        ['POST /rest/api/2/issue'],
      );
      assert.equal(jira.requests[0]?.body, {
        fields: {
          project: { key: 'AWSSEC' },
          summary: request.summary,
          description: request.description,
          issuetype: { name: 'Task' },
          priority: { name: 'Major' },
          labels: ['cloudtrail-issue'],
        },
      });
    });
  });

  test(`${flavour}: completes a ticket: parent linked "relates to", the owner assigned and added as watcher`, async () => {
    await inWorld({ flavour }, async ({ jira, tracker }) => {
      jira.addIssue({ project: 'AWSSEC', summary: 'CloudTrail parent' });
      // On Cloud the owner in ticket_owners.json is typically an e-mail or an account id.
      const owner = flavour === 'cloud' ? SUPPORT.emailAddress : SUPPORT.name;
      const request = ticketRequest({ owner, parentTicket: 'AWSSEC-1' });
      const { key } = await tracker.createTicket(request);
      const followUp = await tracker.completeTicket(key, request);

      assert.is(key, 'AWSSEC-2');
      assert.equal(followUp, { assigneeId: idOf(flavour, SUPPORT) });
      const issue = jira.issue(key);
      assert.is(issue?.assignee, SUPPORT.name);
      assert.equal(issue?.watchers, [BOT.name, SUPPORT.name]);
      assert.equal(issue?.links, [{ type: 'Relates', inward: 'AWSSEC-2', outward: 'AWSSEC-1' }]);
      assert.equal(jira.issue('AWSSEC-1')?.links, [{ type: 'Relates', inward: 'AWSSEC-2', outward: 'AWSSEC-1' }]);

      const search = jira.requestsTo('GET', '/rest/api/2/user/assignable/search')[0];
      assert.equal(search?.query, flavour === 'cloud' ? { project: 'AWSSEC', query: owner, maxResults: '50' } : { project: 'AWSSEC', username: owner, maxResults: '50' });
      assert.equal(jira.requestsTo('PUT', '/rest/api/2/issue/AWSSEC-2/assignee')[0]?.body, flavour === 'cloud' ? { accountId: SUPPORT.accountId } : { name: SUPPORT.name });
      assert.equal(jira.requestsTo('POST', '/rest/api/2/issue/AWSSEC-2/watchers')[0]?.body, idOf(flavour, SUPPORT));
      assert.equal(jira.requestsTo('POST', '/rest/api/2/issueLink')[0]?.body, { type: { name: 'Relates' }, inwardIssue: { key: 'AWSSEC-2' }, outwardIssue: { key: 'AWSSEC-1' } });
    });
  });

  test(`${flavour}: assigns the authenticated user when the owner is not assignable in the project`, async () => {
    await inWorld({ flavour }, async ({ jira, tracker, log }) => {
      const owner = flavour === 'cloud' ? CAROL.accountId : CAROL.name;
      const request = ticketRequest({ owner });
      const { key } = await tracker.createTicket(request);
      const followUp = await tracker.completeTicket(key, request);

      assert.equal(followUp, { assigneeId: idOf(flavour, BOT) });
      assert.is(jira.issue(key)?.assignee, BOT.name);
      assert.equal(jira.issue(key)?.watchers, [BOT.name]);
      assert.is(jira.requestsTo('GET', '/rest/api/2/myself').length, 1);
      assert.ok(log.entries.some((e) => e.message.includes('owner is not assignable') && e.fields.ticket_key === key));
      if (flavour === 'cloud') {
        // An account id is looked up by accountId, not by a text query.
        assert.equal(jira.requestsTo('GET', '/rest/api/2/user/assignable/search')[0]?.query, { project: 'AWSSEC', accountId: CAROL.accountId, maxResults: '50' });
      }
    });
  });

  test(`${flavour}: assigns the authenticated user when ticket_owners.json names no owner`, async () => {
    await inWorld({ flavour }, async ({ jira, tracker }) => {
      const request = ticketRequest();
      const { key } = await tracker.createTicket(request);
      assert.equal(await tracker.completeTicket(key, request), { assigneeId: idOf(flavour, BOT) });
      assert.is(jira.issue(key)?.assignee, BOT.name);
      assert.is(jira.requestsTo('POST', '/rest/api/2/issueLink').length, 0);
    });
  });

  test(`${flavour}: keeps the project's default assignee as the watcher when nobody named is assignable`, async () => {
    await inWorld({ flavour }, async ({ jira, tracker }) => {
      const request = ticketRequest({ project: 'LOCKED', owner: flavour === 'cloud' ? BOB.accountId : BOB.name });
      const { key } = await tracker.createTicket(request);
      const followUp = await tracker.completeTicket(key, request);

      assert.equal(followUp, { assigneeId: idOf(flavour, CAROL) });
      assert.is(jira.requestsTo('PUT', `/rest/api/2/issue/${key}/assignee`).length, 0);
      assert.equal(jira.issue(key)?.watchers, [BOT.name, CAROL.name]);
    });
  });

  test(`${flavour}: a 500 on assign still resolves with what worked and logs the failure`, async () => {
    await inWorld({ flavour }, async ({ jira, tracker, log }) => {
      jira.addIssue({ project: 'AWSSEC' });
      jira.failOn({ method: 'PUT', path: '/rest/api/2/issue/AWSSEC-2/assignee', status: 500 });
      const request = ticketRequest({ owner: flavour === 'cloud' ? SUPPORT.accountId : SUPPORT.name, parentTicket: 'AWSSEC-1' });
      const { key } = await tracker.createTicket(request);
      const followUp = await tracker.completeTicket(key, request);

      assert.equal(followUp, { assigneeId: undefined });
      const issue = jira.issue(key);
      assert.is(issue?.assignee, null);
      assert.equal(issue?.links.length, 1);
      assert.equal(issue?.watchers, [BOT.name, SUPPORT.name]);
      const failure = log.at('error').find((e) => e.fields.operation === 'completeTicket.assign');
      assert.ok(failure, 'the failed assignment is logged');
      assert.is(failure.fields.ticket_key, key);
      assert.is(failure.fields.http_status, 500);
      assert.match(String(failure.fields.error_message), /HTTP 500/);
    });
  });
}

test('server: picks the exact user among the users a prefix search finds', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker }) => {
    const request = ticketRequest({ owner: 'bob' });
    const { key } = await tracker.createTicket(request);
    assert.equal(await tracker.completeTicket(key, request), { assigneeId: 'bob' });
    assert.is(jira.issue(key)?.assignee, BOB.name);
  });
});

test('a failed owner lookup falls back to the authenticated user, logged', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker, log }) => {
    jira.failOn({ method: 'GET', path: '/rest/api/2/user/assignable/search', status: 500 });
    const request = ticketRequest({ owner: SUPPORT.name });
    const { key } = await tracker.createTicket(request);
    assert.equal(await tracker.completeTicket(key, request), { assigneeId: BOT.name });
    assert.is(jira.issue(key)?.assignee, BOT.name);
    const warning = log.at('warn').find((e) => e.fields.assignee_source === 'owner');
    assert.is(warning?.fields.ticket_key, key);
    assert.is(warning?.fields.http_status, 500);
  });
});

test('completeTicket never throws, even when every follow-up fails', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker, log }) => {
    const request = ticketRequest({ owner: SUPPORT.name, parentTicket: 'AWSSEC-404' });
    const { key } = await tracker.createTicket(request);
    jira.failOn({ method: 'GET', path: '/rest/api/2/serverInfo', status: 500, times: 'always' });
    jira.failOn({ method: 'GET', path: '/rest/api/2/myself', status: 500, times: 'always' });

    assert.equal(await tracker.completeTicket(key, request), { assigneeId: undefined });
    // The missing parent (404) and the unknown deployment are both logged with the ticket key.
    const failed = log.entries.filter((e) => e.message === 'JIRA request failed').map((e) => [e.fields.operation, e.fields.ticket_key, e.fields.http_status]);
    assert.ok(failed.some(([operation, ticket, status]) => operation === 'completeTicket.link' && ticket === key && status === 404));
    assert.ok(failed.some(([operation, ticket]) => operation === 'completeTicket.chooseAssignee' && ticket === key));
  });
});

test('auto deployment asks serverInfo once per tracker', async () => {
  await inWorld({ flavour: 'cloud' }, async ({ jira, tracker }) => {
    for (let n = 0; n < 2; n += 1) {
      const request = ticketRequest({ owner: SUPPORT.accountId });
      const { key } = await tracker.createTicket(request);
      await tracker.completeTicket(key, request);
    }
    assert.is(jira.requestsTo('GET', '/rest/api/2/serverInfo').length, 1);
    assert.is(jira.requestsTo('GET', '/rest/api/2/issueLinkType').length, 0);
    assert.is(jira.issue('AWSSEC-2')?.assignee, SUPPORT.name);
  });
});

test('a configured deployment is used without asking serverInfo', async () => {
  await inWorld({ flavour: 'cloud', jira: { deployment: 'cloud' } }, async ({ jira, tracker }) => {
    const request = ticketRequest({ owner: SUPPORT.emailAddress });
    const { key } = await tracker.createTicket(request);
    assert.equal(await tracker.completeTicket(key, request), { assigneeId: SUPPORT.accountId });
    assert.is(jira.requestsTo('GET', '/rest/api/2/serverInfo').length, 0);
  });
});

test('takes the deployment from the authenticated user when serverInfo cannot be read', async () => {
  await inWorld({ flavour: 'cloud' }, async ({ jira, tracker }) => {
    jira.failOn({ method: 'GET', path: '/rest/api/2/serverInfo', status: 404 });
    const request = ticketRequest({ owner: SUPPORT.accountId });
    const { key } = await tracker.createTicket(request);
    assert.equal(await tracker.completeTicket(key, request), { assigneeId: SUPPORT.accountId });
    assert.equal(jira.requestsTo('PUT', `/rest/api/2/issue/${key}/assignee`)[0]?.body, { accountId: SUPPORT.accountId });
  });
});

for (const flavour of ['server', 'cloud'] as const) {
  test(`${flavour}: adds a comment in wiki markup`, async () => {
    await inWorld({ flavour }, async ({ jira, tracker }) => {
      const { key } = jira.addIssue({ project: 'AWSSEC' });
      await tracker.addComment(key, 'Issue details are changed, please check again.\n||Trail ARN||Enabled||');
      assert.equal(
        jira.issue(key)?.comments.map((c) => [c.body, c.author]),
        [['Issue details are changed, please check again.\n||Trail ARN||Enabled||', BOT.name]],
      );
    });
  });

  test(`${flavour}: adds a label with one atomic update, keeping the others`, async () => {
    await inWorld({ flavour }, async ({ jira, tracker }) => {
      const { key } = jira.addIssue({ project: 'AWSSEC', labels: ['cloudtrail-issue'] });
      await tracker.addLabel(key, 'whitelisted');
      assert.equal(jira.issue(key)?.labels, ['cloudtrail-issue', 'whitelisted']);
      assert.equal(
        jira.requests.map((r) => [r.method, r.path, r.body]),
        [['PUT', `/rest/api/2/issue/${key}`, { update: { labels: [{ add: 'whitelisted' }] } }]],
      );
    });
  });

  test(`${flavour}: closes through the transition named in jira.close_transition, with the comment`, async () => {
    await inWorld({ flavour }, async ({ jira, tracker }) => {
      const { key } = jira.addIssue({ project: 'AWSSEC' });
      const comment = "Closing resolved issue with 'eu-west-1' CloudTrail logging in 'slave1 / 210987654321'";
      assert.is(await tracker.closeTicket(key, comment), 'closed');
      const issue = jira.issue(key);
      assert.is(issue?.status, 'Closed');
      assert.is(issue?.statusCategory, 'done');
      assert.equal(issue?.transitions, ['Close Issue']);
      assert.equal(issue?.comments.map((c) => c.body), [comment]);
      assert.equal(jira.requestsTo('POST', `/rest/api/2/issue/${key}/transitions`)[0]?.body, { transition: { id: '2' }, update: { comment: [{ add: { body: comment } }] } });
    });
  });
}

test('closes through a transition into the done category when none has the configured name', async () => {
  await inWorld({ flavour: 'cloud' }, async ({ jira, tracker }) => {
    const { key } = jira.addIssue({ project: 'CLOUDSEC' });
    assert.is(await tracker.closeTicket(key, 'Closing whitelisted issue'), 'closed');
    assert.is(jira.issue(key)?.status, 'Done');
    assert.equal(jira.issue(key)?.transitions, ['Done']);
    assert.equal(jira.issue(key)?.comments.map((c) => c.body), ['Closing whitelisted issue']);
  });
});

test('uses another configured transition name', async () => {
  await inWorld({ flavour: 'server', jira: { closeTransition: 'resolve issue' } }, async ({ jira, tracker }) => {
    const { key } = jira.addIssue({ project: 'AWSSEC' });
    assert.is(await tracker.closeTicket(key, 'Closing resolved issue'), 'closed');
    assert.is(jira.issue(key)?.status, 'Resolved');
  });
});

test('closes a ticket that is in progress through "Close Issue"', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker }) => {
    const { key } = jira.addIssue({ project: 'AWSSEC', status: 'In Progress' });
    assert.is(await tracker.closeTicket(key, 'Closing resolved issue'), 'closed');
    assert.equal(jira.requestsTo('POST', `/rest/api/2/issue/${key}/transitions`).map((r) => r.body), [{ transition: { id: '2' }, update: { comment: [{ add: { body: 'Closing resolved issue' } }] } }]);
    assert.is(jira.issue(key)?.status, 'Closed');
  });
});

for (const status of ['Closed', 'Resolved']) {
  test(`leaves a ticket already in a done status (${status}) alone`, async () => {
    await inWorld({ flavour: 'server' }, async ({ jira, tracker, log }) => {
      const { key } = jira.addIssue({ project: 'AWSSEC', status });
      assert.is(await tracker.closeTicket(key, 'Closing resolved issue'), 'already-closed');
      assert.equal(jira.requests.map((r) => `${r.method} ${r.path}`), [`GET /rest/api/2/issue/${key}`]);
      assert.equal(jira.requests[0]?.query, { fields: 'status' });
      assert.equal(jira.issue(key)?.comments, []);
      assert.ok(log.entries.some((e) => e.message.includes('already closed') && e.fields.ticket_key === key));
    });
  });
}

test('comments first when the closing transition has no screen for a comment', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker }) => {
    const { key } = jira.addIssue({ project: 'NOSCREEN' });
    assert.is(await tracker.closeTicket(key, 'Closing resolved issue'), 'closed');
    assert.is(jira.issue(key)?.status, 'Closed');
    assert.equal(jira.issue(key)?.comments.map((c) => c.body), ['Closing resolved issue']);
    assert.equal(jira.requestsTo('POST', `/rest/api/2/issue/${key}/transitions`).map((r) => r.body), [
      { transition: { id: '2' }, update: { comment: [{ add: { body: 'Closing resolved issue' } }] } },
      { transition: { id: '2' } },
    ]);
  });
});

test('fails to close, naming the available transitions, when none leads to done', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker }) => {
    const { key } = jira.addIssue({ project: 'AWSSEC' });
    jira.failOn({
      method: 'GET',
      path: `/rest/api/2/issue/${key}/transitions`,
      status: 200,
      body: { transitions: [{ id: '4', name: 'Start Progress', to: { name: 'In Progress', statusCategory: { key: 'indeterminate' } } }] },
    });
    const err = await rejection(tracker.closeTicket(key, 'Closing resolved issue'));
    assert.is(err.operation, 'closeTicket');
    assert.match(err.message, /no transition named "Close Issue"/);
    assert.match(err.message, /"Start Progress"/);
    assert.is(jira.issue(key)?.status, 'Open');
  });
});

test('a failed create throws TrackerError with operation and status and creates nothing', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker, log }) => {
    jira.failOn({ method: 'POST', path: '/rest/api/2/issue', status: 500 });
    const err = await rejection(tracker.createTicket(ticketRequest()));
    assert.is(err.operation, 'createTicket');
    assert.is(err.status, 500);
    assert.equal(jira.issues(), []);
    const line = log.at('error')[0];
    assert.is(line?.fields.operation, 'createTicket');
    assert.is(line?.fields.http_status, 500);
    assert.is(line?.fields.project, 'AWSSEC');
  });
});

test("JIRA's field errors reach the TrackerError message", async () => {
  await inWorld({ flavour: 'server' }, async ({ tracker }) => {
    const err = await rejection(tracker.createTicket(ticketRequest({ project: 'NOPE' })));
    assert.is(err.status, 400);
    assert.match(err.message, /project: valid project is required/);
  });
});

test('comment and label on a missing ticket throw TrackerError 404; closing it answers missing', async () => {
  await inWorld({ flavour: 'server' }, async ({ tracker }) => {
    for (const call of [() => tracker.addComment('AWSSEC-404', 'x'), () => tracker.addLabel('AWSSEC-404', 'whitelisted')]) {
      const err = await rejection(call());
      assert.is(err.status, 404);
      assert.match(err.message, /AWSSEC-404/);
    }
    assert.is(await tracker.closeTicket('AWSSEC-404', 'x'), 'missing');
    assert.is(await tracker.ticketState('AWSSEC-404'), 'missing');
  });
});

for (const flavour of ['server', 'cloud'] as const) {
  test(`${flavour}: finds the tickets of a label, oldest first, with their state, through the search its JIRA has`, async () => {
    await inWorld({ flavour }, async ({ jira, tracker }) => {
      const label = 'hammer-cloudtrails-210987654321-eu-west-1-20261126T141503250000';
      jira.addIssue({ project: 'AWSSEC', labels: ['cloudtrail-issue'] });
      jira.addIssue({ project: 'AWSSEC', labels: ['cloudtrail-issue', label] });
      jira.addIssue({ project: 'CLOUDSEC', labels: [label], status: 'Done' });

      assert.equal(await tracker.findTickets(label), [{ key: 'AWSSEC-2', state: 'open' }, { key: 'CLOUDSEC-1', state: 'done' }]);
      const search = flavour === 'cloud' ? '/rest/api/2/search/jql' : '/rest/api/2/search';
      const requests = jira.requestsTo('GET', search);
      assert.is(requests.length, 1);
      assert.equal(requests[0]?.query, flavour === 'cloud'
        ? { jql: `labels = "${label}" ORDER BY created ASC`, fields: 'status', maxResults: '50' }
        : { jql: `labels = "${label}" ORDER BY created ASC`, fields: 'status', startAt: '0', maxResults: '50' });
      if (flavour === 'cloud') assert.equal(jira.requestsTo('GET', '/rest/api/2/search'), [], 'Cloud never asks the removed /search');
      assert.equal(await tracker.findTickets('hammer-cloudtrails-none'), []);
    });
  });
}

test('reads every page of a search: Server by startAt, Cloud by nextPageToken', async () => {
  for (const flavour of ['server', 'cloud'] as const) {
    await inWorld({ flavour }, async ({ jira, tracker }) => {
      for (let n = 0; n < 51; n += 1) jira.addIssue({ project: 'AWSSEC', labels: ['many'] });
      const found = await tracker.findTickets('many');
      assert.is(found.length, 51, flavour);
      assert.is(found.at(-1)?.key, 'AWSSEC-51');
      assert.is(jira.requests.filter((r) => r.path.includes('/search')).length, 2, flavour);
    });
  }
});

test('a Cloud site configured as server: /search answers 410 Gone and the search moves to /search/jql', async () => {
  await inWorld({ flavour: 'cloud', jira: { deployment: 'server' } }, async ({ jira, tracker, log }) => {
    jira.addIssue({ project: 'AWSSEC', labels: ['lifecycle'] });
    assert.equal(await tracker.findTickets('lifecycle'), [{ key: 'AWSSEC-1', state: 'open' }]);
    assert.equal(await tracker.findTickets('lifecycle'), [{ key: 'AWSSEC-1', state: 'open' }]);
    assert.equal(jira.requests.map((r) => `${r.method} ${r.path} ${r.injectedStatus ?? ''}`.trim()), [
      'GET /rest/api/2/search',
      'GET /rest/api/2/search/jql',
      'GET /rest/api/2/search/jql',
    ]);
    assert.match(String(log.at('warn')[0]?.message), '410 Gone');
  });
});

test('a create whose reply never comes fails without an HTTP status once the request times out, although JIRA made the ticket', async () => {
  await inWorld({ flavour: 'server', timeoutMs: 200 }, async ({ jira, tracker }) => {
    jira.failOn({ method: 'POST', path: '/rest/api/2/issue', status: 0, afterEffect: true, reply: 'hang' });
    const err = await rejection(tracker.createTicket(ticketRequest()));
    assert.is(err.status, undefined);
    assert.match(err.message, 'failed without an answer');
    assert.equal(jira.issues().map((issue) => issue.key), ['AWSSEC-1']);
  });
});

test('ticketState tells open, done and missing tickets apart', async () => {
  await inWorld({ flavour: 'cloud' }, async ({ jira, tracker }) => {
    const open = jira.addIssue({ project: 'AWSSEC' });
    const closed = jira.addIssue({ project: 'AWSSEC', status: 'Closed' });
    const gone = jira.addIssue({ project: 'AWSSEC' });
    jira.deleteIssue(gone.key);
    assert.equal([await tracker.ticketState(open.key), await tracker.ticketState(closed.key), await tracker.ticketState(gone.key)], ['open', 'done', 'missing']);
  });
});

test('a label or comment on a Closed (not editable) ticket is refused with 400', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker }) => {
    const { key } = jira.addIssue({ project: 'AWSSEC', status: 'Closed' });
    assert.is((await rejection(tracker.addLabel(key, 'whitelisted'))).status, 400);
    assert.is((await rejection(tracker.addComment(key, 'changed'))).status, 400);
  });
});

test('closing where the transition takes no comment and JIRA refuses the separate comment still closes the ticket', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker, log }) => {
    const { key } = jira.addIssue({ project: 'NOSCREEN' });
    jira.failOn({ method: 'POST', path: `/rest/api/2/issue/${key}/comment`, status: 403, body: { errorMessages: ['You do not have the permission to comment on this issue.'], errors: {} } });
    assert.is(await tracker.closeTicket(key, 'Closing resolved issue'), 'closed');
    assert.equal([jira.issue(key)?.status, jira.issue(key)?.comments], ['Closed', []]);
    assert.match(String(log.at('warn').at(-1)?.message), 'refused the closing comment');
  });
});

test('completes a ticket with links to the parent and to the previous lifecycle\'s ticket', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker }) => {
    jira.addIssue({ project: 'AWSSEC', summary: 'parent' });
    jira.addIssue({ project: 'AWSSEC', summary: 'previous', status: 'Closed' });
    const request = ticketRequest({ parentTicket: 'AWSSEC-1', previousTicket: 'AWSSEC-2' });
    const { key } = await tracker.createTicket(request);
    await tracker.completeTicket(key, request);
    assert.equal(jira.issue(key)?.links, [
      { type: 'Relates', inward: key, outward: 'AWSSEC-1' },
      { type: 'Relates', inward: key, outward: 'AWSSEC-2' },
    ]);
  });
});

test('waits Retry-After on 429 and retries once, filing one ticket', async () => {
  await inWorld({ flavour: 'cloud', auth: 'oauth' }, async ({ jira, tracker, sleeps, log }) => {
    jira.failOn({ method: 'POST', path: '/rest/api/2/issue', status: 429, retryAfterSeconds: 7 });
    assert.equal(await tracker.createTicket(ticketRequest()), { key: 'AWSSEC-1' });
    assert.equal(sleeps, [7000]);
    assert.equal(jira.requestsTo('POST', '/rest/api/2/issue').map((r) => [r.injectedStatus, r.authenticated]), [
      [429, true],
      // OAuth nonces are single-use: the retry is signed again.
      [undefined, true],
    ]);
    assert.is(jira.issues().length, 1);
    assert.ok(log.at('warn').some((e) => e.fields.http_status === 429 && e.fields.wait_ms === 7000));
  });
});

test('gives up after the bounded attempts on a lasting 503, backing off without Retry-After', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker, sleeps }) => {
    const { key } = jira.addIssue({ project: 'AWSSEC' });
    jira.failOn({ method: 'POST', path: `/rest/api/2/issue/${key}/comment`, status: 503, times: 'always' });
    const err = await rejection(tracker.addComment(key, 'x'));
    assert.is(err.status, 503);
    assert.is(err.operation, 'addComment');
    assert.equal(sleeps, [1000, 2000, 4000]);
    assert.is(jira.requestsTo('POST', `/rest/api/2/issue/${key}/comment`).length, 4);
  });
});

test('does not wait a Retry-After longer than the limit', async () => {
  await inWorld({ flavour: 'server', retry: { maxWaitMs: 30_000 } }, async ({ jira, tracker, sleeps }) => {
    jira.failOn({ method: 'POST', path: '/rest/api/2/issue', status: 429, retryAfterSeconds: 3600 });
    const err = await rejection(tracker.createTicket(ticketRequest()));
    assert.is(err.status, 429);
    assert.equal(sleeps, []);
  });
});

test('a 500 is not retried', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker, sleeps }) => {
    jira.failOn({ method: 'POST', path: '/rest/api/2/issue', status: 500 });
    await rejection(tracker.createTicket(ticketRequest()));
    assert.is(jira.requestsTo('POST', '/rest/api/2/issue').length, 1);
    assert.equal(sleeps, []);
  });
});

for (const auth of ['oauth', 'basic', 'bearer'] as const) {
  test(`every call of a ticket's life is authenticated with ${auth}`, async () => {
    await inWorld({ flavour: 'server', auth }, async ({ jira, tracker }) => {
      const request = ticketRequest({ owner: SUPPORT.name });
      const { key } = await tracker.createTicket(request);
      await tracker.completeTicket(key, request);
      await tracker.addComment(key, 'changed');
      await tracker.addLabel(key, 'whitelisted');
      await tracker.closeTicket(key, 'closing');
      assert.is(jira.issue(key)?.status, 'Closed');
      assert.ok(jira.requests.length >= 9);
      for (const request of jira.requests.filter((r) => r.path !== '/rest/api/2/serverInfo')) {
        assert.is(request.auth, auth, `${request.method} ${request.path}`);
        assert.is(request.authenticated, true, `${request.method} ${request.path}`);
        assert.is(request.user, BOT.name);
      }
    });
  });
}

test('OAuth signatures cover the query string (assignable search, fields=status)', async () => {
  await inWorld({ flavour: 'cloud', auth: 'oauth' }, async ({ jira, tracker }) => {
    const request = ticketRequest({ owner: 'Support Cloud' });
    const { key } = await tracker.createTicket(request);
    assert.equal(await tracker.completeTicket(key, request), { assigneeId: SUPPORT.accountId });
    const search = jira.requestsTo('GET', '/rest/api/2/user/assignable/search')[0];
    assert.equal(search?.query.query, 'Support Cloud');
    assert.is(search?.authenticated, true);
    assert.match(search?.authorization ?? '', /^OAuth oauth_consumer_key="hammer-consumer", oauth_nonce="[0-9a-f]{32}", oauth_signature_method="RSA-SHA1", oauth_timestamp="\d+", oauth_token="oauth-access-token-never-logged", oauth_version="1.0", oauth_signature="[A-Za-z0-9%]+"$/);
  });
});

test('OAuth signed with another private key is rejected with 401 signature_invalid', async () => {
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const trackerCredentials = parseJiraCredentials(credentialsItem('oauth', otherKey));
  await inWorld({ flavour: 'server', auth: 'oauth', trackerCredentials }, async ({ jira, tracker }) => {
    const err = await rejection(tracker.createTicket(ticketRequest()));
    assert.is(err.status, 401);
    assert.match(err.message, /oauth_problem signature_invalid/);
    assert.is(jira.requests[0]?.authProblem, 'signature_invalid');
    assert.equal(jira.issues(), []);
  });
});

test('a wrong basic password or bearer token gets 401', async () => {
  for (const item of [
    { service: 'jira', credentials: { basic: { username: BOT.emailAddress, password: 'wrong' } } },
    { service: 'jira', credentials: { token: 'wrong' } },
  ]) {
    await inWorld({ flavour: 'server', trackerCredentials: parseJiraCredentials(item) }, async ({ jira, tracker }) => {
      const err = await rejection(tracker.createTicket(ticketRequest()));
      assert.is(err.status, 401);
      assert.is(jira.requests[0]?.authenticated, false);
    });
  }
});

test('secrets never reach the logs or the errors', async () => {
  const { privateKeyPem } = oauthKeyPair();
  const keyLines = privateKeyPem.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----'));
  const basicHeader = Buffer.from(`${BOT.emailAddress}:${SECRETS.basicPassword}`).toString('base64');
  for (const auth of ['oauth', 'basic', 'bearer'] as const) {
    await inWorld({ flavour: 'server', auth }, async ({ jira, tracker, log }) => {
      const messages: string[] = [];
      jira.failOn({ method: 'PUT', path: /\/assignee$/, status: 500 });
      jira.failOn({ method: 'POST', path: /\/comment$/, status: 429, retryAfterSeconds: 1 });
      jira.failOn({ method: 'POST', path: /\/transitions$/, status: 503, times: 'always' });
      const request = ticketRequest({ owner: SUPPORT.name, parentTicket: 'AWSSEC-404' });
      const { key } = await tracker.createTicket(request);
      await tracker.completeTicket(key, request);
      await tracker.addComment(key, 'changed');
      for (const call of [() => tracker.closeTicket(key, 'closing'), () => tracker.createTicket(ticketRequest({ project: 'NOPE' }))]) {
        const err = await rejection(call());
        messages.push(err.message, String((err.cause as Error | undefined)?.message), JSON.stringify(err));
      }
      const text = `${log.text()}\n${messages.join('\n')}`;
      assert.ok(log.entries.length > 5);
      for (const secret of [SECRETS.basicPassword, SECRETS.bearerToken, SECRETS.oauthAccessToken, SECRETS.oauthAccessTokenSecret, basicHeader, ...keyLines]) {
        assert.not.ok(text.includes(secret), `${auth}: a secret reached the logs`);
      }
      assert.not.match(text, /authorization/i);
    });
  }
});

test('ticketUrl is <server>/browse/<KEY>', async () => {
  await inWorld({ flavour: 'server' }, async ({ jira, tracker }) => {
    assert.is(tracker.ticketUrl('AWSSEC-7'), `${jira.url}/browse/AWSSEC-7`);
  });
});

test.run();
