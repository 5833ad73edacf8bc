// Types of what build.mjs exports, for the TypeScript tests and the benchmark.

/** Every Lambda of the module: zip name (= handler module name) and entry point. */
export declare const LAMBDAS: ReadonlyArray<{ name: string; entry: string }>;

/** The most a Lambda may weigh, in bytes: the zip of its code alone, and its bundle (issue 12's targets). */
export declare const SIZE_LIMITS: Readonly<{ zipBytes: number; bundleBytes: number }>;

/** Lambdas with limits of their own. */
export declare const LAMBDA_SIZE_LIMITS: Readonly<Record<string, Readonly<{ zipBytes: number; bundleBytes: number }>>>;

/** The opt-in features of a config that change what the bundles carry. */
export interface BundleFeatures {
  securityhub: boolean;
  organization: boolean;
}

/** Added to the limits when the config turns an opt-in feature on, for the Lambdas it names (all when none). */
export declare const FEATURE_ALLOWANCES: Readonly<Record<keyof BundleFeatures, Readonly<{ lambdas: readonly string[] | undefined; zipBytes: number; bundleBytes: number }>>>;

/** The limits of one Lambda for a config's opt-in features. */
export declare function sizeLimitsOf(name: string, features?: Partial<BundleFeatures>): Readonly<{ zipBytes: number; bundleBytes: number }>;

/** The opt-in features a config turns on (config/loadConfig.ts's HammerConfig). */
export declare function bundleFeatures(config: { cloudtrails: { securityhub?: boolean }; aws: { organization?: unknown } }): BundleFeatures;

/** Packages the bundles replace by a stand-in (esbuild alias), package -> stand-in path. */
export declare const ALIASES: Readonly<Record<string, string>>;

/** An AWS SDK schema module with its computed keys of string constants written as literals. */
export declare function literalSchemaKeys(source: string): string;

/** What is over its limit, one sentence each; empty when within the limits. */
export declare function sizeProblems(name: string, sizes: { zipBytes: number; bundleBytes: number }, limits?: { zipBytes: number; bundleBytes: number }): string[];

/** The zip of a bundle alone, as build.mjs measures it against SIZE_LIMITS.zipBytes. */
export declare function codeZipBytes(name: string, bundle: Uint8Array): number;

/** esbuild's options for the bundle of one entry point. */
export declare function bundleOptions(entry: string, features?: BundleFeatures): Record<string, unknown>;

/** A change the bundles make to a dependency's source: the files it applies to, and text to replace. */
export interface SourcePatch {
  file: RegExp;
  edits: ReadonlyArray<readonly [find: string, replace: string]>;
}

/** The changes the bundles make to dependencies' sources. */
export declare const SOURCE_PATCHES: readonly SourcePatch[];

/** A dependency's source with a patch's edits; throws naming the file when a text to replace is not there. */
export declare function applySourcePatch(patch: SourcePatch, path: string, source: string): string;

/** A module of a dependency the bundles replace by a stand-in: the importing file, the path it imports, the stand-in (and which of its exports is the default). */
export interface ModuleStandIn {
  importer: RegExp;
  path: string;
  standIn: string;
  exportName?: string;
}

/** Modules inside dependencies the bundles replace by a stand-in (esbuild onResolve). */
export declare const MODULE_STAND_INS: readonly ModuleStandIn[];

/** An AWS SDK client's models/errors.js with its classes made by one function; throws naming the file on a shape it does not recognise. */
export declare function compactSdkErrorClasses(source: string, path?: string): string;

/** The module of the function the compacted errors.js files make their classes with. */
export declare const SDK_ERROR_CLASS_SOURCE: string;

/** An SDK schema module with its registerError statements as one loop over the same triples, in the same order. */
export declare function batchErrorRegistrations(source: string): string;

/** An SDK client's package.json as the bundles keep it: name and version. */
export declare function sdkClientPackageJson(source: string, path?: string): string;
