/**
 * Writes the credentials items reporting reads, like Hammer's
 * tools/ddb_inject_credentials.py, and prints what it stored with secrets masked:
 *
 *   npm run credentials -- [--config <dir>] [--table <name>] [--region <region>]
 *     [--slack-api-token <xoxb-...>]
 *     [--jira-key-cert-file <pem> --jira-consumer-key <k> --jira-access-token <t> --jira-access-token-secret <s>]
 *     [--jira-username <user or e-mail> --jira-password <password or API token>]
 *     [--jira-token <personal access token>]
 *     [--hammer-api-token [<token>]] [--hammer-api-url <url>]
 *
 * Items: `{service: "slack", credentials: {api_token}}`, `{service: "jira",
 * credentials: {oauth: {consumer_key, key_cert, access_token,
 * access_token_secret}} | {basic: {username, password}} | {token}}`,
 * `{service: "api", credentials: {token, url?}}`. `--hammer-api-token`
 * without a value generates a random token. The table defaults to the
 * config's credentials["ddb.table_name"], else hammer-credentials.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULTS } from '../config/hammerConfig.ts';
import { loadConfig } from '../config/loadConfig.ts';
import { awsErrorCode } from '../library/aws/awsErrors.ts';
import { runtimeRegion } from '../library/runtime/lambdaRuntime.ts';
import type { CredentialsService } from './credentialsTable.ts';

export class CredentialsInputError extends Error {
  override readonly name = 'CredentialsInputError';
}

/** `--help` or `-h`: the command prints its usage and exits 0. */
export class CredentialsHelpRequestedError extends Error {
  override readonly name = 'CredentialsHelpRequestedError';
}

export interface CredentialsItem {
  service: CredentialsService;
  credentials: Record<string, unknown>;
}

export interface CredentialsPlan {
  table: string;
  region: string | undefined;
  items: CredentialsItem[];
  /** Services whose secret was generated here. */
  generated: CredentialsService[];
}

