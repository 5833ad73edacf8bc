/**
 * The JIRA credentials item of the credentials table (`service = "jira"`,
 * field `credentials`), as Hammer's ddb_inject_credentials.py writes it, and
 * the two kinds this project adds:
 *
 *   {"oauth": {"consumer_key", "key_cert" (PEM private key), "access_token", "access_token_secret"}}
 *   {"basic": {"username", "password"}}      (Jira Cloud: e-mail and API token)
 *   {"token": "<personal access token>"}     (sent as a bearer token)
 *
 * When an item holds more than one kind, oauth wins, then basic, then token
 * (Hammer only knew oauth). Errors name the field and never show a secret.
 */
import { isJsonObject, type JsonObject } from '../../config/jsonFields.ts';
import type { KeyObject } from 'node:crypto';
import { rsaPrivateKey } from './oauth1Signature.ts';

export interface JiraOAuthCredentials {
  kind: 'oauth';
  consumerKey: string;
  /** The parsed key_cert. */
  privateKey: KeyObject;
  accessToken: string;
}

export interface JiraBasicCredentials {
  kind: 'basic';
  username: string;
  password: string;
}

export interface JiraBearerCredentials {
  kind: 'bearer';
  token: string;
}

export type JiraCredentials = JiraOAuthCredentials | JiraBasicCredentials | JiraBearerCredentials;

/** A credentials item that cannot be used; the message names the field, never its secret value. */
export class JiraCredentialsError extends Error {
  override readonly name = 'JiraCredentialsError';
  constructor(readonly field: string, readonly problem: string, options?: { cause?: unknown }) {
    super(`JIRA credentials item (service "jira"): ${field}: ${problem}`, options);
  }
}


/**
 * Parses the `credentials` map of the item (the whole item
 * `{service, credentials}` is accepted too). Throws JiraCredentialsError.
 */
export function parseJiraCredentials(value: unknown): JiraCredentials {
  let credentials = value;
  let prefix = 'credentials';
  if (isJsonObject(value) && 'service' in value && 'credentials' in value) {
    credentials = value.credentials;
  }
  if (!isJsonObject(credentials)) throw new JiraCredentialsError(prefix, `expected a map with "oauth", "basic" or "token", found ${kind(credentials)}`);

  if (credentials.oauth !== undefined) {
    prefix = 'credentials.oauth';
    const oauth = credentials.oauth;
    if (!isJsonObject(oauth)) throw new JiraCredentialsError(prefix, `expected a map {consumer_key, key_cert, access_token, access_token_secret}, found ${kind(oauth)}`);
    const consumerKey = requiredString(oauth, 'consumer_key', prefix);
    const keyCert = requiredString(oauth, 'key_cert', prefix);
    const accessToken = requiredString(oauth, 'access_token', prefix);
    let privateKey: KeyObject;
    try {
      privateKey = rsaPrivateKey(keyCert);
    } catch {
      // The parser's message may quote the key material: keep it out of the error.
      throw new JiraCredentialsError(`${prefix}.key_cert`, 'expected an RSA private key in PEM format (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----), found text that does not parse as one');
    }
    return { kind: 'oauth', consumerKey, privateKey, accessToken };
  }
  if (credentials.basic !== undefined) {
    prefix = 'credentials.basic';
    const basic = credentials.basic;
    if (!isJsonObject(basic)) throw new JiraCredentialsError(prefix, `expected a map {username, password}, found ${kind(basic)}`);
    const username = requiredString(basic, 'username', prefix);
    if (username.includes(':')) throw new JiraCredentialsError(`${prefix}.username`, 'expected a user name or e-mail without ":" (basic auth cannot carry it)');
    return { kind: 'basic', username, password: requiredString(basic, 'password', prefix) };
  }
  if (credentials.token !== undefined) {
    return { kind: 'bearer', token: requiredString(credentials, 'token', 'credentials') };
  }
  throw new JiraCredentialsError(prefix, `expected one of "oauth", "basic" or "token", found ${Object.keys(credentials).length === 0 ? 'an empty map' : `only the keys ${Object.keys(credentials).map((key) => JSON.stringify(key)).join(', ')}`}`);
}

function requiredString(map: JsonObject, key: string, prefix: string): string {
  const value = map[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new JiraCredentialsError(`${prefix}.${key}`, `expected a non-empty string, found ${kind(value)}`);
  }
  return value;
}

/** What a value is, without showing it (it may be a secret). */
function kind(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string';
  return `a ${typeof value === 'object' ? 'map' : typeof value}`;
}

/** A log-safe description of the credentials: their kind and the non-secret identity. */
export function describeJiraCredentials(credentials: JiraCredentials): string {
  switch (credentials.kind) {
    case 'oauth':
      return `OAuth 1.0a RSA-SHA1 (consumer key ${JSON.stringify(credentials.consumerKey)})`;
    case 'basic':
      return `basic auth (user ${JSON.stringify(credentials.username)})`;
    case 'bearer':
      return 'bearer token';
  }
}
