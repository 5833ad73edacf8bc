/**
 * The little that handlers need from the Lambda runtime, in one place so
 * domain code never reads `process.env`.
 */

/**
 * The folder holding config.json: HAMMER_CONFIG_DIR when set (tests, the
 * reporting command), else the Lambda's task root (the zip's root, where the
 * build puts the config files), else the working directory.
 */
export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.HAMMER_CONFIG_DIR || env.LAMBDA_TASK_ROOT || process.cwd();
}

/** The region the code runs in: Lambda sets AWS_REGION; AWS_DEFAULT_REGION as Hammer reads it; else the config's. */
export function runtimeRegion(configRegion: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || configRegion;
}

/**
 * A value created on first use and kept for the life of the process, so a
 * warm Lambda reuses its clients and config. When creation throws (a broken
 * config), the error reaches the invocation that asked, and the next one tries again.
 */
export function once<T>(create: () => T): () => T {
  let created = false;
  let value: T | undefined;
  return () => {
    if (!created) {
      value = create();
      created = true;
    }
    return value as T;
  };
}