const OPTIONS = {
  config: { type: 'string' },
  table: { type: 'string' },
  region: { type: 'string' },
  'slack-api-token': { type: 'string' },
  'jira-key-cert-file': { type: 'string' },
  'jira-consumer-key': { type: 'string' },
  'jira-access-token': { type: 'string' },
  'jira-access-token-secret': { type: 'string' },
  'jira-username': { type: 'string' },
  'jira-password': { type: 'string' },
  'jira-token': { type: 'string' },
  'hammer-api-token': { type: 'string' },
  'hammer-api-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const OAUTH_FLAGS = ['jira-key-cert-file', 'jira-consumer-key', 'jira-access-token', 'jira-access-token-secret'] as const;

export const USAGE = `usage: npm run credentials -- [--config <dir>] [--table <name>] [--region <region>]
  [--slack-api-token <token>]
  [--jira-key-cert-file <pem file> --jira-consumer-key <key> --jira-access-token <token> --jira-access-token-secret <secret>]
  [--jira-username <user or e-mail> --jira-password <password or API token>]
  [--jira-token <personal access token>]
  [--hammer-api-token [<token>]] [--hammer-api-url <url>]
  (or: hammer-cloudtrails credentials [options]; -h, --help: this help)

Writes the credentials items reporting reads into the credentials table
(--table, else the config's credentials["ddb.table_name"], else hammer-credentials)
and prints each item read back, secrets masked. At least one of the Slack,
JIRA or API options. Exit codes: 0 written, 1 the table refused, 2 bad command line.`;

/** Reads the command line into the items to write. Throws CredentialsInputError, or CredentialsHelpRequestedError for --help. */
export function planCredentials(argv: readonly string[], env: NodeJS.ProcessEnv = {}, generateToken: () => string = () => randomBytes(32).toString('hex')): CredentialsPlan {
  let values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };
  try {
    ({ values } = parseArgs({ args: withOptionalApiToken(argv), options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err: unknown) {
    throw new CredentialsInputError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) throw new CredentialsHelpRequestedError('help requested');

  const config = values.config === undefined ? undefined : loadConfig(values.config);
  const table = values.table ?? config?.credentialsTableName ?? DEFAULTS.credentialsTableName;
  const region = values.region ?? (config === undefined ? env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined : runtimeRegion(config.aws.region, env));

  const items: CredentialsItem[] = [];
  const generated: CredentialsService[] = [];
  if (values['slack-api-token'] !== undefined) {
    items.push({ service: 'slack', credentials: { api_token: nonEmpty(values['slack-api-token'], '--slack-api-token') } });
  }

  const jira = jiraCredentials(values);
  if (jira !== undefined) items.push({ service: 'jira', credentials: jira });

  if (values['hammer-api-token'] !== undefined || values['hammer-api-url'] !== undefined) {
    let token = values['hammer-api-token'];
    if (token === undefined || token === '') {
      token = generateToken();
      generated.push('api');
    }
    items.push({ service: 'api', credentials: { token, ...(values['hammer-api-url'] === undefined ? {} : { url: values['hammer-api-url'] }) } });
  }

  if (items.length === 0) throw new CredentialsInputError('no credentials given: pass at least one of --slack-api-token, the JIRA options, --hammer-api-token');
  return { table, region, items, generated };
}

function jiraCredentials(values: Record<string, string | boolean | undefined>): Record<string, unknown> | undefined {
  const oauthGiven = OAUTH_FLAGS.filter((flag) => values[flag] !== undefined);
  const basicGiven = values['jira-username'] !== undefined || values['jira-password'] !== undefined;
  const tokenGiven = values['jira-token'] !== undefined;
  const methods = [oauthGiven.length > 0, basicGiven, tokenGiven].filter(Boolean).length;
  if (methods > 1) throw new CredentialsInputError('give one JIRA authentication only: OAuth (--jira-key-cert-file ...), basic (--jira-username/--jira-password) or a token (--jira-token)');

  if (oauthGiven.length > 0) {
    const missing = OAUTH_FLAGS.filter((flag) => values[flag] === undefined);
    if (missing.length > 0) throw new CredentialsInputError(`JIRA OAuth needs all four options; missing: ${missing.map((flag) => `--${flag}`).join(', ')}`);
    const keyFile = values['jira-key-cert-file'] as string;
    let keyCert: string;
    try {
      keyCert = readFileSync(keyFile, 'utf8');
    } catch (err: unknown) {
      throw new CredentialsInputError(`cannot read --jira-key-cert-file ${keyFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    try {
      createPrivateKey(keyCert);
    } catch {
      throw new CredentialsInputError(`--jira-key-cert-file ${keyFile} is not a PEM private key (the RSA key whose public half is configured in JIRA's application link)`);
    }
    return {
      oauth: {
        consumer_key: nonEmpty(values['jira-consumer-key'], '--jira-consumer-key'),
        key_cert: keyCert,
        access_token: nonEmpty(values['jira-access-token'], '--jira-access-token'),
        access_token_secret: nonEmpty(values['jira-access-token-secret'], '--jira-access-token-secret'),
      },
    };
  }
  if (basicGiven) {
    return { basic: { username: nonEmpty(values['jira-username'], '--jira-username'), password: nonEmpty(values['jira-password'], '--jira-password') } };
  }
  if (tokenGiven) return { token: nonEmpty(values['jira-token'], '--jira-token') };
  return undefined;
}

/** `--hammer-api-token` with no value (last, or followed by another option) means "generate one". */
function withOptionalApiToken(argv: readonly string[]): string[] {
  const args = [...argv];
  for (let index = 0; index < args.length; index += 1) {
    if (args[index] !== '--hammer-api-token') continue;
    const next = args[index + 1];
    if (next === undefined || next.startsWith('--')) args[index] = '--hammer-api-token=';
  }
  return args;
}

function nonEmpty(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new CredentialsInputError(`${flag} needs a value`);
  return value;
}

const SECRET_KEYS = new Set(['api_token', 'password', 'token', 'access_token', 'access_token_secret', 'key_cert']);

/** A copy of a credentials map with every secret replaced by a mask that shows only its length or last characters. */
export function maskCredentials(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (!SECRET_KEYS.has(key)) return value;
    if (key === 'key_cert') return `<private key, ${value.length} characters>`;
    return value.length >= 16 ? `********${value.slice(-4)}` : '********';
  }
  if (Array.isArray(value)) return value.map((entry) => maskCredentials(entry, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([inner, entry]) => [inner, maskCredentials(entry, inner)]));
  }
  return value;
}

/** Writes the items, reads each back, and returns the lines to print (secrets masked). */
export async function writeCredentials(doc: DynamoDBDocumentClient, plan: CredentialsPlan): Promise<string[]> {
  const lines: string[] = [];
  for (const item of plan.items) {
    await doc.send(new PutCommand({ TableName: plan.table, Item: item }));
    const stored = (await doc.send(new GetCommand({ TableName: plan.table, Key: { service: item.service }, ConsistentRead: true }))).Item;
    const note = plan.generated.includes(item.service) ? ' (token generated; read it from the table when a client needs it)' : '';
    lines.push(`stored '${item.service}' credentials in ${plan.table}${note}: ${JSON.stringify(maskCredentials(stored?.credentials ?? {}), null, 2)}`);
  }
  return lines;
}

export async function runCredentialsCommand(
  argv: readonly string[],
  deps: { env?: NodeJS.ProcessEnv; doc?: DynamoDBDocumentClient; print?: (line: string) => void; printError?: (line: string) => void; generateToken?: () => string } = {},
): Promise<number> {
  const print = deps.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const printError = deps.printError ?? ((line: string) => process.stderr.write(`${line}\n`));
  let plan: CredentialsPlan;
  try {
    plan = planCredentials(argv, deps.env ?? process.env, deps.generateToken);
  } catch (err: unknown) {
    if (err instanceof CredentialsHelpRequestedError) {
      print(USAGE);
      return 0;
    }
    printError(`credentials: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  const doc = deps.doc ?? DynamoDBDocumentClient.from(new DynamoDBClient(plan.region === undefined ? {} : { region: plan.region }));
  try {
    for (const line of await writeCredentials(doc, plan)) print(line);
    return 0;
  } catch (err: unknown) {
    printError(`credentials: could not write to table ${plan.table}: ${awsErrorCode(err)}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCredentialsCommand(process.argv.slice(2));
}
