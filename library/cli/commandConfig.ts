/**
 * The config folder of a command that needs one (report, remediate): given by
 * --config or HAMMER_CONFIG_DIR, loaded, or the usage error to print (exit 2,
 * the reason naming the file and key, never a stack trace).
 */
import { ConfigError } from '../../config/configError.ts';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { loadConfig } from '../../config/loadConfig.ts';

export function loadCommandConfig(command: string, usage: string, configDir: string | undefined, printError: (line: string) => void): HammerConfig | { exitCode: 2 } {
  if (configDir === undefined || configDir === '') {
    printError(`${command}: --config is required\n${usage}`);
    return { exitCode: 2 };
  }
  try {
    return loadConfig(configDir);
  } catch (err: unknown) {
    if (!(err instanceof ConfigError)) throw err;
    printError(`${command}: invalid config: ${err.message}`);
    return { exitCode: 2 };
  }
}
