/**
 * What build.mjs changes in the dependencies' code for the bundles (issue
 * 12), where a change could otherwise go wrong silently: each rewritten or
 * replaced piece is run beside the original and must behave the same.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MODULE_STAND_INS, batchErrorRegistrations, bundleOptions, compactSdkErrorClasses, sdkClientPackageJson } from '../../../build.mjs';
import LruCacheStandIn from '../../../build/lruCacheNotBundled.ts';
import { REPOSITORY_ROOT } from '../../helpers/builtLambdas.ts';

const require = createRequire(import.meta.url);
const SDK = join(REPOSITORY_ROOT, 'node_modules', '@aws-sdk');
const CLIENTS = readdirSync(SDK).filter((name) => name.startsWith('client-')).sort();
const AXIOS_LIB = join(dirname(require.resolve('axios/package.json')), 'lib');

const test = suite('build.mjs: the dependencies\' code the bundles change');

type Exports = Record<string, unknown>;

/** The CommonJS bundle of one module, with the build's transforms or without any, evaluated. */
async function load(entry: string, transformed: boolean): Promise<Exports> {
  const options = bundleOptions(entry) as esbuild.BuildOptions;
  const result = await esbuild.build({ ...options, ...(transformed ? {} : { plugins: [] }), write: false, logLevel: 'silent' });
  const code = new TextDecoder().decode(result.outputFiles?.[0]?.contents);
  const module = { exports: {} as Exports };
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  return module.exports;
}

type ErrorClass = (new (opts: Record<string, unknown>) => Error) & { shapeId?: string };

/** Everything observable of an error class and of an instance made with `opts`, the stack's frames aside. */
function describeError(ErrorCtor: ErrorClass, opts: Record<string, unknown>): unknown {
  const instance = new ErrorCtor(opts);
  const own = Object.getOwnPropertyNames(instance).filter((key) => key !== 'stack');
  return {
    name: ErrorCtor.name,
    base: Object.getPrototypeOf(ErrorCtor).name,
    statics: Object.getOwnPropertyNames(ErrorCtor).sort(),
    shapeId: Object.getOwnPropertyDescriptor(ErrorCtor, 'shapeId'),
    own,
    descriptors: own.map((key) => Object.getOwnPropertyDescriptor(instance, key)),
    prototypeIsClass: Object.getPrototypeOf(instance) === ErrorCtor.prototype,
    isInstance: instance instanceof ErrorCtor,
    isError: instance instanceof Error,
    text: String(instance),
  };
}

test('every SDK client\'s error classes, compacted, are what the generated ones are: names, shape ids, fields in order, prototype chain', async () => {
  let compared = 0;
  for (const client of CLIENTS) {
    const file = join(SDK, client, 'dist-es', 'models', 'errors.js');
    if (!existsSync(file)) continue;
    const entry = file.slice(REPOSITORY_ROOT.length + 1);
    const [original, compact] = await Promise.all([load(entry, false), load(entry, true)]);
    assert.equal(Object.keys(compact).sort(), Object.keys(original).sort(), client);
    for (const [name, OriginalCtor] of Object.entries(original) as Array<[string, ErrorClass]>) {
      const CompactCtor = compact[name] as ErrorClass;
      // The members a class declares are own properties of an instance made with nothing.
      const declared = Object.keys(new OriginalCtor({ $metadata: {} }));
      const opts: Record<string, unknown> = { message: 'boom', $metadata: { httpStatusCode: 400, requestId: 'req-1' }, Unmodelled: 'kept too' };
      for (const key of declared) if (!(key in opts) && !['name', '$fault', '$retryable'].includes(key)) opts[key] = `value of ${key}`;
      assert.equal(describeError(CompactCtor, opts), describeError(OriginalCtor, opts), `${client} ${name}`);
      compared += 1;
    }
  }
  assert.ok(compared > 200, `compared ${compared} classes`);
});

