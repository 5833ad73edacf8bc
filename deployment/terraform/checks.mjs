#!/usr/bin/env node
// The Terraform checks of `npm test` (test/run.mjs runs this file and reads its
// last line). Offline through the provider mirror /opt/tf-plugins when it
// exists. Prints `N passed, N failed` last; without terraform on PATH it says
// the checks were skipped, and why, and ends with `0 passed, 0 failed`.
//
// 1. `terraform fmt -check -recursive`.
// 2. A second build of the zips (another time zone, touched sources) is
//    byte-identical to the first. With the sample's assertion that each
//    source_code_hash is filebase64sha256 of its zip, a rebuild of unchanged
//    code plans no change.
// 3. For every module and environment folder: `terraform init`, then
//    `terraform test` (each `run` block is one check; `terraform test`
//    validates the whole configuration first, so a separate `terraform
//    validate` is run only for folders without tests).
// 4. An offline `terraform plan` of the sample environment (a fresh account)
//    with the provider override of offline/offline_override.tf, read with
//    `terraform show -json`: the planned resources are exactly the expected
//    set, and each IAM policy allows exactly the AWS SDK commands its code can
//    send (sdkPermissions.mjs). Then, on a state holding the three tables,
//    plans that must be refused (a flag turned off, a renamed table) and the
//    hand-over of a table through the removed block of README.md.
//
// `node deployment/terraform/checks.mjs --only <name>` runs only the tasks
// whose name contains <name> (a folder such as modules/reporting, or
// "offline"), after fmt and init, for quicker work on one part.
//
// Where the time goes (2 cores): the AWS provider is a 700 MB binary whose
// start and schema cost 3 to 5 s of CPU, and Terraform starts it anew for
// every command and twice for every `run` block of a test. So each of the two
// workers starts one provider process in debug mode (`-debug`) and points all
// its terraform commands at it with TF_REATTACH_PROVIDERS, the mechanism
// Terraform offers to attach to a running provider; a test file then costs
// about 2 s of Terraform's own CPU instead of 8 to 15 s. (No provider is
// shared between two terraform processes at once. A plan that configures the
// real provider gets a provider process of its own: the AWS provider cannot
// be configured twice in one process when AWS_CA_BUNDLE is set.
// TERRAFORM_CHECKS_SHARED_PROVIDER=0 turns this off; without a single provider
// binary for every folder it is off.)
// Besides: no separate `validate` where `terraform test` runs, several
// assertions per `run` block, plan-only runs, and two workers at a time, the
// longest task first.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAMBDAS } from '../../build.mjs';
import { deriveSdkPermissions } from './sdkPermissions.mjs';

const terraformDir = dirname(fileURLToPath(import.meta.url));
const root = join(terraformDir, '..', '..');
const tmp = join(root, '.tmp', 'terraform');
const distDir = join(root, 'dist');
const rebuildDir = join(root, '.tmp', 'terraform-rebuild', 'dist');
const pluginMirror = '/opt/tf-plugins';
// Every zip build.mjs makes.
const ZIPS = LAMBDAS.map((lambda) => `${lambda.name}.zip`);

const USAGE = `usage: node deployment/terraform/checks.mjs [--only <name>]

The Terraform checks of npm test, offline: terraform fmt, a reproducible
second build of the zips, terraform init and test (or validate) of every
module and environment folder, and an offline plan of the sample environment
checked against the code's AWS SDK calls. Ends with "N passed, N failed";
exits 1 when a check failed.

options:
  --only <name>   after fmt and init, only the tasks whose name contains
                  <name> (a folder such as modules/reporting, or "offline")
  --help          print this and exit`;

/** --help, or a usage error (usage, exit 2). Returns the --only value. */
function parseCommandLine(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  let only;
  for (let index = 0; index < argv.length; index += 1) {
    if (argv[index] === '--only' && argv[index + 1] !== undefined && !argv[index + 1].startsWith('--')) {
      only = argv[index + 1];
      index += 1;
    } else {
      console.error(`checks: ${argv[index] === '--only' ? '--only needs a name' : `unknown option ${argv[index]}`}\n\n${USAGE}`);
      process.exit(2);
    }
  }
  return only;
}

