// Types of what build.mjs exports, for the TypeScript tests and the benchmark.

/** Every Lambda of the module: zip name (= handler module name) and entry point. */
export declare const LAMBDAS: ReadonlyArray<{ name: string; entry: string }>;

/** The most a Lambda may weigh, in bytes: the zip of its code alone, and its bundle (issue 12's targets). */
export declare const SIZE_LIMITS: Readonly<{ zipBytes: number; bundleBytes: number }>;

/** Lambdas with limits of their own. */
export declare const LAMBDA_SIZE_LIMITS: Readonly<Record<string, Readonly<{ zipBytes: number; bundleBytes: number }>>>;

/** Added to the limits of the Lambdas that export findings when cloudtrails.securityhub is on. */
export declare const SECURITY_HUB_ALLOWANCE: Readonly<{ zipBytes: number; bundleBytes: number }>;

/** The limits of one Lambda, for a config with cloudtrails.securityhub on or off. */
export declare function sizeLimitsOf(name: string, securityhub?: boolean): Readonly<{ zipBytes: number; bundleBytes: number }>;

/** Packages the bundles replace by a stand-in (esbuild alias), package -> stand-in path. */
export declare const ALIASES: Readonly<Record<string, string>>;

/** An AWS SDK schema module with its computed keys of string constants written as literals. */
export declare function literalSchemaKeys(source: string): string;

/** What is over its limit, one sentence each; empty when within the limits. */
export declare function sizeProblems(name: string, sizes: { zipBytes: number; bundleBytes: number }, limits?: { zipBytes: number; bundleBytes: number }): string[];

/** The zip of a bundle alone, as build.mjs measures it against SIZE_LIMITS.zipBytes. */
export declare function codeZipBytes(name: string, bundle: Uint8Array): number;

/** esbuild's options for the bundle of one entry point. */
export declare function bundleOptions(entry: string, securityhub?: boolean): Record<string, unknown>;

/** A change the bundles make to a dependency's source: the files it applies to, and text to replace. */
export interface SourcePatch {
  file: RegExp;
  edits: ReadonlyArray<readonly [find: string, replace: string]>;
}

/** The changes the bundles make to dependencies' sources. */
export declare const SOURCE_PATCHES: readonly SourcePatch[];

/** A dependency's source with a patch's edits; throws naming the file when a text to replace is not there. */
export declare function applySourcePatch(patch: SourcePatch, path: string, source: string): string;
