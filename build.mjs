#!/usr/bin/env node
// Builds one deterministic zip per Lambda: the esbuild bundle of its handler
// (exporting `lambda_handler`, CommonJS, AWS SDK bundled) plus the config files
// of the chosen folder, the way Hammer's build copies them into every package.
//
//   node build.mjs [--config <dir>] [--out <dir>] [--only <name>[,<name>...]]
//                  [--max-zip-bytes <n>] [--max-bundle-bytes <n>]
//
// Zips are byte-identical across rebuilds: fixed entry order, dates and
// permissions, whatever the file mtimes or the TZ variable.
//
// Every zip's code and every bundle must stay under SIZE_LIMITS: the build
// prints both sizes and fails above a limit, writing no zip, so a dependency
// bump cannot silently bloat the Lambdas or their cold start (issue 12).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';

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
 * The most a Lambda may weigh, in bytes (1 KB = 1000 bytes): issue 12's
 * targets, for the identification and reporting Lambdas.
 * - zipBytes: the zip of the code alone (the bundle, deflated as in the zip).
 *   The config files an environment packs beside it are its own data, not
 *   limited here; with the sample config a whole zip stays under this too.
 * - bundleBytes: the bundle itself, what Node reads and parses at a cold start.
 * `--max-zip-bytes` / `--max-bundle-bytes` may lower them (tests), never raise them.
 */
export const SIZE_LIMITS = Object.freeze({ zipBytes: 150_000, bundleBytes: 450_000 });

/**
 * Lambdas with limits of their own, which came after issue 12's targets:
 * clean_cloudtrails, the opt-in remediation (issue 11), carries
 * identification's CloudTrail, STS and DynamoDB clients and reporting's JIRA
 * and Slack clients over axios together, every one of which a run uses
 * (167,951 / 518,648 bytes when it came; 156,626 / 463,789 since the error
 * classes, package.json files, axios's browser, HTTP/2, progress, FormData
 * and data: URL code and mnemonist were left out or compacted). What is left
 * above 150,000 / 450,000 is code a remediation run executes; its limit keeps
 * it from growing. (realtime_to_desc_cloudtrails, which had one too, now
 * keeps issue 12's.)
 */
export const LAMBDA_SIZE_LIMITS = Object.freeze({
  clean_cloudtrails: Object.freeze({ zipBytes: 160_000, bundleBytes: 470_000 }),
});

/**
 * Added to the limits when the config turns an opt-in feature on (see
 * bundleFeatures), for the Lambdas that then carry more:
 * - securityhub: the Security Hub client of the findings export, whose
 *   finding format's schemas alone weigh some 200 KB (reporting 243,079 /
 *   729,116 bytes, remediation 253,179 / 781,146 with it);
 * - organization: the Organizations client, loaded by a dynamic import that
 *   esbuild can only bundle whole (+35 KB zipped, +84 to +132 KB of bundle in
 *   every Lambda).
 */
export const FEATURE_ALLOWANCES = Object.freeze({
  securityhub: Object.freeze({ lambdas: Object.freeze(['create_cloudtrail_tickets', 'clean_cloudtrails']), zipBytes: 110_000, bundleBytes: 340_000 }),
  organization: Object.freeze({ lambdas: undefined, zipBytes: 40_000, bundleBytes: 150_000 }),
});

/** The limits of one Lambda for a config's opt-in features (bundleFeatures). */
export function sizeLimitsOf(name, features = {}) {
  const limits = { ...(LAMBDA_SIZE_LIMITS[name] ?? SIZE_LIMITS) };
  for (const [feature, allowance] of Object.entries(FEATURE_ALLOWANCES)) {
    if (features[feature] !== true || (allowance.lambdas !== undefined && !allowance.lambdas.includes(name))) continue;
    limits.zipBytes += allowance.zipBytes;
    limits.bundleBytes += allowance.bundleBytes;
  }
  return limits;
}

