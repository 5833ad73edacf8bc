/**
 * OAuth 1.0a request signing with RSA-SHA1 (RFC 5849), as Jira's application
 * links expect and as Hammer's Python client (oauthlib) signs: the signature
 * base string is the method, the normalized URL and the sorted, percent-encoded
 * parameters (query string, form body when there is one, oauth_* parameters);
 * it is signed with the consumer's RSA private key. RSA-SHA1 does not use the
 * token secret. A JSON body is not part of the signature.
 */
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';

export type OAuthParam = readonly [name: string, value: string];

/** RFC 5849 3.6: UTF-8, then every byte outside ALPHA / DIGIT / "-" / "." / "_" / "~" as %XX (upper case). */
export function percentEncode(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** The parameters of a query string or form body (application/x-www-form-urlencoded: "+" is a space). */
export function formParams(encoded: string): OAuthParam[] {
  return encoded
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): OAuthParam => {
      const at = pair.indexOf('=');
      const name = at < 0 ? pair : pair.slice(0, at);
      const value = at < 0 ? '' : pair.slice(at + 1);
      return [decodeFormComponent(name), decodeFormComponent(value)];
    });
}

function decodeFormComponent(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/** RFC 5849 3.4.1.2: lower-case scheme and host, no default port, the path as sent, no query. */
export function baseStringUri(url: URL): string {
  // URL already lower-cases scheme and host and drops the default port of the scheme.
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * RFC 5849 3.4.1: METHOD&encoded(base URI)&encoded(normalized parameters).
 * `protocolParams` are the oauth_* parameters without oauth_signature;
 * `bodyParams` only for a form-encoded body.
 */
export function signatureBaseString(method: string, url: string, protocolParams: readonly OAuthParam[], bodyParams: readonly OAuthParam[] = []): string {
  const parsed = new URL(url);
  const params = [...formParams(parsed.search.slice(1)), ...bodyParams, ...protocolParams]
    .filter(([name]) => name !== 'oauth_signature' && name !== 'realm')
    .map(([name, value]): OAuthParam => [percentEncode(name), percentEncode(value)])
    .sort(([nameA, valueA], [nameB, valueB]) => compareAscii(nameA, nameB) || compareAscii(valueA, valueB));
  const normalized = params.map(([name, value]) => `${name}=${value}`).join('&');
  return [method.toUpperCase(), percentEncode(baseStringUri(parsed)), percentEncode(normalized)].join('&');
}

/** Byte order of the encoded strings (they are ASCII after percent-encoding). */
function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** RSA-SHA1 (RSASSA-PKCS1-v1_5 over SHA-1) of the base string, base64. */
export function rsaSha1Signature(baseString: string, privateKey: KeyObject): string {
  return sign('sha1', Buffer.from(baseString, 'utf8'), privateKey).toString('base64');
}

export interface OAuthSigningKey {
  consumerKey: string;
  accessToken: string;
  privateKey: KeyObject;
}

export interface OAuthRequestParts {
  method: string;
  /** The full URL as sent, query string included. */
  url: string;
  /** Seconds since the epoch. */
  timestamp: number;
  nonce: string;
}

/** The Authorization header value `OAuth oauth_consumer_key="…", …, oauth_signature="…"` for one request. */
export function oauthAuthorizationHeader(key: OAuthSigningKey, request: OAuthRequestParts): string {
  const protocolParams: OAuthParam[] = [
    ['oauth_consumer_key', key.consumerKey],
    ['oauth_nonce', request.nonce],
    ['oauth_signature_method', 'RSA-SHA1'],
    ['oauth_timestamp', String(request.timestamp)],
    ['oauth_token', key.accessToken],
    ['oauth_version', '1.0'],
  ];
  const signature = rsaSha1Signature(signatureBaseString(request.method, request.url, protocolParams), key.privateKey);
  const header = [...protocolParams, ['oauth_signature', signature] as const].map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`);
  return `OAuth ${header.join(', ')}`;
}

/** A fresh nonce: 16 random bytes, hex. */
export function randomNonce(): string {
  return randomBytes(16).toString('hex');
}

/** Parses a PEM private key (PKCS#1 or PKCS#8) into a KeyObject; throws on anything else. */
export function rsaPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`expected an RSA key, found a ${key.asymmetricKeyType ?? 'non-asymmetric'} key`);
  return key;
}