const only = parseCommandLine(process.argv.slice(2));
// Two terraform processes at a time: each is CPU-bound while it loads the
// provider, and the machines running this have 2 cores (more would only
// interleave them).
const CONCURRENCY = 2;

let passed = 0;
let failed = 0;

function record(ok, label, output = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
  if (!ok && output.trim()) console.log(indent(output));
}

function indent(text) {
  return text.trimEnd().split('\n').map((line) => `     | ${line}`).join('\n');
}

function finish() {
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

const version = spawnSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
if (version.error || version.status !== 0) {
  const why = version.error?.code === 'ENOENT' ? 'terraform is not on PATH' : `terraform version failed: ${version.error?.message ?? version.stderr.trim()}`;
  console.log(`Terraform checks skipped: ${why}. Install Terraform 1.7 or newer (terraform test with mock providers) to run them.`);
  console.log('\n0 passed, 0 failed');
  process.exit(0);
}
console.log(version.stdout.split('\n')[0]);

mkdirSync(tmp, { recursive: true });
const env = {
  ...process.env,
  TF_IN_AUTOMATION: '1',
  TF_INPUT: '0',
  CHECKPOINT_DISABLE: '1',
  NO_COLOR: '1',
};
if (existsSync(pluginMirror)) {
  // Offline: the preinstalled provider, linked rather than copied into each .terraform/.
  const cliConfig = join(tmp, 'offline.tfrc');
  writeFileSync(cliConfig, [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = "${pluginMirror}"`,
    '    include = ["registry.terraform.io/hashicorp/*"]',
    '  }',
    '  direct {',
    '    exclude = ["registry.terraform.io/hashicorp/*"]',
    '  }',
    '}',
    '',
  ].join('\n'));
  env.TF_CLI_CONFIG_FILE = cliConfig;
  console.log(`provider: offline mirror ${pluginMirror}`);
} else {
  // Online: download the provider once for every folder.
  env.TF_PLUGIN_CACHE_DIR = join(tmp, 'plugin-cache');
  mkdirSync(env.TF_PLUGIN_CACHE_DIR, { recursive: true });
  console.log(`provider: registry, cached in ${relative(root, env.TF_PLUGIN_CACHE_DIR)}`);
}

function run(args, cwd, extraEnv = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('terraform', args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('close', (status) => resolve({ ok: status === 0, output: `${stdout}${stderr}`, stdout, seconds: (Date.now() - started) / 1000 }));
    child.on('error', (err) => resolve({ ok: false, output: err.message, stdout: '', seconds: 0 }));
  });
}

/** The provider binary every initialised folder uses, when they all use the same one. */
function sharedProviderBinary(dirs) {
  const binaries = new Set();
  for (const dir of dirs) {
    const base = join(dir, '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws');
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { recursive: true })) {
      const path = join(base, String(entry));
      if (/terraform-provider-aws[^/]*$/.test(path) && statSync(path).isFile()) binaries.add(realpathSync(path));
    }
  }
  return binaries.size === 1 ? [...binaries][0] : undefined;
}

const sharedProviders = [];

/** Starts the provider in debug mode; resolves to its TF_REATTACH_PROVIDERS value, or undefined. */
function startSharedProvider(binary) {
  return new Promise((resolve) => {
    const quiet = Object.fromEntries(['TF_LOG', 'TF_LOG_PROVIDER', 'TF_LOG_SDK', 'TF_LOG_SDK_PROTO', 'TF_LOG_SDK_MUX', 'TF_LOG_SDK_HELPER_SCHEMA', 'TF_LOG_SDK_FRAMEWORK'].map((name) => [name, 'off']));
    const child = spawn(binary, ['-debug'], { env: { ...process.env, ...quiet }, stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    let settled = false;
    const settle = (value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      settle(undefined);
    }, 60_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const reattach = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output)?.[1];
      if (reattach !== undefined) {
        sharedProviders.push({ child, reattach, socket: /"String":"([^"]+)"/.exec(reattach)?.[1] });
        settle(reattach);
      }
    });
    child.on('error', () => settle(undefined));
    child.on('exit', () => settle(undefined));
  });
}

/** Stops the shared providers, or the one started for `reattach` (SIGINT: they remove their sockets); resolves when they exited (at most 10 s). */
function stopSharedProviders(reattach) {
  const index = reattach === undefined ? -1 : sharedProviders.findIndex((provider) => provider.reattach === reattach);
  const chosen = reattach === undefined ? sharedProviders.splice(0) : index < 0 ? [] : sharedProviders.splice(index, 1);
  const stopping = chosen.map(({ child, socket }) => new Promise((resolve) => {
    const done = () => {
      if (socket !== undefined) rmSync(socket, { force: true });
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done();
    }, 10_000);
    timer.unref();
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGINT');
  }));
  return Promise.all(stopping);
}
process.on('exit', () => {
  for (const { child } of sharedProviders) if (child.exitCode === null) child.kill('SIGINT');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopSharedProviders();
    process.exit(1);
  });
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function buildZips(outDir, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'build.mjs'), '--out', outDir], { cwd: root, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('close', (status) => resolve({ ok: status === 0, output }));
    child.on('error', (err) => resolve({ ok: false, output: err.message }));
  });
}

function zipsPresent(dir) {
  return [...ZIPS, 'config.sha256.json'].every((file) => existsSync(join(dir, file)));
}

/** Touches the Lambda sources and the sample config, as an edit that changes nothing would. */
function touchSources() {
  const now = new Date();
  const touch = (dir, pattern) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { recursive: true })) {
      const path = join(dir, String(entry));
      if (pattern.test(path) && statSync(path).isFile()) utimesSync(path, now, now);
    }
  };
  // The handlers' folders, and the code and config they all import.
  const folders = new Set([...LAMBDAS.map((lambda) => lambda.entry.split('/')[0]), 'library', 'config']);
  for (const folder of folders) touch(join(root, folder), /\.ts$/);
  touch(join(terraformDir, 'accounts', 'sample', 'config'), /\.json$/);
}

function folders() {
  const modules = readdirSync(join(terraformDir, 'modules'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(terraformDir, 'modules', entry.name, 'versions.tf')))
    .map((entry) => ({ dir: join(terraformDir, 'modules', entry.name), environment: false }));
  const environments = [];
  for (const entry of readdirSync(join(terraformDir, 'accounts'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(terraformDir, 'accounts', entry.name);
    if (existsSync(join(dir, 'versions.tf'))) environments.push({ dir, environment: true });
    for (const root of ['crossaccount', 'organization']) {
      if (existsSync(join(dir, root, 'versions.tf'))) environments.push({ dir: join(dir, root), environment: true });
    }
  }
  return [...modules, ...environments];
}

/** terraform init of one folder (run one at a time: the plugin cache is not safe for concurrent installs). */
async function initFolder({ dir, environment }) {
  // Environments commit their lock file, which init must not change.
  const initArgs = ['init', '-input=false', '-no-color', '-backend=false', ...(environment ? ['-lockfile=readonly'] : [])];
  const init = await run(initArgs, dir);
  return { ok: init.ok, label: `${relative(terraformDir, dir)}: terraform ${initArgs.join(' ')}`, output: init.output };
}

/** `terraform test` of one initialised folder (or `validate` when it has no tests); its report lines. */
async function checkFolder({ dir }, tf) {
  const name = relative(terraformDir, dir);
  if (!existsSync(join(dir, 'tests'))) {
    const validate = await tf(['validate', '-no-color'], dir);
    return [{ ok: validate.ok, label: `${name}: terraform validate`, output: validate.output }];
  }
  const results = [];
  const test = await tf(['test', '-no-color'], dir);
  const runs = [...test.output.matchAll(/^\s+run "([^"]+)"\.\.\. (pass|fail|skip)/gm)];
  if (runs.length === 0) return [{ ok: false, label: `${name}: terraform test`, output: test.output }];
  // A skipped run (after an error in an earlier one) counts as failed; the
  // test output is shown once, with the first failure.
  let shown = false;
  for (const [, runName, outcome] of runs) {
    const ok = outcome === 'pass';
    results.push({ ok, label: `${name}: run "${runName}"${outcome === 'skip' ? ' (skipped)' : ''}`, output: ok || shown ? '' : test.output });
    if (!ok) shown = true;
  }
  if (!test.ok && runs.every(([, , outcome]) => outcome === 'pass')) {
    results.push({ ok: false, label: `${name}: terraform test exited with an error`, output: test.output });
  }
  console.log(`  (${name}: terraform test, ${runs.length} runs, ${test.seconds.toFixed(1)} s)`);
  return results;
}

// ---------------------------------------------------------------------------
// The offline plan of the sample environment.

/** Every resource a fresh account's plan of the sample creates (hammer_present = false, no KMS key). */
export const EXPECTED_FRESH_RESOURCES = [
  'module.api_requests_table[0].aws_dynamodb_table.this',
  'module.credentials_table[0].aws_dynamodb_table.this',
  'module.identification.aws_cloudwatch_event_rule.schedule',
  'module.identification.aws_cloudwatch_event_target.initiate',
  'module.identification.aws_cloudwatch_log_group.this["describe"]',
  'module.identification.aws_cloudwatch_log_group.this["initiate"]',
  'module.identification.module.alarms.aws_cloudwatch_metric_alarm.dead_letters',
  'module.identification.module.alarms.aws_cloudwatch_metric_alarm.errors["describe"]',
  'module.identification.module.alarms.aws_cloudwatch_metric_alarm.errors["initiate"]',
  'module.identification.aws_iam_role.this["describe"]',
  'module.identification.aws_iam_role.this["initiate"]',
  'module.identification.aws_iam_role_policy.this["describe"]',
  'module.identification.aws_iam_role_policy.this["initiate"]',
  'module.identification.aws_lambda_function.describe',
  'module.identification.aws_lambda_function.initiate',
  'module.identification.aws_lambda_function_event_invoke_config.this["describe"]',
  'module.identification.aws_lambda_function_event_invoke_config.this["initiate"]',
  'module.identification.aws_lambda_permission.describe_from_topic',
  'module.identification.aws_lambda_permission.initiate_from_schedule',
  'module.identification.aws_sns_topic.alarms[0]',
  'module.identification.aws_sns_topic.work',
  'module.identification.aws_sns_topic_subscription.describe',
  'module.identification.aws_sqs_queue.dead_letter',
  'module.identification.aws_sqs_queue_policy.dead_letter',
  'module.issues_table.aws_dynamodb_table.this',
  'module.reporting.aws_cloudwatch_event_rule.schedule',
  'module.reporting.aws_cloudwatch_event_target.this',
  'module.reporting.aws_cloudwatch_log_group.host[0]',
  'module.reporting.aws_cloudwatch_log_group.this',
  'module.reporting.aws_cloudwatch_log_stream.host[0]',
  'module.reporting.module.alarms.aws_cloudwatch_metric_alarm.dead_letters',
  'module.reporting.module.alarms.aws_cloudwatch_metric_alarm.errors["lambda"]',
  'module.reporting.aws_iam_policy.host[0]',
  'module.reporting.aws_iam_role.this',
  'module.reporting.aws_iam_role_policy.this',
  'module.reporting.aws_lambda_function.this',
  'module.reporting.aws_lambda_function_event_invoke_config.this',
  'module.reporting.aws_lambda_permission.from_schedule',
  'module.reporting.aws_sqs_queue.dead_letter',
  'module.reporting.aws_sqs_queue_policy.dead_letter',
];

/** Each policy of the plan, the handler whose SDK calls it must allow, and what the Lambda service or the host does with it besides. */
const POLICIES = [
  { address: 'module.identification.aws_iam_role_policy.this["initiate"]', entry: 'lambdas/cloudtrails-issues-identification/initiate_to_desc_cloudtrails.ts', platform: ['logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage'] },
  { address: 'module.identification.aws_iam_role_policy.this["describe"]', entry: 'lambdas/cloudtrails-issues-identification/describe_cloudtrails.ts', platform: ['logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage'], core: ['sts:AssumeRole'] },
  { address: 'module.reporting.aws_iam_role_policy.this', entry: 'reporting/create_cloudtrail_tickets.ts', platform: ['logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage'] },
  // The reporting command on an operator's host, with its CloudWatch agent.
  { address: 'module.reporting.aws_iam_policy.host[0]', entry: 'reporting/reportCommand.ts', platform: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'] },
];

/**
 * Permissions the handlers' code can send only when a config.json key turns a
 * feature on; the module of that feature grants them then. While the sample's
 * config leaves the key off, they are not counted as lacking (they are still
 * counted as unused if a policy grants them). A policy's `core` permissions
 * are never excused: the describe role's sts:AssumeRole is the scan itself,
 * whatever the opt-in features need it for besides.
 * - aws.organization (issue 10): modules/organization-accounts lets the
 *   Lambdas list the organisation's accounts, or assume its reader role.
 * - cloudtrails.securityhub (issue 11): modules/reporting lets reporting
 *   import findings and assume the controlled accounts' role to do so.
 */
const OPT_IN_GRANTS = [
  { key: 'aws.organization', on: (config) => config.aws?.organization !== undefined, permissions: ['organizations:ListAccounts', 'organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent', 'sts:AssumeRole'] },
  { key: 'cloudtrails.securityhub', on: (config) => String(config.cloudtrails?.securityhub ?? false).toLowerCase() === 'true', permissions: ['securityhub:BatchImportFindings', 'sts:AssumeRole'] },
];

/** What a policy's code may send without the policy allowing it: the permissions of the opt-in features config leaves off, but the policy's core ones. */
function excusedPermissions(config, core = []) {
  const off = OPT_IN_GRANTS.filter((feature) => !feature.on(config)).flatMap((feature) => feature.permissions);
  return [...new Set(off)].filter((permission) => !core.includes(permission));
}

const TABLE_ROLES = {
  'module.issues_table.aws_dynamodb_table.this': 'issues',
  'module.credentials_table[0].aws_dynamodb_table.this': 'credentials',
  'module.api_requests_table[0].aws_dynamodb_table.this': 'api_requests',
};

/** The policy's grants in the form sdkPermissions.mjs derives them ("dynamodb:X table/<role>" or "service:X"), and its other actions. */
function policyGrants(policy, tableRoleByName) {
  const grants = new Set();
  const other = new Set();
  for (const statement of policy.Statement) {
    const actions = [statement.Action].flat();
    const resources = [statement.Resource].flat();
    for (const action of actions) {
      if (action.startsWith('dynamodb:')) {
        for (const resource of resources) {
          const table = /:table\/([^/]+)$/.exec(resource)?.[1];
          grants.add(`${action} table/${tableRoleByName[table] ?? `unknown(${resource})`}`);
        }
      } else if (action.startsWith('logs:') || action.startsWith('sqs:') || action.startsWith('kms:')) {
        other.add(action);
      } else {
        grants.add(action);
      }
    }
  }
  return { grants: [...grants].sort(), other: [...other].sort() };
}

/** What AWS would keep in the state for a table after creating it: the planned values, and the computed ones. */
function tableState(resourceChange, region, account) {
  const change = resourceChange.change;
  const values = structuredClone(change.after);
  const unknown = change.after_unknown ?? {};
  const fills = {
    arn: `arn:aws:dynamodb:${region}:${account}:table/${values.name}`,
    id: values.name,
    read_capacity: 0,
    write_capacity: 0,
    stream_arn: '',
    stream_label: '',
    stream_view_type: '',
    ttl: [{ attribute_name: '', enabled: false }],
  };
  for (const [key, isUnknown] of Object.entries(unknown)) {
    if (isUnknown === true) {
      if (!(key in fills)) throw new Error(`${resourceChange.address}: no state value known for the computed attribute ${key} (new in the provider?): add it to tableState in checks.mjs`);
      values[key] = fills[key];
    }
  }
  if (unknown.point_in_time_recovery?.[0]?.recovery_period_in_days) values.point_in_time_recovery[0].recovery_period_in_days = 35;
  if (unknown.server_side_encryption?.[0]?.kms_key_arn) values.server_side_encryption[0].kms_key_arn = `arn:aws:kms:${region}:${account}:key/aws-dynamodb`;
  return values;
}

function stateWithTables(plan, region, account) {
  const resources = [];
  for (const change of plan.resource_changes) {
    if (!(change.address in TABLE_ROLES)) continue;
    const planned = findPlanned(plan.planned_values.root_module, change.address);
    resources.push({
      module: change.module_address,
      mode: 'managed',
      type: change.type,
      name: change.name,
      provider: change.provider_name.startsWith('registry.terraform.io') ? `provider["${change.provider_name}"]` : change.provider_name,
      instances: [{ schema_version: planned?.schema_version ?? 1, attributes: tableState(change, region, account), sensitive_attributes: [] }],
    });
  }
  return { version: 4, terraform_version: plan.terraform_version, serial: 1, lineage: '00000000-0000-4000-8000-000000000000', outputs: {}, resources, check_results: null };
}

function findPlanned(module, address) {
  for (const resource of module.resources ?? []) if (resource.address === address) return resource;
  for (const child of module.child_modules ?? []) {
    const found = findPlanned(child, address);
    if (found) return found;
  }
  return undefined;
}

/** The HCL block of README.md that hands the credentials table over. */
function handOverBlock() {
  const readme = readFileSync(join(terraformDir, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```hcl\n([\s\S]*?)```/g)].map((match) => match[1]).find((text) => /from\s*=\s*module\.credentials_table\b/.test(text));
  if (block === undefined) throw new Error('deployment/terraform/README.md has no ```hcl block with a removed block for module.credentials_table');
  return block;
}

async function offlinePlanChecks(tf, tfFresh) {
  const results = [];
  const check = (ok, label, output = '') => results.push({ ok, label: `accounts/sample offline: ${label}`, output });
  try {
    await offlinePlanSteps(check, tf, tfFresh);
  } catch (err) {
    check(false, 'crashed', err.stack ?? String(err));
  }
  return results;
}

async function offlinePlanSteps(check, tf, tfFresh) {
  const work = join(tmp, 'offline');
  const sample = join(work, 'accounts', 'sample');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'accounts'), { recursive: true });
  // The sample as an operator has it (no tests, no state), beside the real modules.
  cpSync(join(terraformDir, 'accounts', 'sample'), sample, {
    recursive: true,
    filter: (source) => !/[/\\](tests|crossaccount|organization|\.terraform)$/.test(source) && !/\.tfstate|tfplan/.test(source),
  });
  symlinkSync(join(terraformDir, 'modules'), join(work, 'modules'), 'dir');
  cpSync(join(terraformDir, 'offline', 'offline_override.tf'), join(sample, 'offline_override.tf'));

  const init = await run(['init', '-reconfigure', '-input=false', '-no-color', '-lockfile=readonly'], sample);
  if (!init.ok) {
    check(false, 'terraform init', init.output);
    return;
  }
  const freshArgs = ['-input=false', '-no-color', '-var', 'hammer_present=false', '-var', `lambda_zip_dir=${distDir}`];
  const plan = await tfFresh(['plan', '-out=tfplan', ...freshArgs], sample);
  check(plan.ok, `terraform plan (fresh account, provider override offline/offline_override.tf, no AWS) (${plan.seconds.toFixed(1)} s)`, plan.output);
  if (!plan.ok) return;
  const show = await tf(['show', '-json', 'tfplan'], sample);
  let planJson;
  try {
    planJson = JSON.parse(show.stdout);
  } catch {
    check(false, 'terraform show -json tfplan', show.output);
    return;
  }

  const changes = planJson.resource_changes.filter((change) => change.mode === 'managed');
  const planned = changes.map((change) => change.address).sort();
  const missing = EXPECTED_FRESH_RESOURCES.filter((address) => !planned.includes(address));
  const extra = planned.filter((address) => !EXPECTED_FRESH_RESOURCES.includes(address));
  const notCreated = changes.filter((change) => change.change.actions.join(',') !== 'create').map((change) => `${change.address}: ${change.change.actions.join(',')}`);
  check(missing.length === 0 && extra.length === 0 && notCreated.length === 0, `terraform show -json: the planned resources are exactly the ${EXPECTED_FRESH_RESOURCES.length} expected, all created`,
    [missing.length ? `missing: ${missing.join(', ')}` : '', extra.length ? `unexpected: ${extra.join(', ')}` : '', notCreated.length ? `not a create: ${notCreated.join(', ')}` : ''].filter(Boolean).join('\n'));

  // IAM: each policy allows exactly what its code can send.
  const sampleConfig = JSON.parse(readFileSync(join(sample, 'config', 'config.json'), 'utf8'));
  const tableRoleByName = Object.fromEntries(changes.filter((change) => change.address in TABLE_ROLES).map((change) => [change.change.after.name, TABLE_ROLES[change.address]]));
  let derived;
  try {
    derived = deriveSdkPermissions({ root, entries: Object.fromEntries(POLICIES.map((policy) => [policy.address, policy.entry])) });
  } catch (err) {
    check(false, 'the AWS SDK commands of each handler (sdkPermissions.mjs)', err.stack ?? String(err));
    return;
  }
  for (const policy of POLICIES) {
    const change = changes.find((candidate) => candidate.address === policy.address);
    const document = change?.change.after?.policy;
    if (typeof document !== 'string') {
      check(false, `${policy.address}: policy known at plan`, JSON.stringify(change?.change ?? null));
      continue;
    }
    const { grants, other } = policyGrants(JSON.parse(document), tableRoleByName);
    const code = derived[policy.address];
    const unused = grants.filter((grant) => !code.permissions.includes(grant));
    const excused = excusedPermissions(sampleConfig, policy.core);
    const lacking = code.permissions.filter((permission) => !grants.includes(permission) && !excused.includes(permission));
    const strange = other.filter((action) => !policy.platform.includes(action));
    const where = code.calls.filter((call) => lacking.includes(call.permission)).map((call) => `${call.permission} sent by ${call.command} at ${call.module}:${call.line}`);
    check(unused.length === 0 && lacking.length === 0 && strange.length === 0, `${policy.address} allows exactly the SDK commands ${policy.entry} can send (${code.permissions.length})`,
      [unused.length ? `allowed but never sent by the code: ${unused.join(', ')}` : '', lacking.length ? `sent by the code but not allowed:\n${where.join('\n')}` : '', strange.length ? `neither code nor Lambda service needs: ${strange.join(', ')}` : ''].filter(Boolean).join('\n'));
  }

  // A state holding the three tables, as a fresh apply leaves it.
  const config = JSON.parse(readFileSync(join(sample, 'config', 'config.json'), 'utf8'));
  // (The override's backend keeps the state in offline-preview.tfstate.)
  writeFileSync(join(sample, 'offline-preview.tfstate'), `${JSON.stringify(stateWithTables(planJson, config.aws.region, config.aws.main_account_id), null, 2)}\n`);

  // A flag turned off and a renamed issues table: both refused.
  const renamed = join(work, 'renamed-config');
  mkdirSync(renamed);
  const oldName = config.cloudtrails['ddb.table_name'];
  config.cloudtrails['ddb.table_name'] = `${oldName}-v2`;
  writeFileSync(join(renamed, 'config.json'), JSON.stringify(config, null, 2));
  const refused = await tfFresh(['plan', '-refresh=false', '-input=false', '-no-color', '-var', 'hammer_present=true', '-var', 'adopt_issues_table=false', '-var', `config_dir=${renamed}`, '-var', `lambda_zip_dir=${distDir}`], sample);
  const flat = refused.output.replace(/\s+/g, ' ');
  check(!refused.ok && /Instance cannot be destroyed/.test(flat) && /module\.credentials_table\[0\]\.aws_dynamodb_table\.this has lifecycle\.prevent_destroy/.test(flat) && /module\.api_requests_table\[0\]\.aws_dynamodb_table\.this has lifecycle\.prevent_destroy/.test(flat),
    'turning the shared tables off (hammer_present = true) once created is refused: prevent_destroy, nothing destroyed', refused.output);
  check(!refused.ok && flat.includes(`The issues table is ${oldName}, and config.json now names ${oldName}-v2. DynamoDB cannot rename a table`) && !/module\.issues_table\.aws_dynamodb_table\.this has lifecycle\.prevent_destroy/.test(flat),
    'renaming the issues table in config.json is refused with the message saying what to do (and plans no replacement)', refused.output);

  // The hand-over of README.md, for the credentials and the issues table:
  // both forgotten, nothing destroyed, the API requests table unchanged.
  writeFileSync(join(sample, 'table_credentials.tf'), handOverBlock());
  writeFileSync(join(sample, 'table_issues.tf'), handOverBlock().replaceAll('credentials_table', 'issues_table'));
  const handOver = await tfFresh(['plan', '-refresh=false', ...freshArgs], sample);
  const summary = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(handOver.output);
  const forgotten = handOver.output.slice(handOver.output.indexOf('no longer be managed by Terraform'));
  check(handOver.ok && summary !== null && summary[2] === '0' && summary[3] === '0' && forgotten.includes('module.credentials_table[0].aws_dynamodb_table.this') && forgotten.includes('module.issues_table.aws_dynamodb_table.this') && !forgotten.includes('module.api_requests_table'),
    'handing the credentials and issues tables over with the removed block of README.md forgets them: nothing destroyed, the other table unchanged', handOver.output);
}

// ---------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const fmt = await run(['fmt', '-check', '-recursive', '-diff', '-no-color'], terraformDir);
  record(fmt.ok, 'terraform fmt -check -recursive deployment/terraform', fmt.output);

  // The environments plan the zips of dist/ (npm test builds them first).
  if (!zipsPresent(distDir)) {
    const build = await buildZips(distDir);
    record(build.ok && zipsPresent(distDir), 'dist/ lacked the zips: node build.mjs', build.output);
  }

  const queue = [];
  for (const folder of folders()) {
    const init = await initFolder(folder);
    record(init.ok, init.label, init.output);
    if (init.ok) queue.push(folder);
  }

  // The longest first: the offline plan chain, then the sample's tests.
  const tasks = [
    { name: 'offline', work: offlinePlanChecks },
    ...queue.sort((a, b) => Number(b.environment) - Number(a.environment)).map((folder) => ({ name: relative(terraformDir, folder.dir), work: (tf) => checkFolder(folder, tf) })),
  ].filter((task) => only === undefined || task.name.includes(only));

  // One provider process per worker, reused by all its terraform commands.
  const binary = process.env.TERRAFORM_CHECKS_SHARED_PROVIDER === '0' ? undefined : sharedProviderBinary(queue.map((folder) => folder.dir));
  const reattach = binary === undefined ? [] : await Promise.all(Array.from({ length: CONCURRENCY }, () => startSharedProvider(binary)));
  const shared = reattach.length > 0 && reattach.every((value) => value !== undefined);
  console.log(shared ? `provider: one process per worker (${CONCURRENCY}), attached with TF_REATTACH_PROVIDERS` : 'provider: started by terraform for each command');

  const reports = new Map();
  let next = 0;
  // A command that configures the real provider: a provider process of its own.
  const tfFresh = async (args, cwd) => {
    const own = shared ? await startSharedProvider(binary) : undefined;
    try {
      return await run(args, cwd, own === undefined ? {} : { TF_REATTACH_PROVIDERS: own });
    } finally {
      if (own !== undefined) await stopSharedProviders(own);
    }
  };
  const worker = async (index) => {
    const tf = (args, cwd) => run(args, cwd, shared ? { TF_REATTACH_PROVIDERS: reattach[index] } : {});
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      try {
        reports.set(task.name, await task.work(tf, tfFresh));
      } catch (err) {
        reports.set(task.name, [{ ok: false, label: `${task.name}: crashed`, output: err.stack ?? String(err) }]);
      }
    }
  };
  const workers = Promise.all(Array.from({ length: CONCURRENCY }, (_, index) => worker(index))).then(() => stopSharedProviders());

  // Meanwhile (terraform runs in child processes): a second build, in another
  // time zone and after touching the sources, must give the same zips.
  if (only !== undefined) {
    await workers;
    for (const task of tasks) for (const result of reports.get(task.name) ?? []) record(result.ok, result.label, result.output);
    finish();
  }
  rmSync(rebuildDir, { recursive: true, force: true });
  touchSources();
  const rebuild = await buildZips(rebuildDir, { TZ: 'America/Los_Angeles' });
  if (!rebuild.ok || !zipsPresent(rebuildDir) || !zipsPresent(distDir)) {
    record(false, 'second build (TZ=America/Los_Angeles, touched sources) gives the same zips', rebuild.output);
  } else {
    const changed = ZIPS.filter((zip) => sha256(join(distDir, zip)) !== sha256(join(rebuildDir, zip)));
    record(changed.length === 0, 'second build (TZ=America/Los_Angeles, touched sources) gives the same zips', changed.length ? `changed: ${changed.join(', ')}` : '');
  }

  await workers;
  for (const task of tasks) {
    for (const result of reports.get(task.name) ?? []) record(result.ok, result.label, result.output);
  }
  console.log(`(Terraform checks: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  finish();
}

await main();