test('the compaction refuses a file it does not recognise, naming it, rather than changing it silently', () => {
  const header = 'import { XServiceException as __BaseException } from "./XServiceException";\n';
  const unusual = `${header}export class Odd extends __BaseException {\n    name = "Odd";\n    $fault = "client";\n    static isOdd() { return true; }\n}\n`;
  assert.throws(() => compactSdkErrorClasses(unusual, 'client-x/errors.js'), /client-x\/errors\.js has code build\.mjs does not recognise/);
  assert.throws(() => compactSdkErrorClasses('export const x = 1;\n', 'client-y/errors.js'), /client-y\/errors\.js no longer starts the way build\.mjs expects/);
});

test('error registrations, batched, are the same calls in the same order', () => {
  const source = [
    'const a_registry = registry("a");',
    'export var One$ = [-3, "a", "One", 0, [], []];',
    'a_registry.registerError(One$, One);',
    'const b_registry = registry("b");',
    'export var Two$ = [-3, "b", "Two", 0, [], []];',
    'b_registry.registerError(Two$, Two);',
    'export var Three$ = [-3, "a", "Three", 0, [], []];',
    'a_registry.registerError(Three$, Three);',
    'export const errorTypeRegistries = [a_registry, b_registry];',
    '',
  ].join('\n');
  const batched = batchErrorRegistrations(source);
  assert.not.match(batched, /^\w+\.registerError/m);
  const calls = (text: string): string[] => {
    const seen: string[] = [];
    const registry = (ns: string) => ({ registerError: (schema: unknown[], ctor: { name: string }) => seen.push(`${ns}:${String(schema[2])}:${ctor.name}`) });
    new Function('registry', `class One {} class Two {} class Three {} ${text.replace(/export /g, '')}`)(registry);
    return seen;
  };
  assert.equal(calls(batched), ['a:One:One', 'b:Two:Two', 'a:Three:Three']);
  assert.equal(calls(batched), calls(source));
  // On a real schema module: every registration is kept.
  const cloudTrail = readFileSync(join(SDK, 'client-cloudtrail', 'dist-es', 'schemas', 'schemas_0.js'), 'utf8');
  const registrations = cloudTrail.match(/^\w+\.registerError\(/gm)?.length ?? 0;
  const rewritten = batchErrorRegistrations(cloudTrail);
  assert.ok(registrations > 50);
  assert.not.match(rewritten, /^\w+\.registerError\(/m);
  assert.is(rewritten.match(/\w+_registry, \w+\$, \w+/g)?.length, registrations);
});

test('the SDK clients read only the version of the package.json they import, which the bundles keep with the name', () => {
  let readers = 0;
  for (const client of CLIENTS) {
    const dist = join(SDK, client, 'dist-es');
    for (const file of readdirSync(dist).filter((name) => name.endsWith('.js'))) {
      const source = readFileSync(join(dist, file), 'utf8');
      const imported = /^import (\w+) from "\.\.\/package\.json";$/m.exec(source)?.[1];
      if (imported === undefined) {
        assert.not.match(source, 'package.json', `${client}/${file} imports package.json another way`);
        continue;
      }
      readers += 1;
      const uses = source.match(new RegExp(`\\b${imported}\\b(\\.\\w+)?`, 'g')) ?? [];
      assert.equal(uses.slice(1).filter((use) => use !== `${imported}.version`), [], `${client}/${file}`);
    }
    const json = JSON.parse(readFileSync(join(SDK, client, 'package.json'), 'utf8')) as { name: string; version: string };
    assert.equal(JSON.parse(sdkClientPackageJson(JSON.stringify(json))), { name: json.name, version: json.version });
  }
  assert.ok(readers >= CLIENTS.length, `${readers} readers of package.json`);
  assert.throws(() => sdkClientPackageJson('{"name":"x"}', 'client-x/package.json'), /client-x\/package\.json has no name and version/);
});

test('the LRU cache standing in for mnemonist\'s answers every operation @aws-sdk/endpoint-cache makes as mnemonist does', () => {
  const Mnemonist = require('mnemonist/lru-cache') as new (capacity: number) => { get(key: string): unknown; peek(key: string): unknown; has(key: string): boolean; set(key: string, value: unknown): unknown; clear(): void; size: number };
  let seed = 12345;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (const capacity of [1, 2, 3, 5]) {
    const real = new Mnemonist(capacity);
    const standIn = new LruCacheStandIn(capacity);
    for (let step = 0; step < 2000; step += 1) {
      const key = `k${random(capacity * 2 + 1)}`;
      const operation = ['get', 'peek', 'has', 'set', 'set', 'clear'][random(step % 97 === 0 ? 6 : 5)] as string;
      const value = [{ Address: `a${step}`, Expires: step }];
      const answers = [real, standIn].map((cache) => {
        if (operation === 'set') return cache.set(key, value);
        if (operation === 'clear') return cache.clear();
        return (cache as unknown as Record<string, (key: string) => unknown>)[operation]?.(key);
      });
      assert.equal(answers[1], answers[0], `capacity ${capacity}, step ${step}: ${operation} ${key}`);
      assert.is(standIn.size, real.size, `capacity ${capacity}, step ${step}: size`);
    }
  }
  for (const capacity of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '3' as unknown as number]) {
    let realError: string | undefined;
    try {
      new Mnemonist(capacity);
    } catch (err) {
      realError = (err as Error).message;
    }
    assert.type(realError, 'string', `mnemonist takes a capacity of ${String(capacity)}`);
    assert.throws(() => new LruCacheStandIn(capacity), (err: Error) => err.message === realError, String(capacity));
  }
});

test('axios\'s XMLHttpRequest adapter is `false` in Node, as its stand-in is', async () => {
  const xhr = (await import(pathToFileURL(join(AXIOS_LIB, 'adapters', 'xhr.js')).href)) as { default: unknown };
  assert.is(typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest, 'undefined');
  assert.is(xhr.default, false);
  const standIn = (await import('../../../build/axiosXhrAdapterNotBundled.ts')) as { default: unknown };
  assert.is(standIn.default, xhr.default);
});

test('every module stand-in replaces an import its importer still makes, by an export the stand-in has', async () => {
  const importers = [join(AXIOS_LIB, 'adapters', 'adapters.js'), join(AXIOS_LIB, 'adapters', 'http.js')];
  for (const { importer, path, standIn, exportName } of MODULE_STAND_INS) {
    const file = importers.find((candidate) => importer.test(candidate));
    assert.ok(file, `no known importer for ${path}`);
    const statement = new RegExp(`^import (\\w+|\\* as \\w+|\\{[^}]*\\}) from '${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}';$`, 'm').exec(readFileSync(file as string, 'utf8'));
    assert.ok(statement, `${file} no longer imports ${path}`);
    const clause = (statement as RegExpExecArray)[1] as string;
    // What the importer takes from the module: its default export, or the names it imports.
    const wanted = clause.startsWith('{') ? clause.slice(1, -1).split(',').map((name) => name.trim()).filter(Boolean) : clause.startsWith('*') ? [] : ['default'];
    const module = (await import(join(REPOSITORY_ROOT, standIn))) as Record<string, unknown>;
    for (const name of wanted) {
      const given = name === 'default' && exportName !== undefined ? exportName : name;
      assert.ok(module[given] !== undefined, `${standIn} has no ${given} export for ${path}`);
    }
  }
});

test('the stand-ins of axios\'s HTTP/2, progress, FormData and data: URL code fail loudly when used', async () => {
  const extras = await import('../../../build/axiosNodeExtrasNotBundled.ts');
  assert.throws(() => new extras.Http2SessionsNotBundled().getSession(), /HTTP\/2 requests .* not supported in the bundled Lambdas/);
  assert.throws(() => extras.http2NotBundled.constants, /HTTP\/2 requests/);
  assert.throws(() => new extras.AxiosTransformStreamNotBundled(), /progress callbacks and rate limits/);
  assert.throws(() => extras.formDataToStreamNotBundled(), /FormData bodies/);
  assert.throws(() => extras.fromDataURINotBundled(), /data: URLs/);
  assert.throws(() => extras.estimateDataURLBufferAllocation(), /data: URLs/);
});

test.run();
