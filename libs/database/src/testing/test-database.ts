import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../migrate';

/** A database of its own for one test file: cloned from the run's migrated template. */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const TEMPLATE_LOCK = 0x48_57_54_50;

function adminUrl(): string {
  const url = process.env.HW_TEST_ADMIN_URL;
  if (!url) throw new Error('HW_TEST_ADMIN_URL is not set: run tests through jest (its global setup starts PostgreSQL)');
  return url;
}

function urlOf(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh, migrated database. The first caller of a run migrates a template (under an
 * advisory lock, so parallel jest workers wait for it); every caller then clones the template,
 * which takes milliseconds.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const run = process.env.HW_TEST_RUN ?? 'local';
  const template = `hw_tpl_${run}`;
  const name = `hw_t_${run}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (!rowCount) {
        await client.query(`CREATE DATABASE "${template}"`);
        await migrate(urlOf(template));
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (error) {
        // The template's last connection may still be closing.
        if (attempt >= 50 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return {
    name,
    url: urlOf(name),
    drop: () => withAdmin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}

/** Creates an empty database (not migrated): for tests of what a first start does to one. */
export async function createEmptyTestDatabase(): Promise<TestDatabase> {
  const name = `hw_e_${process.env.HW_TEST_RUN ?? 'local'}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (client) => void (await client.query(`CREATE DATABASE "${name}"`)));
  return {
    name,
    url: urlOf(name),
    drop: () => withAdmin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}
