// Types of sdkPermissions.mjs, for the TypeScript tests that import it.
export declare const TABLE_OF_MODULE: Record<string, string>;
export declare class SdkPermissionError extends Error {}
export declare function iamActionOf(packageName: string, commandName: string): string;
export interface SdkCall {
  permission: string;
  command: string;
  module: string;
  line: number;
}
export declare function deriveSdkPermissions(options: {
  root: string;
  entries: Record<string, string>;
  folders?: string[];
  tableOfModule?: Record<string, string>;
}): Record<string, { permissions: string[]; calls: SdkCall[] }>;
