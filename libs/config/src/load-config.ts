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
