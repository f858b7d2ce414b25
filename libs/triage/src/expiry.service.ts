import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@headwaters/config';
import { inTransaction } from '@headwaters/database';
import { ItemWriter } from '@headwaters/items';

/**
 * Needs-info expiry: an INCOMPLETE item whose reporter has not answered for
 * NEEDS_INFO_EXPIRY_DAYS becomes EXPIRED, unless 2 or more people voted for it or it was
 * forwarded (see ItemWriter.expireStale: one statement, atomic and idempotent). When it runs is
 * the worker's business (apps/worker).
 */
@Injectable()
export class ExpiryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly writer: ItemWriter,
  ) {}

  /** Expires what is stale as of `now`; returns the expired items' ids. */
  expireStale(now: Date = new Date()): Promise<number[]> {
    return inTransaction(this.dataSource, (tx) => this.writer.expireStale(tx, now, this.config.NEEDS_INFO_EXPIRY_DAYS));
  }
}
