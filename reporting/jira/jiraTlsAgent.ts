/**
 * TLS for JIRA: certificates are always verified (Hammer switched this off).
 * `jira.ca_bundle` names a PEM file of extra CA certificates, relative to the
 * config folder, trusted in addition to Node's built-in roots (an internal CA
 * in front of Jira Server/Data Center).
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { isAbsolute, resolve } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { ConfigError } from '../../config/configError.ts';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads and checks the CA bundle; throws ConfigError naming jira.ca_bundle and the file. */
export function readCaBundle(configDir: string, caBundle: string): string[] {
  const file = isAbsolute(caBundle) ? caBundle : resolve(configDir, caBundle);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err: unknown) {
    const code = (err as NodeJS.ErrnoException).code ?? 'an unreadable file';
    throw new ConfigError('config.json', 'jira.ca_bundle', 'a readable PEM file of CA certificates (relative to the config folder)', `${file}: ${code}`, { cause: err });
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) {
    throw new ConfigError('config.json', 'jira.ca_bundle', 'a PEM file holding at least one -----BEGIN CERTIFICATE----- block', `${file} without one`);
  }
  certificates.forEach((pem, index) => {
    try {
      new X509Certificate(pem);
    } catch (err: unknown) {
      throw new ConfigError('config.json', 'jira.ca_bundle', 'PEM certificates that parse', `${file}: certificate ${index + 1} does not parse`, { cause: err });
    }
  });
  return certificates;
}

/**
 * The https.Agent for JIRA: undefined (Node's defaults, which verify against
 * the built-in roots and NODE_EXTRA_CA_CERTS) without a bundle, else an agent
 * trusting the built-in roots plus the bundle. Verification stays on.
 */
export function jiraHttpsAgent(configDir: string, caBundle: string | undefined): Agent | undefined {
  if (caBundle === undefined) return undefined;
  return new Agent({ keepAlive: true, ca: [...rootCertificates, ...readCaBundle(configDir, caBundle)] });
}