/**
 * Packages the bundles replace by a stand-in (esbuild `alias`): code the
 * Lambdas would load at every cold start and never run (issue 12). Only the
 * bundles see these; tests and the laptop commands, run unbundled through
 * tsx, get the real packages.
 * - form-data: axios's multipart bodies (with mime-types and mime-db, 140 KB);
 *   JIRA and Slack get JSON only.
 * - debug: diagnostics of axios's redirect and proxy packages, printed only
 *   when the DEBUG variable names them.
 * - @smithy/core/event-streams: no operation the Lambdas call streams events.
 * - The default credential chain's SSO, shared-file profile, credential_process
 *   and web identity providers (with the SSO, sign-in and STS clients they
 *   carry): Lambda gives the role's credentials in the environment, which the
 *   chain's first link reads; the container/instance metadata link stays.
 * - mnemonist/lru-cache: the DynamoDB client's endpoint-discovery cache, made
 *   at every client construction; the same LRU cache over a Map instead
 *   (with obliterator and mnemonist's typed-array helpers, 7 KB).
 */
export const ALIASES = Object.freeze({
  'form-data': './build/formDataNotBundled.ts',
  debug: './build/debugNotBundled.cts',
  '@smithy/core/event-streams': './build/eventStreamsNotBundled.ts',
  '@aws-sdk/credential-provider-sso': './build/credentialProvidersNotBundled.ts',
  '@aws-sdk/credential-provider-ini': './build/credentialProvidersNotBundled.ts',
  '@aws-sdk/credential-provider-process': './build/credentialProvidersNotBundled.ts',
  '@aws-sdk/credential-provider-web-identity': './build/credentialProvidersNotBundled.ts',
  'mnemonist/lru-cache': './build/lruCacheNotBundled.ts',
});

const AXIOS_ADAPTERS = /[\\/]node_modules[\\/]axios[\\/]lib[\\/]adapters[\\/]adapters\.js$/;
const AXIOS_HTTP_ADAPTER = /[\\/]node_modules[\\/]axios[\\/]lib[\\/]adapters[\\/]http\.js$/;

/**
 * Modules inside a dependency that the bundles replace by a stand-in
 * (esbuild onResolve, where an alias cannot reach a relative import). With
 * `exportName`, the stand-in's export of that name is the module's default
 * export (the others keep their names).
 * - axios's fetch adapter: building it at load makes Node load undici, its
 *   fetch; the Lambdas use axios's http adapter.
 * - axios's XMLHttpRequest adapter: it exports `false` in Node, as its
 *   stand-in does, without the browser's cookie and same-origin helpers.
 * - The parts of axios's http adapter for HTTP/2 (node:http2 itself, whose
 *   load was some 10 ms of a cold start), progress callbacks and rate
 *   limits, FormData bodies and `data:` URLs (build/axiosNodeExtrasNotBundled.ts):
 *   no request of the Lambdas uses them; they fail loudly if one ever does.
 */
export const MODULE_STAND_INS = Object.freeze([
  { importer: AXIOS_ADAPTERS, path: './fetch.js', standIn: './build/axiosFetchAdapterNotBundled.ts' },
  { importer: AXIOS_ADAPTERS, path: './xhr.js', standIn: './build/axiosXhrAdapterNotBundled.ts' },
  { importer: AXIOS_HTTP_ADAPTER, path: 'http2', standIn: './build/axiosNodeExtrasNotBundled.ts', exportName: 'http2NotBundled' },
  { importer: AXIOS_HTTP_ADAPTER, path: '../helpers/Http2Sessions.js', standIn: './build/axiosNodeExtrasNotBundled.ts', exportName: 'Http2SessionsNotBundled' },
  { importer: AXIOS_HTTP_ADAPTER, path: '../helpers/AxiosTransformStream.js', standIn: './build/axiosNodeExtrasNotBundled.ts', exportName: 'AxiosTransformStreamNotBundled' },
  { importer: AXIOS_HTTP_ADAPTER, path: '../helpers/formDataToStream.js', standIn: './build/axiosNodeExtrasNotBundled.ts', exportName: 'formDataToStreamNotBundled' },
  { importer: AXIOS_HTTP_ADAPTER, path: '../helpers/fromDataURI.js', standIn: './build/axiosNodeExtrasNotBundled.ts', exportName: 'fromDataURINotBundled' },
  { importer: AXIOS_HTTP_ADAPTER, path: '../helpers/estimateDataURLDecodedBytes.js', standIn: './build/axiosNodeExtrasNotBundled.ts' },
]);

