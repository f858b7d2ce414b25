import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@headwaters/database';
import { createTestDatabase, type TestDatabase } from '@headwaters/database/testing';
import { CatalogueReader } from './catalogue-reader';

describe('the catalogue as a transaction sees it', () => {
  let db: TestDatabase;
  let source: DataSource;
  const statements: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    source = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await source.initialize();
  });
  afterAll(async () => {
    await source.destroy();
    await db.drop();
  });

  /** Runs `work` in a transaction whose statements are recorded. */
  const inTx = <T>(work: (tx: { query: <R>(sql: string, params?: unknown[]) => Promise<R> }) => Promise<T>) =>
    source.transaction((manager) =>
      work({
        query: <R>(sql: string, params?: unknown[]) => {
          statements.push(sql.trim().split(/\s+/).slice(0, 4).join(' '));
          return manager.query(sql, params) as Promise<R>;
        },
      }),
    );

  it('is the copy in memory while the version the transaction reads is the copy\'s, and read whole once it is not', async () => {
    const reader = new CatalogueReader(source);
    // Nothing loaded yet: read whole.
    const first = await inTx((tx) => reader.fresh(tx));
    expect(statements.splice(0)).toEqual(['SELECT (SELECT version FROM']);
    const cached = await reader.snapshot();
    // Loaded: one small statement, and the very copy.
    expect(await inTx((tx) => reader.fresh(tx))).toBe(cached);
    expect(statements.splice(0)).toEqual(['SELECT version FROM catalogue_version']);
    expect(cached.components.size).toBe(first.components.size);
    // Changed behind its back (another instance): read whole, with the change.
    await source.query(`UPDATE component SET name = 'Renamed by another instance' WHERE slug = 'xapi'`);
    const seen = await inTx((tx) => reader.fresh(tx));
    expect(statements.splice(0)).toEqual(['SELECT version FROM catalogue_version', 'SELECT (SELECT version FROM']);
    expect([...seen.components.values()].find((c) => c.slug === 'xapi')?.name).toBe('Renamed by another instance');
    // A change made in the same transaction is seen too.
    const inside = await inTx(async (tx) => {
      await tx.query(`UPDATE component SET name = 'Renamed inside' WHERE slug = 'xapi'`);
      return reader.fresh(tx);
    });
    expect([...inside.components.values()].find((c) => c.slug === 'xapi')?.name).toBe('Renamed inside');
  });

  it('is known at once while its copy in memory is loaded and fresh: not before the load ends, after a second, or after an edit', async () => {
    const reader = new CatalogueReader(source);
    expect(reader.current()).toBeUndefined();
    const loading = reader.snapshot();
    expect(reader.current()).toBeUndefined();
    const loaded = await loading;
    expect(reader.current()).toBe(loaded);
    reader.invalidate();
    expect(reader.current()).toBeUndefined();
    const again = await reader.snapshot();
    expect(reader.current()).toBe(again);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 1001);
    try {
      // Stale: a load is due, and what it gives is not known yet.
      expect(reader.current()).toBeUndefined();
      const next = reader.snapshot();
      expect(reader.current()).toBeUndefined();
      expect(reader.current()).toBeUndefined();
      const reloaded = await next;
      expect(reloaded).not.toBe(again);
      expect(reader.current()).toBe(reloaded);
    } finally {
      clock.mockRestore();
    }
  });
});
