import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { awsErrorCode } from './awsErrors.ts';
import type { Clock } from '../runtime/clock.ts';

/** Temporary credentials of a controlled account (the shape the AWS SDK takes as `credentials`). */
export interface AccountCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** STS refused or failed to give credentials for an account. */
export class AssumeRoleError extends Error {
  override readonly name = 'AssumeRoleError';
  readonly errorCode: string;

  constructor(readonly accountId: string, readonly roleArn: string, options: { cause: unknown }) {
    const errorCode = awsErrorCode(options.cause);
    super(`cannot assume ${roleArn} in account ${accountId}: ${errorCode}`, options);
    this.errorCode = errorCode;
  }
}

export interface AccountCredentialsOptions {
  /** aws.role_name_identification. */
  roleName: string;
  /** DurationSeconds of AssumeRole (Hammer: 3600). */
  sessionSeconds?: number;
  /** Credentials this close to expiry are renewed before use. */
  refreshMarginMs?: number;
  /** RoleSessionName, visible in the controlled account's CloudTrail. */
  sessionName?: string;
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/**
 * Credentials of controlled accounts, assumed with STS into
 * `aws.role_name_identification` and kept for the life of the process: reused
 * across regions and warm invocations until they are near expiry. The account
 * the Lambda runs in needs no role: for it the answer is `undefined`, meaning
 * "the runtime's own credentials". Concurrent callers for one account share one
 * AssumeRole call; a failure is not cached (the next message tries again).
 */
export class AccountCredentials {
  private readonly cache = new Map<string, Promise<AccountCredentialIdentity>>();
  private readonly sessionSeconds: number;
  private readonly refreshMarginMs: number;
  private readonly sessionName: string;

  constructor(
    private readonly sts: STSClient,
    private readonly clock: Clock,
    private readonly options: AccountCredentialsOptions,
  ) {
    this.sessionSeconds = options.sessionSeconds ?? 3600;
    this.refreshMarginMs = options.refreshMarginMs ?? 10 * 60 * 1000;
    this.sessionName = options.sessionName ?? 'hammer-cloudtrails-identification';
  }

  /** Throws AssumeRoleError. */
  async forAccount(accountId: string, ownAccountId: string | undefined): Promise<AccountCredentialIdentity | undefined> {
    if (accountId === ownAccountId) return undefined;
    const cached = this.cache.get(accountId);
    if (cached !== undefined) {
      const credentials = await cached;
      if (!this.nearExpiry(credentials)) return credentials;
      // Another caller may have started the renewal while this one waited.
      if (this.cache.get(accountId) !== cached) return this.forAccount(accountId, ownAccountId);
    }
    const pending = this.assume(accountId);
    this.cache.set(accountId, pending);
    pending.catch(() => {
      if (this.cache.get(accountId) === pending) this.cache.delete(accountId);
    });
    return pending;
  }

  private nearExpiry(credentials: AccountCredentialIdentity): boolean {
    if (credentials.expiration === undefined) return false;
    return credentials.expiration.getTime() - this.clock().getTime() <= this.refreshMarginMs;
  }

  private async assume(accountId: string): Promise<AccountCredentialIdentity> {
    const arn = roleArn(accountId, this.options.roleName);
    try {
      const response = await this.sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: this.sessionName, DurationSeconds: this.sessionSeconds }));
      const issued = response.Credentials;
      if (issued?.AccessKeyId === undefined || issued.SecretAccessKey === undefined) {
        throw new Error('AssumeRole answered without credentials');
      }
      return {
        accessKeyId: issued.AccessKeyId,
        secretAccessKey: issued.SecretAccessKey,
        ...(issued.SessionToken === undefined ? {} : { sessionToken: issued.SessionToken }),
        expiration: issued.Expiration ?? new Date(this.clock().getTime() + this.sessionSeconds * 1000),
      };
    } catch (err: unknown) {
      throw new AssumeRoleError(accountId, arn, { cause: err });
    }
  }
}
