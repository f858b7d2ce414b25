import { rm } from 'node:fs/promises';
import pg from 'pg';

export default async function globalTeardown() {
  const state = globalThis.__HW_PG__;
  if (state) {
    await state.pg.stop();
    await rm(state.root, { recursive: true, force: true });
    return;
  }
  // An external server: drop what this run created.
  const client = new pg.Client({ connectionString: process.env.HW_TEST_ADMIN_URL });
  await client.connect();
  try {
    const run = process.env.HW_TEST_RUN;
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`hw\\_%\\_${run}%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