/**
 * Lines of dependencies the bundles change, each a no-op for this project
 * that saves work at every cold start. The build fails when a line is not
 * found (a dependency changed it), so a bump cannot silently undo the saving.
 * - axios reads the global FormData at load, which makes Node load undici;
 *   axios still recognises Node's FormData by its kind (isFormData), and no
 *   call of the Lambdas sends one.
 * - The credential chain's container/instance-metadata link imports its
 *   providers with import(): in a single-file CommonJS bundle esbuild then
 *   wraps them and every module they share with the rest (about 260, most of
 *   @smithy/core) in lazy initialisers and keeps their unused code (21 KB).
 *   Imported statically instead, the same providers, evaluated at load (they
 *   only define functions).
 * - The SDK's SHA-256 (signatures, checksums) falls back to a JavaScript
 *   implementation (3.4 KB) when node:crypto cannot make a sha256 hash, which
 *   Node on Lambda always can; without it the bundle fails at load saying so.
 */
export const SOURCE_PATCHES = Object.freeze([
  {
    file: /[\\/]node_modules[\\/]axios[\\/]lib[\\/]utils\.js$/,
    edits: [["const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;", 'const FormDataCtor = undefined;']],
  },
  {
    file: /[\\/]node_modules[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]checksum[\\/]sha256[\\/]Sha256Node\.js$/,
    edits: [
      ['import { Sha256Js } from "./Sha256Js";', ''],
      ['export const Sha256Node = hasNativeCrypto ? buildNativeClass() : Sha256Js;', 'export const Sha256Node = hasNativeCrypto ? buildNativeClass() : (() => { throw new Error("node:crypto has no sha256: the bundled Lambdas leave the SDK\'s JavaScript SHA-256 out (build.mjs)"); })();'],
    ],
  },
  {
    file: /[\\/]node_modules[\\/]@aws-sdk[\\/]credential-provider-node[\\/]dist-es[\\/]remoteProvider\.js$/,
    edits: [
      ['import { chain, CredentialsProviderError } from "@smithy/core/config";', 'import { chain, CredentialsProviderError } from "@smithy/core/config";\nimport * as imdsProviders from "@smithy/credential-provider-imds";\nimport * as httpProviders from "@aws-sdk/credential-provider-http";'],
      ['await import("@smithy/credential-provider-imds")', 'imdsProviders'],
      ['await import("@aws-sdk/credential-provider-http")', 'httpProviders'],
    ],
  },
]);

/** The schema modules the AWS SDK generates for each client (one per client, and per nested client). */
const SDK_SCHEMA_MODULE = /[\\/]node_modules[\\/]@aws-sdk[\\/].+[\\/]schemas[\\/]schemas_\d+\.js$/;

/**
 * The SDK's schema modules write member traits with computed keys of
 * module constants (`{ [_xN]: _rIeg }` with `const _xN = "xmlName"`), which
 * esbuild must assume may have side effects, so it keeps every schema of a
 * client, used or not: 553 KB of EC2 schemas for DescribeRegions. Writing
 * those keys as the string literals they are changes nothing at run time and
 * lets esbuild drop the schemas no command of the bundle uses.
 */
