import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../config/configError.ts';
import { jiraHttpsAgent, readCaBundle } from '../../../reporting/jira/jiraTlsAgent.ts';
import { TrackerError } from '../../../reporting/ticketTracker.ts';
import { startJiraWorld, ticketRequest } from '../../fakes/fakeJiraFixtures.ts';

const test = suite('jiraTlsAgent');

const configDir = mkdtempSync(join(tmpdir(), 'hammer-jira-tls-'));
test.after(() => rmSync(configDir, { recursive: true, force: true }));

/** A self-signed certificate for 127.0.0.1, made with openssl (undefined when openssl is missing). */
function selfSignedCertificate(): { key: string; cert: string } | undefined {
  const keyFile = join(configDir, 'server-key.pem');
  const certFile = join(configDir, 'server-cert.pem');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  if (made.error !== undefined || made.status !== 0) return undefined;
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}

const tls = selfSignedCertificate();

if (tls === undefined) {
  console.log('jiraTlsAgent: openssl is not installed (or failed), so the HTTPS tests against a self-signed fake JIRA are skipped');
  test.skip('rejects a self-signed JIRA without the CA bundle, accepts it with the bundle');
} else {
  const certificate = tls;
  test('rejects a self-signed JIRA without the CA bundle, accepts it with the bundle', async () => {
    const without = await startJiraWorld({ flavour: 'server', tls: certificate });
    try {
      assert.ok(without.jira.url.startsWith('https://127.0.0.1:'));
      let failure: unknown;
      try {
        await without.tracker.createTicket(ticketRequest());
      } catch (err: unknown) {
        failure = err;
      }
      assert.instance(failure, TrackerError);
      assert.is((failure as TrackerError).status, undefined);
      assert.match((failure as TrackerError).message, /self[- ]signed certificate/);
      assert.equal(without.jira.issues(), []);
    } finally {
      await without.stop();
    }

    writeFileSync(join(configDir, 'jira-ca.pem'), certificate.cert);
    const withBundle = await startJiraWorld({ flavour: 'server', tls: certificate, configDir, jira: { caBundle: 'jira-ca.pem' } });
    try {
      assert.equal(await withBundle.tracker.createTicket(ticketRequest()), { key: 'AWSSEC-1' });
      assert.is(withBundle.jira.issue('AWSSEC-1')?.summary, ticketRequest().summary);
    } finally {
      await withBundle.stop();
    }
  });
}

test('keeps the built-in roots next to the bundle', () => {
  if (tls === undefined) return;
  writeFileSync(join(configDir, 'only-ca.pem'), tls.cert);
  const agent = jiraHttpsAgent(configDir, 'only-ca.pem');
  const ca = agent?.options.ca;
  assert.ok(Array.isArray(ca));
  assert.ok((ca as string[]).length > 100, 'Node root certificates are kept');
  assert.ok((ca as string[]).includes(tls.cert.trim()));
  assert.is(agent?.options.rejectUnauthorized, undefined);
});

test('no bundle: no agent of its own (Node verifies against its roots)', () => {
  assert.is(jiraHttpsAgent(configDir, undefined), undefined);
});

test('a missing bundle fails with a ConfigError naming jira.ca_bundle and the file', () => {
  try {
    readCaBundle(configDir, 'missing.pem');
    assert.unreachable('expected a ConfigError');
  } catch (err: unknown) {
    assert.instance(err, ConfigError);
    assert.is((err as ConfigError).jsonPath, 'jira.ca_bundle');
    assert.match((err as ConfigError).message, /missing\.pem: ENOENT/);
  }
});

test('a bundle without certificates fails with a ConfigError', () => {
  writeFileSync(join(configDir, 'empty.pem'), 'not a certificate\n');
  assert.throws(() => readCaBundle(configDir, 'empty.pem'), (err: unknown) => err instanceof ConfigError && /without one/.test(err.message));
});

test('a damaged certificate fails with a ConfigError naming which one', () => {
  writeFileSync(join(configDir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  assert.throws(() => readCaBundle(configDir, 'broken.pem'), (err: unknown) => err instanceof ConfigError && /certificate 1 does not parse/.test(err.message));
});

test.run();
