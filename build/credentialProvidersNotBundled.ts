/**
 * Stands in, in the bundled Lambdas only, for the credential providers of the
 * AWS SDK's default chain that Lambda never uses: SSO (with its token
 * providers and sign-in clients), profiles of the shared config and
 * credentials files (with credential_process and login), and the web identity
 * token file (EKS). build.mjs aliases those packages here (issue 12: they were
 * about 100 KB of every bundle).
 *
 * Lambda gives its role's credentials in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, which the chain's first link
 * (fromEnv) reads; its last link (container and instance metadata) is kept too.
 * Each provider here fails the way a provider with nothing to offer fails
 * (`tryNextLink`), so the chain goes on to the next link exactly as it would
 * on Lambda, where these sources do not exist.
 *
 * Code run unbundled (tests, the laptop commands through tsx) never sees this
 * module: it gets the SDK's full chain, SSO and profiles included.
 */

/** The error a credential provider of the SDK's chain throws when it has nothing to give. */
export class CredentialsProviderError extends Error {
  override readonly name = 'CredentialsProviderError';
  /** The SDK's chain tries its next provider after this error. */
  readonly tryNextLink = true;
}

type SkippedProvider = () => Promise<never>;

function notBundled(source: string): (init?: unknown) => SkippedProvider {
  return () => async () => {
    throw new CredentialsProviderError(`${source} credentials are not bundled into the Lambda zips (build.mjs): on Lambda the role's credentials come from the environment`);
  };
}

/** @aws-sdk/credential-provider-sso */
export const fromSSO = notBundled('SSO');
/** @aws-sdk/credential-provider-ini */
export const fromIni = notBundled('Shared config/credentials file profile');
/** @aws-sdk/credential-provider-process */
export const fromProcess = notBundled('credential_process');
/** @aws-sdk/credential-provider-web-identity */
export const fromTokenFile = notBundled('Web identity token file');
