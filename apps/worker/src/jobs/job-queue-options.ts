import type { AppConfig } from '@headwaters/config';

/** The job queue as the configuration sets it up, the same in every role. */
export function jobQueueOptions(config: AppConfig, databaseUrl: string) {
  return {
    url: databaseUrl,
    poolSize: config.JOBS_POOL_SIZE,
    pollingIntervalSeconds: config.JOBS_POLL_SECONDS,
    maintenanceIntervalSeconds: config.JOBS_MAINTENANCE_SECONDS,
    stopTimeoutMs: Math.max(200, Math.floor(config.SHUTDOWN_TIMEOUT_MS / 2)),
  };
}
