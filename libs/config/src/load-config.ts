import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppConfig } from './app-config';

/** A configuration value that is not acceptable; the message names the variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration from `env` (unknown variables are ignored). */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const known = Object.keys(new AppConfig());
  const defined = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => value !== undefined && (known.includes(key) || key.startsWith('TRACKER_') || key === 'DATABASE_URL')),
  );
  const config = plainToInstance(AppConfig, { ...defined, ...overrides });
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => `${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`),
    );
  }
  return config;
}

/** sysexits' EX_CONFIG: what a process exits with when its configuration is invalid. */
export const CONFIG_EXIT_CODE = 78;

/**
 * The configuration from the environment, for a process's entry point: an invalid one prints its
 * message (no stack) and exits with {@link CONFIG_EXIT_CODE}.
 */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(CONFIG_EXIT_CODE);
  }
}
