import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ALIASES, FEATURE_ALLOWANCES, LAMBDA_SIZE_LIMITS, SIZE_LIMITS, SOURCE_PATCHES, applySourcePatch, literalSchemaKeys, sizeLimitsOf, sizeProblems } from '../../../build.mjs';

const test = suite('build.mjs size limits and stand-ins');

test('keeps the limits of issue 12: 150 KB of zipped code and 450 KB of bundle per Lambda', () => {
  assert.equal({ ...SIZE_LIMITS }, { zipBytes: 150_000, bundleBytes: 450_000 });
});

test('keeps issue 12\'s limits for identification and reporting, the later Lambdas\' own, and each opt-in feature\'s allowance where it applies', () => {
  for (const name of ['initiate_to_desc_cloudtrails', 'describe_cloudtrails', 'create_cloudtrail_tickets', 'realtime_to_desc_cloudtrails']) assert.equal(sizeLimitsOf(name), { ...SIZE_LIMITS });
  assert.equal(Object.keys(LAMBDA_SIZE_LIMITS), ['clean_cloudtrails'], 'only the remediation keeps limits of its own');
  assert.equal(sizeLimitsOf('clean_cloudtrails'), { ...LAMBDA_SIZE_LIMITS.clean_cloudtrails });
  const { securityhub, organization } = FEATURE_ALLOWANCES;
  assert.equal(sizeLimitsOf('describe_cloudtrails', { securityhub: true }), { ...SIZE_LIMITS }, 'identification exports no findings');
  assert.equal(sizeLimitsOf('create_cloudtrail_tickets', { securityhub: true }), { zipBytes: SIZE_LIMITS.zipBytes + securityhub.zipBytes, bundleBytes: SIZE_LIMITS.bundleBytes + securityhub.bundleBytes });
  assert.equal(sizeLimitsOf('describe_cloudtrails', { organization: true }), { zipBytes: SIZE_LIMITS.zipBytes + organization.zipBytes, bundleBytes: SIZE_LIMITS.bundleBytes + organization.bundleBytes });
});

test('finds nothing wrong at the limits, and names the Lambda, the size and the limit one byte above', () => {
  assert.equal(sizeProblems('describe_cloudtrails', { zipBytes: 150_000, bundleBytes: 450_000 }), []);
  assert.equal(sizeProblems('describe_cloudtrails', { zipBytes: 150_001, bundleBytes: 450_001 }), [
    'describe_cloudtrails: the zip\'s code is 150001 bytes, over the limit of 150000',
    'describe_cloudtrails: the bundle is 450001 bytes, over the limit of 450000',
  ]);
  assert.equal(sizeProblems('x', { zipBytes: 10, bundleBytes: 10 }, { zipBytes: 9, bundleBytes: 10 }), ['x: the zip\'s code is 10 bytes, over the limit of 9']);
});

test('writes the SDK schemas\' computed keys of string constants as literals, and nothing else', () => {
  const source = [
    'const _xN = "xmlName";',
    'const _eQN = "ec2QueryName";',
    'const n0 = "com.amazonaws.ec2";',
    'let dynamic = "x";',
    'export var DescribeRegionsResult$ = [3, n0, "DescribeRegionsResult", 0, ["Regions"], [[() => RegionList, { [_eQN]: `RegionInfo`,',
    '                [_xN]: "regionInfo" }]]];',
    'export var Other$ = { [dynamic]: 1, [unknown]: 2 };',
  ].join('\n');
  const rewritten = literalSchemaKeys(source);
  assert.match(rewritten, '{ "ec2QueryName": `RegionInfo`,');
  assert.match(rewritten, '"xmlName": "regionInfo" }');
  assert.match(rewritten, '{ [dynamic]: 1, [unknown]: 2 }', 'keys that are not string constants stay computed');
  assert.is(rewritten.split('\n').length, source.split('\n').length);
  // The same values: evaluating both gives equal objects.
  const evaluate = (text: string): unknown => new Function(`${text.replace(/export /g, '').replace('let dynamic', 'var unknown = "u"; let dynamic').replace('() => RegionList', '"RegionList"')}; return [DescribeRegionsResult$, Other$];`)();
  assert.equal(evaluate(rewritten), evaluate(source));
});

test('replaces only packages the Lambdas load and never use, by stand-ins kept in build/', () => {
  assert.equal(Object.keys(ALIASES).sort(), [
    '@aws-sdk/credential-provider-ini',
    '@aws-sdk/credential-provider-process',
    '@aws-sdk/credential-provider-sso',
    '@aws-sdk/credential-provider-web-identity',
    '@smithy/core/event-streams',
    'debug',
    'form-data',
    'mnemonist/lru-cache',
  ]);
  for (const standIn of Object.values(ALIASES)) assert.match(standIn, /^\.\/build\/\w+NotBundled\.c?ts$/);
});

test('patches the dependencies\' files it names, and fails naming the file when a text to replace has changed', () => {
  const require = createRequire(import.meta.url);
  const files = [
    require.resolve('axios').replace(/[\\/]index\.cjs$|[\\/]dist[\\/].*$/, '/lib/utils.js'),
    require.resolve('@aws-sdk/credential-provider-node').replace(/dist-cjs[\\/]index\.js$/, 'dist-es/remoteProvider.js'),
    require.resolve('@smithy/core').replace(/dist-cjs[\\/]index\.js$/, 'dist-es/submodules/checksum/sha256/Sha256Node.js'),
  ];
  for (const file of files) {
    const patch = SOURCE_PATCHES.find((candidate) => candidate.file.test(file));
    assert.ok(patch, `no patch for ${file}`);
    const source = readFileSync(file, 'utf8');
    const patched = applySourcePatch(patch, file, source);
    for (const [find, replace] of patch.edits) {
      assert.not.ok(patched.includes(find) && !replace.includes(find), `${file} still has ${find}`);
    }
  }
  const remote = SOURCE_PATCHES.find((candidate) => candidate.file.test('/x/node_modules/@aws-sdk/credential-provider-node/dist-es/remoteProvider.js'));
  assert.throws(() => applySourcePatch(remote as (typeof SOURCE_PATCHES)[number], 'remoteProvider.js', 'export const remoteProvider = async () => {};'), /remoteProvider\.js no longer has the text build\.mjs patches/);
});

test.run();
