import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AccountCredentialIdentity } from './accountCredentials.ts';

/** Gives the credentials of one account when the SDK asks (renewed by AccountCredentials). */
export type CredentialsProvider = () => Promise<AccountCredentialIdentity>;

/** A CloudTrail client for one account and region; `credentials` undefined = the runtime's own. */
export type CloudTrailClientFactory = (accountId: string, region: string, credentials: CredentialsProvider | undefined) => CloudTrailClient;

export interface CloudTrailClientOptions {
  /** Clients kept for reuse by warm invocations; the least recently used beyond this are dropped (their calls in flight finish). */
  maxClients?: number;
  /** Credentials for the account the Lambda runs in instead of the default chain (tests and tools). */
  ownCredentials?: AccountCredentialIdentity;
}

/**
 * CloudTrail clients per account and region, reused across warm invocations.
 * The SDK's own retries are off (`maxAttempts: 1`): CloudTrailReader retries
 * throttling itself, through the pacer, so a retry never breaks the rate.
 * Endpoints are never hard-coded, so AWS_ENDPOINT_URL_CLOUDTRAIL works.
 */
export function cachedCloudTrailClients(options: CloudTrailClientOptions = {}): CloudTrailClientFactory {
  const maxClients = options.maxClients ?? 32;
  const clients = new Map<string, CloudTrailClient>();
  // One connection pool for every client of the factory. A client leaving the
  // cache owns no sockets, so it is dropped, never destroyed: destroying it
  // would cut the calls still in flight on it (a message with more regions
  // than the cache holds checks them all at once). Connections to a region's
  // endpoint are also reused across accounts. Concurrency per endpoint is
  // bounded by the pacer, not by the pool.
  const requestHandler = {
    connectionTimeout: 5_000,
    requestTimeout: 15_000,
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: Infinity }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: Infinity }),
  };
  return (accountId, region, credentials) => {
    const key = `${accountId}/${region}`;
    const existing = clients.get(key);
    if (existing !== undefined) {
      clients.delete(key);
      clients.set(key, existing);
      return existing;
    }
    const provider = credentials ?? (options.ownCredentials === undefined ? undefined : async () => options.ownCredentials as AccountCredentialIdentity);
    const client = new CloudTrailClient({
      region,
      maxAttempts: 1,
      requestHandler,
      ...(provider === undefined ? {} : { credentials: provider }),
    });
    clients.set(key, client);
    while (clients.size > maxClients) {
      clients.delete(clients.keys().next().value as string);
    }
    return client;
  };
}
