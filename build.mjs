#!/usr/bin/env node
// Builds one deterministic zip per Lambda: the esbuild bundle of its handler
// (exporting `lambda_handler`, CommonJS, AWS SDK bundled) plus the config files
// of the chosen folder, the way Hammer's build copies them into every package.
//
//   node build.mjs [--config <dir>] [--out <dir>] [--only <name>[,<name>...]]
//
// Zips are byte-identical across rebuilds: fixed entry order, dates and
// permissions, whatever the file mtimes or the TZ variable.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

process.env.TZ = 'UTC';
const root = dirname(fileURLToPath(import.meta.url));

/** Every Lambda of the module: zip name (= handler module name) and entry point. */
export const LAMBDAS = [
  { name: 'initiate_to_desc_cloudtrails', entry: 'lambdas/cloudtrails-issues-identification/initiate_to_desc_cloudtrails.ts' },
  { name: 'describe_cloudtrails', entry: 'lambdas/cloudtrails-issues-identification/describe_cloudtrails.ts' },
  { name: 'create_cloudtrail_tickets', entry: 'reporting/create_cloudtrail_tickets.ts' },
  { name: 'clean_cloudtrails', entry: 'remediation/clean_cloudtrails.ts' },
  { name: 'realtime_to_desc_cloudtrails', entry: 'lambdas/cloudtrails-issues-identification/realtime_to_desc_cloudtrails.ts' },
];

/**
 * Config files copied into every zip. config.json is required (the config
 * check fails without it); the others are copied when present, as Hammer
 * reads them with empty defaults.
 */
const CONFIG_FILES = ['config.json', 'whitelist.json', 'ticket_owners.json', 'temp_whitelist_issues.json'];

// 1980-01-01 00:00 in local time: the zip format stores local DOS time, so a
// local-time constructor gives the same bytes in every time zone.
const ZIP_DATE = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

function parseCommandLine() {
  try {
    const { values } = parseArgs({
      options: {
        config: { type: 'string', default: 'deployment/terraform/accounts/sample/config' },
        out: { type: 'string', default: 'dist' },
        only: { type: 'string' },
      },
      strict: true,
    });
    const names = LAMBDAS.map((lambda) => lambda.name);
    const only = values.only === undefined ? names : values.only.split(',').map((name) => name.trim()).filter(Boolean);
    const unknown = only.filter((name) => !names.includes(name));
    if (unknown.length > 0) fail(`--only: unknown Lambda ${unknown.join(', ')}; known: ${names.join(', ')}`);
    return { configDir: resolve(values.config), outDir: resolve(values.out), only: new Set(only) };
  } catch (err) {
    return fail(`${err.message}; usage: node build.mjs [--config <dir>] [--out <dir>] [--only <name>[,<name>...]]`);
  }
}

async function validateConfig(configDir) {
  if (!existsSync(configDir)) fail(`config folder ${configDir} does not exist`);
  // The config model is TypeScript; tsx (a dev dependency) loads it here so the
  // build checks the files with exactly the rules the Lambdas apply.
  const { register } = await import('tsx/esm/api');
  const unregister = register();
  try {
    const { loadConfig } = await import('./config/loadConfig.ts');
    return loadConfig(configDir);
  } catch (err) {
    fail(`invalid config in ${configDir}: ${err.message}`);
  } finally {
    await unregister();
  }
}

/**
 * jira.ca_bundle names a PEM file relative to the config folder; the Lambdas
 * read it relative to the zip's root, so it travels in the zip at that path.
 */
function caBundleEntry(configDir, caBundle) {
  if (caBundle === undefined) return undefined;
  if (isAbsolute(caBundle)) fail(`jira.ca_bundle ${caBundle} is an absolute path: the Lambdas cannot read it; put the file in ${configDir} and name it relative to that folder`);
  const name = normalize(caBundle).split(sep).join('/');
  if (name.startsWith('../')) fail(`jira.ca_bundle ${caBundle} is outside the config folder ${configDir}`);
  const path = join(configDir, caBundle);
  if (!existsSync(path)) fail(`jira.ca_bundle ${caBundle}: no file at ${path}`);
  return { name, content: readFileSync(path) };
}

/**
 * The Security Hub export (reporting/securityhub/securityHubProduction.ts,
 * with the Security Hub and STS clients: about 90 KB of the reporting zip) is
 * loaded by a dynamic import only when cloudtrails.securityhub is on. When the
 * config being built has it off, a stub takes its place, so the zips of
 * deployments that do not use the export stay as they were (the zip and its
 * config go together: Terraform checks they match).
 */
const SECURITY_HUB_EXPORT = /^\.\/securityhub\/securityHubProduction\.ts$/;
const SECURITY_HUB_STUB = `export function productionSecurityHubExport() {
  throw new Error('this build has no Security Hub export: cloudtrails.securityhub was off in the config it was built with; build again with it on');
}`;

function securityHubExportPlugin(enabled) {
  return {
    name: 'securityhub-export',
    setup(build) {
      if (enabled) return;
      build.onResolve({ filter: SECURITY_HUB_EXPORT }, (args) => ({ path: args.path, namespace: 'securityhub-stub' }));
      build.onLoad({ filter: /.*/, namespace: 'securityhub-stub' }, () => ({ contents: SECURITY_HUB_STUB, loader: 'js' }));
    },
  };
}

async function bundle(lambda, config) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(root, lambda.entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    keepNames: true,
    mainFields: ['module', 'main'],
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
    absWorkingDir: root,
    plugins: [securityHubExportPlugin(config.cloudtrails.securityhub)],
  });
  const [output] = result.outputFiles;
  if (!output) fail(`esbuild produced no output for ${lambda.entry}`);
  return output.contents;
}

async function main() {
  const { configDir, outDir, only } = parseCommandLine();
  const config = await validateConfig(configDir);
  const { zipSync } = await import('fflate');

  const configEntries = {};
  for (const file of CONFIG_FILES) {
    const path = join(configDir, file);
    if (existsSync(path)) configEntries[file] = readFileSync(path);
  }
  // The sha256 of the config files packed, so that Terraform can check the
  // zips were built from the environment's own config folder.
  const configHashes = Object.fromEntries(Object.keys(configEntries).sort().map((file) => [file, createHash('sha256').update(configEntries[file]).digest('hex')]));
  const caBundle = caBundleEntry(configDir, config.jira.caBundle);
  if (caBundle) configEntries[caBundle.name] = caBundle.content;

  mkdirSync(outDir, { recursive: true });
  for (const lambda of LAMBDAS.filter((candidate) => only.has(candidate.name))) {
    if (!existsSync(join(root, lambda.entry))) fail(`entry point ${lambda.entry} of ${lambda.name} is missing`);
    const files = { [`${lambda.name}.js`]: await bundle(lambda, config), ...configEntries };
    const entries = {};
    for (const name of Object.keys(files).sort()) {
      entries[name] = [files[name], { mtime: ZIP_DATE, os: 3, attrs: FILE_MODE << 16, level: 9 }];
    }
    const zip = zipSync(entries);
    const zipPath = join(outDir, `${lambda.name}.zip`);
    writeFileSync(zipPath, zip);
    const sha256 = createHash('sha256').update(zip).digest('hex');
    console.log(`${relative(process.cwd(), zipPath) || zipPath}  ${zip.length} bytes  sha256 ${sha256}`);
  }
  writeFileSync(join(outDir, 'config.sha256.json'), `${JSON.stringify(configHashes, null, 2)}\n`);
}

await main();
