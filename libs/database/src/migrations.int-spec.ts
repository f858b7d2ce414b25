import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { createTestDatabase, type TestDatabase } from './testing';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function tables(): Promise<string[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`);
      return rows.map((r) => r.tablename as string);
    } finally {
      await client.end();
    }
  }

  it('all revert with their down, and run again from nothing', async () => {
    const before = await tables();
    expect(before).toEqual(expect.arrayContaining(['item', 'upstream', 'component', 'vote', 'timeline_event']));
    const source = new DataSource(dataSourceOptions(db.url, { poolSize: 1 }));
    await source.initialize();
    try {
      for (let i = 0; i < MIGRATIONS.length; i++) await source.undoLastMigration({ transaction: 'each' });
    } finally {
      await source.destroy();
    }
    expect(await tables()).toEqual([]);
    const ran = await migrate(db.url);
    expect(ran).toHaveLength(MIGRATIONS.length);
    expect(await tables()).toEqual(before);
  });

  it('is a no-op when already up to date, also with several processes at once', async () => {
    const runs = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
    expect(runs).toEqual([[], [], []]);
  });
});