export function literalSchemaKeys(source) {
  const constants = new Map();
  for (const match of source.matchAll(/^const (\w+) = ("[^"\\\n]*");$/gm)) constants.set(match[1], match[2]);
  return source.replace(/\[(\w+)\]:/g, (computed, name) => (constants.has(name) ? `${constants.get(name)}:` : computed));
}

/**
 * The schema modules register each error class with a statement of its own
 * (`n0_registry.registerError(AccessDeniedException$, AccessDeniedException);`,
 * 87 of them for CloudTrail, some 25 bytes each once minified). Written as
 * one loop over the same (registry, schema, class) triples, in the same
 * order, at the module's end (nothing in a schema module reads a registry
 * while it loads), they cost a third of that.
 */
export function batchErrorRegistrations(source) {
  const triples = [];
  const rest = source.replace(/^(\w+)\.registerError\((\w+\$), (\w+)\);\n/gm, (line, registry, schema, ctor) => {
    triples.push(`${registry}, ${schema}, ${ctor}`);
    return '';
  });
  if (triples.length === 0) return source;
  return `${rest}${rest.endsWith('\n') ? '' : '\n'}{
    const registrations = [${triples.join(', ')}];
    for (let i = 0; i < registrations.length; i += 3) registrations[i].registerError(registrations[i + 1], registrations[i + 2]);
}
`;
}

const schemaTreeShaking = {
  name: 'sdk-schema-tree-shaking',
  setup(build) {
    build.onLoad({ filter: SDK_SCHEMA_MODULE }, async (args) => ({ contents: batchErrorRegistrations(literalSchemaKeys(await readFile(args.path, 'utf8'))), loader: 'js' }));
  },
};

/** The error classes each AWS SDK client generates, one per modelled error of the service. */
const SDK_ERROR_MODULE = /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]models[\\/]errors\.js$/;

/** One generated error class, exactly as the SDK's code generator writes it (the members in the order declared). */
const SDK_ERROR_CLASS = /^export class (\w+) extends __BaseException \{\n(?:    static shapeId = ("[^"\\\n]*");\n)?    name = "\1";\n    \$fault = ("client"|"server");\n(?:    \$retryable = (\{[^\n;]*\});\n)?((?:    \w+;\n)*)    constructor\(opts\) \{\n        super\(\{\n            name: "\1",\n            \$fault: \3,\n            \.\.\.opts,\n        \}\);\n        Object\.setPrototypeOf\(this, \1\.prototype\);\n((?:        this\.\w+ = opts\.\w+;\n)*)    \}\n\}\n/gm;

/**
 * The same classes, made by one function: with `keepNames` each generated
 * class costs some 280 bytes of bundle, 86 of them CloudTrail's, 50 KB of a
 * bundle with five clients (issue 12). Every client registers all of its
 * error classes at load (the error deserializer builds the modelled error of
 * a service's answer from them), so esbuild keeps them all, used or not.
 *
 * What an instance is stays the same: the class's name, its own static
 * `shapeId` (ServiceException's `instanceof` reads it), the prototype chain,
 * and the own properties of an instance in the same order, defined as class
 * fields define them (`name`, `$fault`, `$retryable` where the class has
 * one, each member, then the members given in `opts`). A file the code
 * generator writes in another shape is not changed silently: the build fails
 * naming it.
 */
export function compactSdkErrorClasses(source, path = 'errors.js') {
  const lines = source.split('\n');
  const header = lines[0] ?? '';
  const base = /^import \{ \w+ as __BaseException \} from "\.\/\w+";$/;
  if (!base.test(header)) throw new Error(`${path} no longer starts the way build.mjs expects (compactSdkErrorClasses): ${header}`);
  const made = [];
  const rest = source.slice(header.length + 1).replace(SDK_ERROR_CLASS, (whole, name, shapeId, fault, retryable, declared, assigned) => {
    const members = [...declared.matchAll(/^    (\w+);$/gm)].map((match) => match[1]);
    const given = [...assigned.matchAll(/^        this\.(\w+) = opts\.(\w+);$/gm)].map((match) => (match[1] === match[2] ? match[1] : undefined));
    if (given.length !== members.length || given.some((member, index) => member !== members[index])) {
      throw new Error(`${path}: error class ${name} sets members other than it declares (compactSdkErrorClasses)`);
    }
    const optional = retryable === undefined ? (shapeId === undefined ? '' : `, ${shapeId}`) : `, ${shapeId ?? 'undefined'}, () => (${retryable})`;
    made.push(`export const ${name} = /* @__PURE__ */ __errorClass(__BaseException, "${name}", ${fault}, ${JSON.stringify(members)}${optional});`);
    return '';
  });
  if (rest.trim() !== '') throw new Error(`${path} has code build.mjs does not recognise as a generated error class (compactSdkErrorClasses): ${rest.trim().slice(0, 120)}`);
  return `${header}
import { errorClass as __errorClass } from ${JSON.stringify(SDK_ERROR_CLASS_MODULE)};
${made.join('\n')}
`;
}

/** The one function every compacted errors.js makes its classes with (a module of the bundle's own, see sdkErrorClasses). */
const SDK_ERROR_CLASS_MODULE = 'build:sdk-error-class';
export const SDK_ERROR_CLASS_SOURCE = `const field = (target, key, value) => Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
export const errorClass = (BaseException, name, fault, members, shapeId, retryable) => {
    const ErrorClass = { [name]: class extends BaseException {
        constructor(opts) {
            super({ name, $fault: fault, ...opts });
            field(this, "name", name);
            field(this, "$fault", fault);
            if (retryable !== undefined) field(this, "$retryable", retryable());
            for (const member of members) field(this, member, undefined);
            Object.setPrototypeOf(this, ErrorClass.prototype);
            for (const member of members) this[member] = opts[member];
        }
    } }[name];
    if (shapeId !== undefined) field(ErrorClass, "shapeId", shapeId);
    return ErrorClass;
};
`;

const sdkErrorClasses = {
  name: 'sdk-error-classes',
  setup(build) {
    build.onLoad({ filter: SDK_ERROR_MODULE }, async (args) => ({ contents: compactSdkErrorClasses(await readFile(args.path, 'utf8'), args.path), loader: 'js' }));
    build.onResolve({ filter: /^build:sdk-error-class$/ }, (args) => ({ path: args.path, namespace: 'sdk-error-class' }));
    build.onLoad({ filter: /.*/, namespace: 'sdk-error-class' }, () => ({ contents: SDK_ERROR_CLASS_SOURCE, loader: 'js' }));
  },
};

/** The package.json of an AWS SDK client, which its runtimeConfig.js imports whole for the user agent's version. */
const SDK_CLIENT_PACKAGE_JSON = /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/;

/**
 * An SDK client's package.json as the bundle needs it: the client imports
 * the whole file (about 2 KB of scripts, dependencies and the like) and
 * reads only `version` (the user agent's `api/<service>#<version>`); the
 * bundle keeps `name` and `version`. A test checks that the clients read
 * nothing else (test/unit/build/sdkBundleTransforms.test.ts).
 */
export function sdkClientPackageJson(source, path = 'package.json') {
  const { name, version } = JSON.parse(source);
  if (typeof name !== 'string' || typeof version !== 'string') throw new Error(`${path} has no name and version (sdkClientPackageJson)`);
  return JSON.stringify({ name, version });
}

const sdkClientPackageJsonPlugin = {
  name: 'sdk-client-package-json',
  setup(build) {
    build.onLoad({ filter: SDK_CLIENT_PACKAGE_JSON }, async (args) => ({ contents: sdkClientPackageJson(await readFile(args.path, 'utf8'), args.path), loader: 'json' }));
  },
};

/** A dependency's source with a patch's edits; throws naming the file when a text to replace is not there. */
export function applySourcePatch(patch, path, source) {
  let patched = source;
  for (const [find, replace] of patch.edits) {
    if (!patched.includes(find)) throw new Error(`${path} no longer has the text build.mjs patches (SOURCE_PATCHES): ${find}`);
    patched = patched.replace(find, replace);
  }
  return patched;
}

const standInsAndPatches = {
  name: 'stand-ins-and-patches',
  setup(build) {
    for (const { importer, path, standIn, exportName } of MODULE_STAND_INS) {
      build.onResolve({ filter: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }, (args) => {
        if (!importer.test(args.importer)) return undefined;
        if (exportName === undefined) return { path: join(root, standIn) };
        // A module of its own whose default export is the stand-in's export of that name.
        return { path: `${join(root, standIn)}#${exportName}`, namespace: 'stand-in-default' };
      });
    }
    build.onLoad({ filter: /.*/, namespace: 'stand-in-default' }, (args) => {
      const [file, exportName] = args.path.split('#');
      return { contents: `export { ${exportName} as default } from ${JSON.stringify(file)};`, loader: 'js', resolveDir: root };
    });
    for (const patch of SOURCE_PATCHES) {
      build.onLoad({ filter: patch.file }, async (args) => ({ contents: applySourcePatch(patch, args.path, await readFile(args.path, 'utf8')), loader: 'js' }));
    }
  },
};

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

const USAGE = `usage: node build.mjs [options]   (npm run build [-- options])

Builds one deterministic zip per Lambda into --out: the esbuild bundle of its
handler plus the config files of --config, and config.sha256.json for
Terraform's check that the zips match the environment's config. Fails, writing
no zip, when a bundle or zip is above its size limit.

options:
  --config <dir>            the config folder (default deployment/terraform/accounts/sample/config)
  --out <dir>               where the zips go (default dist)
  --only <name>[,<name>]    build only these Lambdas (${LAMBDAS.map((lambda) => lambda.name).join(', ')})
  --max-zip-bytes <n>       lower the zip size limit (never raise it)
  --max-bundle-bytes <n>    lower the bundle size limit (never raise it)
  --help                    print this and exit`;

/** A usage error: the usage, exit 2 (a failed build exits 1). */
function usageError(message) {
  console.error(`build: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseCommandLine() {
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  try {
    const { values } = parseArgs({
      options: {
        config: { type: 'string', default: 'deployment/terraform/accounts/sample/config' },
        out: { type: 'string', default: 'dist' },
        only: { type: 'string' },
        'max-zip-bytes': { type: 'string' },
        'max-bundle-bytes': { type: 'string' },
      },
      strict: true,
    });
    const names = LAMBDAS.map((lambda) => lambda.name);
    const only = values.only === undefined ? names : values.only.split(',').map((name) => name.trim()).filter(Boolean);
    const unknown = only.filter((name) => !names.includes(name));
    if (unknown.length > 0) usageError(`--only: unknown Lambda ${unknown.join(', ')}; known: ${names.join(', ')}`);
    // Caps on every Lambda's limits; at most issue 12's, so they can only lower a limit.
    const caps = {
      zipBytes: lowerLimit('--max-zip-bytes', values['max-zip-bytes'], SIZE_LIMITS.zipBytes),
      bundleBytes: lowerLimit('--max-bundle-bytes', values['max-bundle-bytes'], SIZE_LIMITS.bundleBytes),
    };
    const givenCaps = values['max-zip-bytes'] !== undefined || values['max-bundle-bytes'] !== undefined;
    const limits = (name, features) => {
      const kept = sizeLimitsOf(name, features);
      if (!givenCaps) return kept;
      return { zipBytes: Math.min(kept.zipBytes, caps.zipBytes), bundleBytes: Math.min(kept.bundleBytes, caps.bundleBytes) };
    };
    return { configDir: resolve(values.config), outDir: resolve(values.out), only: new Set(only), limits };
  } catch (err) {
    return usageError(err.message);
  }
}

function lowerLimit(option, value, kept) {
  if (value === undefined) return kept;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`${option} must be a whole number of bytes, got ${value}`);
  if (limit > kept) throw new Error(`${option} ${limit} is above the limit kept in build.mjs (${kept}); it may only lower it`);
  return limit;
}

/** What is over its limit, one sentence each; empty when the Lambda is within them. */
export function sizeProblems(name, sizes, limits = SIZE_LIMITS) {
  const problems = [];
  if (sizes.zipBytes > limits.zipBytes) problems.push(`${name}: the zip's code is ${sizes.zipBytes} bytes, over the limit of ${limits.zipBytes}`);
  if (sizes.bundleBytes > limits.bundleBytes) problems.push(`${name}: the bundle is ${sizes.bundleBytes} bytes, over the limit of ${limits.bundleBytes}`);
  return problems;
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

/**
 * The Organizations client (library/aws/organizationsClient.ts, with the
 * Organizations and STS clients) is loaded by a dynamic import only when
 * config.json has aws.organization. In a single-file CommonJS bundle that
 * import makes esbuild wrap the client and every module it shares with the
 * rest in lazy initialisers and keep all of the client's commands: about
 * 130 KB of every Lambda (issue 12). When the config being built has no
 * aws.organization, a stub takes its place, as for the Security Hub export.
 */
const ORGANIZATIONS_CLIENT = /^\.\.\/aws\/organizationsClient\.ts$/;
const ORGANIZATIONS_STUB = `export function organizationCheckedAccounts() {
  throw new Error('this build has no Organizations client: aws.organization was absent from the config it was built with; build again with it');
}`;

function organizationsClientPlugin(enabled) {
  return {
    name: 'organizations-client',
    setup(build) {
      if (enabled) return;
      build.onResolve({ filter: ORGANIZATIONS_CLIENT }, (args) => ({ path: args.path, namespace: 'organizations-stub' }));
      build.onLoad({ filter: /.*/, namespace: 'organizations-stub' }, () => ({ contents: ORGANIZATIONS_STUB, loader: 'js' }));
    },
  };
}

/** The opt-in features a config turns on that change what the bundles carry. */
export function bundleFeatures(config) {
  return { securityhub: config.cloudtrails.securityhub === true, organization: config.aws.organization !== undefined };
}

/**
 * esbuild's options for the bundle of one entry point (exported for analyses
 * of the bundles, e.g. with `metafile: true`), for a config's bundleFeatures.
 */
export function bundleOptions(entry, features = { securityhub: false, organization: false }) {
  return {
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    keepNames: true,
    mainFields: ['module', 'main'],
    alias: ALIASES,
    plugins: [schemaTreeShaking, sdkErrorClasses, sdkClientPackageJsonPlugin, standInsAndPatches, securityHubExportPlugin(features.securityhub), organizationsClientPlugin(features.organization)],
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
    absWorkingDir: root,
  };
}

async function bundle(lambda, config) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build(bundleOptions(lambda.entry, bundleFeatures(config)));
  const [output] = result.outputFiles;
  if (!output) fail(`esbuild produced no output for ${lambda.entry}`);
  return output.contents;
}

/** The zip of a bundle alone: what SIZE_LIMITS.zipBytes limits. */
export function codeZipBytes(name, bundle) {
  return zipSync(zipEntries({ [`${name}.js`]: bundle })).length;
}

function zipEntries(files) {
  const entries = {};
  for (const name of Object.keys(files).sort()) {
    entries[name] = [files[name], { mtime: ZIP_DATE, os: 3, attrs: FILE_MODE << 16, level: 9 }];
  }
  return entries;
}

async function main() {
  const { configDir, outDir, only, limits } = parseCommandLine();
  const config = await validateConfig(configDir);

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

  const built = [];
  const problems = [];
  for (const lambda of LAMBDAS.filter((candidate) => only.has(candidate.name))) {
    if (!existsSync(join(root, lambda.entry))) fail(`entry point ${lambda.entry} of ${lambda.name} is missing`);
    const code = await bundle(lambda, config);
    const zip = zipSync(zipEntries({ [`${lambda.name}.js`]: code, ...configEntries }));
    const sizes = { zipBytes: codeZipBytes(lambda.name, code), bundleBytes: code.length };
    const lambdaLimits = limits(lambda.name, bundleFeatures(config));
    problems.push(...sizeProblems(lambda.name, sizes, lambdaLimits));
    built.push({ lambda, zip, sizes, lambdaLimits });
  }
  mkdirSync(outDir, { recursive: true });
  for (const { lambda, zip, sizes, lambdaLimits } of built) {
    const zipPath = join(outDir, `${lambda.name}.zip`);
    const sha256 = createHash('sha256').update(zip).digest('hex');
    const shown = relative(process.cwd(), zipPath) || zipPath;
    console.log(`${shown}  ${zip.length} bytes  sha256 ${sha256}  (code zipped ${sizes.zipBytes} of ${lambdaLimits.zipBytes}, bundle ${sizes.bundleBytes} of ${lambdaLimits.bundleBytes} bytes)`);
  }
  if (problems.length > 0) fail(`no zip written, size limits (SIZE_LIMITS, LAMBDA_SIZE_LIMITS in build.mjs) exceeded:\n  ${problems.join('\n  ')}`);
  for (const { lambda, zip } of built) writeFileSync(join(outDir, `${lambda.name}.zip`), zip);
  writeFileSync(join(outDir, 'config.sha256.json'), `${JSON.stringify(configHashes, null, 2)}\n`);
}

// Run as a command; imported (tests of the size limits), it only defines.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
