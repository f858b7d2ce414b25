import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { statfs } from 'node:fs/promises';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AppConfig } from '@headwaters/config';
import { databaseUnavailability } from '@headwaters/database';

/** What readiness found. */
export interface Readiness {
  status: 'ok' | 'unavailable';
  /** `ok`, or what is wrong: `unreachable`, `read-only`, `disk-full`, `slow`, `error`. */
  database: string;
  /** With the embedded PostgreSQL: free space on DATA_DIR's disk, and whether it is enough. */
  disk?: { freeMb: number; ok: boolean };
}

const INSTANCE = `${hostname()}:${process.pid}`;

/**
 * Probes for orchestrators: live (the process answers) and ready (the database answers and
 * takes writes, and with the embedded PostgreSQL its disk has room). Not ready is 503 with what
 * is wrong.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<Readiness> {
    const [database, disk] = await Promise.all([this.database(), this.disk()]);
    const readiness: Readiness = { status: database === 'ok' && (disk?.ok ?? true) ? 'ok' : 'unavailable', database, ...(disk ? { disk } : {}) };
    if (readiness.status !== 'ok') throw new ServiceUnavailableException(readiness);
    return readiness;
  }

  private async database(): Promise<string> {
    try {
      await this.dataSource.query(
        `INSERT INTO health_probe (instance, checked_at) VALUES ($1, now()) ON CONFLICT (instance) DO UPDATE SET checked_at = now()`,
        [INSTANCE],
      );
      return 'ok';
    } catch (error) {
      const reason = databaseUnavailability(error);
      if (reason === 'DATABASE_READ_ONLY') return 'read-only';
      if (reason === 'DISK_FULL') return 'disk-full';
      if (reason === 'STATEMENT_TIMEOUT') return 'slow';
      return reason ? 'unreachable' : 'error';
    }
  }

  private async disk(): Promise<Readiness['disk'] | undefined> {
    if (this.config.DATABASE_URL) return undefined;
    try {
      const stats = await statfs(this.config.DATA_DIR);
      const freeMb = Math.floor((Number(stats.bavail) * Number(stats.bsize)) / 1_048_576);
      return { freeMb, ok: freeMb >= this.config.HEALTH_MIN_FREE_DISK_MB };
    } catch {
      return undefined;
    }
  }
}
