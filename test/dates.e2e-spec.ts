import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@headwaters/database';
import { ReleaseDatesInRange1765100000000 } from '../libs/database/src/migrations/1765100000000-ReleaseDatesInRange';
import { createAdmin, type TestActor } from './support/actors';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const CREATE_RELEASE = `mutation ($input: CreateReleaseInput!) { createRelease(input: $input) { release { slug releasedAt } } }`;

describe('DateTime', () => {
  let app: TestApp;
  let admin: TestActor;
  beforeAll(async () => {
    app = await startTestApp();
    admin = await createAdmin(app);
  });
  afterAll(() => app.close());

  it.each([
    ['2015-01-13T00:00:00Z', '2015-01-13T00:00:00.000Z'],
    ['2015-01-13T01:30:00+01:30', '2015-01-13T00:00:00.000Z'],
    ['2015-01-13T00:00:00.25Z', '2015-01-13T00:00:00.250Z'],
    ['2016-02-29', '2016-02-29T00:00:00.000Z'],
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('takes %s', async (given, stored) => {
    const slug = `ok-${Math.random().toString(36).slice(2, 8)}`;
    const response = await app.gql(CREATE_RELEASE, { input: { slug, name: 'x', releasedAt: given } }, { token: admin.token });
    expect(response.body).toEqual({ data: { createRelease: { release: { slug, releasedAt: stored } } } });
  });

  it.each(['+275760-09-13T00:00:00Z', '2019-02-30', '2019-02-30T00:00:00Z', '2019-13-01', '1969-12-31T23:59:59Z', '10000-01-01', '2019-01-01T24:00:00Z', '2019-01-01T10:00:00', 'yesterday', '2019-01-01T00:00:00+15:00', 'March 3, 2019', ''])(
    'refuses %p as BAD_USER_INPUT naming the field, writing nothing',
    async (given) => {
      const [before] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM release`);
      const response = await app.gql(CREATE_RELEASE, { input: { slug: 'bad-date', name: 'x', releasedAt: given } }, { token: admin.token });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors![0].extensions!.field).toBe('input.releasedAt');
      expect(await app.sql(`SELECT count(*)::int AS n FROM release`)).toEqual([before]);
    },
  );

  it('refuses a bad date literal in the document', async () => {
    const response = await app.gql(`mutation { createRelease(input: { slug: "lit", name: "x", releasedAt: "2019-02-30" }) { release { slug } } }`, {}, { token: admin.token });
    expect(response.body.errors?.[0].message).toMatch(/2019-02-30 is not a day of the calendar/);
    expect(await app.sql(`SELECT 1 FROM release WHERE slug = 'lit'`)).toEqual([]);
  });

  it('keeps the database from storing an out-of-range date, and repairs those stored before', async () => {
    await expect(app.sql(`INSERT INTO release (slug, name, released_at) VALUES ('far', 'x', '275760-09-13T00:00:00Z')`)).rejects.toThrow(/release_released_at_in_range/);
    // The state of a database before the repair: the constraint absent, a poisoned row in.
    await app.sql(`ALTER TABLE release DROP CONSTRAINT release_released_at_in_range`);
    await app.sql(`INSERT INTO release (slug, name, released_at) VALUES ('far', 'x', '275760-09-13T00:00:00Z'), ('early', 'y', '1900-01-01T00:00:00Z')`);
    const source = new DataSource(dataSourceOptions(app.db.url, { poolSize: 1 }));
    await source.initialize();
    try {
      const runner = source.createQueryRunner();
      await new ReleaseDatesInRange1765100000000().up(runner);
      await runner.release();
    } finally {
      await source.destroy();
    }
    expect(await app.sql(`SELECT slug, released_at::text AS at FROM release WHERE slug IN ('far', 'early') ORDER BY slug`)).toEqual([
      { slug: 'early', at: '1970-01-01 00:00:00+00' },
      { slug: 'far', at: '9999-12-31 23:59:59.999+00' },
    ]);
  });
});
