import { Client } from 'pg';
import { MIGRATIONS } from '../migrations';
import { migrate, migrationTimestamp } from '../migrate';
import { EXPORTED_TABLES, SEEDED_TABLES } from './snapshot-tables';
import { SNAPSHOT_BATCH_ROWS, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type ColumnShape, type SnapshotHeader, type SnapshotProgress, type TableLine } from './snapshot-format';
import { columnsOf, ident, importExpression, publicTables } from './table-shape';

/** Most bytes of JSON sent in one INSERT (attachment chunks are about 350 KB each). */
const BATCH_BYTES = 4 * 1024 * 1024;

/** Why an import did not happen: the message says what to do; nothing was written. */
export class ImportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefused';
  }
}

export interface ImportResult {
  header: SnapshotHeader;
  rows: number;
  /** Migrations run after loading (the file came from an older version). */
  migratedAfter: string[];
  /** Deliveries still PENDING in the file: their jobs are not exported, `redeliver` sends them. */
  pendingDeliveries: number;
}

/**
 * Loads an export (docs/export-format.md) into the empty database at `url`. Refuses a file of a
 * newer format or migration level, and a database that holds anything beyond what the migrations
 * seed. Migrates the database to the file's level, loads every row in one transaction (foreign
 * keys, indexes other than keys and the triggers of the loaded tables set aside meanwhile; the
 * indexes built and the keys checked again whole before committing; sequences moved past the
 * loaded ids), then runs the migrations the file predates.
 * A failure leaves the database as empty as it was: run the import again.
 */
export async function importSnapshot(url: string, lines: AsyncIterable<string>, onProgress: (progress: SnapshotProgress) => void = () => undefined): Promise<ImportResult> {
  const iterator = lines[Symbol.asyncIterator]();
  let lineNumber = 0;
  const next = async (): Promise<Record<string, unknown> | undefined> => {
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) return undefined;
      lineNumber++;
      if (value.trim() === '') continue;
      try {
        return JSON.parse(value) as Record<string, unknown>;
      } catch {
        throw new ImportRefused(`line ${lineNumber} is not JSON: the file is damaged or not an export`);
      }
    }
  };
  const header = checkHeader(await next());
  const levelIndex = MIGRATIONS.findIndex((m) => m.name === header.migration.name);

  const client = new Client({ connectionString: url, application_name: 'headwaters-import' });
  await client.connect();
  try {
    await client.query(`SET TIME ZONE 'UTC'`);
    const current = await currentMigration(client);
    if (current) {
      const currentIndex = MIGRATIONS.findIndex((m) => m.name === current);
      if (currentIndex < 0) throw new ImportRefused(`The database is at migration ${current}, which this version of Headwaters does not know: it comes from a newer version`);
      if (currentIndex > levelIndex) {
        throw new ImportRefused(`The database is already at migration ${current}, newer than the file's ${header.migration.name}: import into a database that was never started (a new DATA_DIR, or an empty database at DATABASE_URL)`);
      }
    }
    await migrate(url, { upTo: migrationTimestamp(MIGRATIONS[levelIndex]) });

    await client.query('BEGIN');
    const loaded = await loadRows(client, header, next, () => lineNumber, onProgress);
    await client.query('COMMIT');
    const migratedAfter = await migrate(url);
    await client.query('ANALYZE');
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM delivery WHERE state = 'PENDING'`).catch(() => ({ rows: [{ n: 0 }] }));
    return { header, rows: loaded, migratedAfter, pendingDeliveries: rows[0]?.n ?? 0 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

function checkHeader(line: Record<string, unknown> | undefined): SnapshotHeader {
  if (!line) throw new ImportRefused('The file is empty');
  if (line.format !== SNAPSHOT_FORMAT) throw new ImportRefused(`The file is not a Headwaters export (its first line has no "format": "${SNAPSHOT_FORMAT}")`);
  const header = line as unknown as SnapshotHeader;
  if (!Number.isInteger(header.version) || header.version < 1) throw new ImportRefused('The file names no format version');
  if (header.version > SNAPSHOT_VERSION) {
    throw new ImportRefused(`The file is of export format ${header.version}; this version of Headwaters reads format ${SNAPSHOT_VERSION} and older: import it with a newer Headwaters`);
  }
  const name = header.migration?.name;
  if (typeof name !== 'string' || typeof header.tables !== 'object' || header.tables === null) throw new ImportRefused('The file header has no migration level or table counts');
  if (!MIGRATIONS.some((m) => m.name === name)) {
    const newest = MIGRATIONS[MIGRATIONS.length - 1];
    const newer = Number(header.migration.timestamp) > migrationTimestamp(newest);
    throw new ImportRefused(
      newer
        ? `The file comes from a newer Headwaters (migration ${name}; this version's newest is ${newest.name}): import it with that version or a later one`
        : `The file's migration ${name} is not one this version of Headwaters knows`,
    );
  }
  return header;
}

async function currentMigration(client: Client): Promise<string | undefined> {
  const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('public.migrations') IS NOT NULL AS exists`);
  if (!rows[0].exists) return undefined;
  const { rows: last } = await client.query<{ name: string }>(`SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1`);
  return last[0]?.name;
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

async function loadRows(
  client: Client,
  header: SnapshotHeader,
  next: () => Promise<Record<string, unknown> | undefined>,
  lineNumber: () => number,
  onProgress: (progress: SnapshotProgress) => void,
): Promise<number> {
  const tables = Object.keys(header.tables);
  const present = await publicTables(client);
  const absent = tables.filter((t) => !present.includes(t));
  if (absent.length) throw new ImportRefused(`The file has table(s) ${absent.join(', ')}, which the database does not have at migration ${header.migration.name}`);
  // Nobody else may write while we check and load (the server started on this database meanwhile).
  await client.query(`LOCK TABLE ${[...new Set([...tables, ...EXPORTED_TABLES.filter((t) => present.includes(t))])].map(ident).join(', ')} IN ACCESS EXCLUSIVE MODE`);
  const holding: string[] = [];
  for (const table of new Set([...tables, ...EXPORTED_TABLES])) {
    if (SEEDED_TABLES.includes(table) || !present.includes(table)) continue;
    const { rows } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${ident(table)}) AS any`);
    if (rows[0].any) holding.push(table);
  }
  if (holding.length) {
    throw new ImportRefused(`The database is not empty (${holding.join(', ')} hold rows): import only into a database that holds no data yet (a new DATA_DIR, or an empty database at DATABASE_URL)`);
  }

  const { rows: keys } = await client.query<ForeignKey>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE contype = 'f' AND (conrelid = ANY($1::regclass[]) OR confrelid = ANY($1::regclass[]))`,
    [tables.map((t) => `public.${ident(t)}`)],
  );
  for (const key of keys) await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${ident(key.name)}`);
  // As pg_dump does: indexes are built once over the loaded rows (GIN indexes of the search
  // vectors cost far more row by row). Those behind a constraint (primary keys, UNIQUE) stay.
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
    [tables.map((t) => `public.${ident(t)}`)],
  );
  for (const index of indexes) await client.query(`DROP INDEX public.${ident(index.name)}`);
  for (const table of tables) await client.query(`ALTER TABLE ${ident(table)} DISABLE TRIGGER USER`);
  await client.query(`TRUNCATE ${tables.map(ident).join(', ')}`);

  const total = Object.values(header.tables).reduce((a, b) => a + Number(b), 0);
  const seen = new Map<string, number>();
  let done = 0;
  let current: { table: string; insert: string; width: number } | undefined;
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (!current || batch.length === 0) return;
    await client.query(current.insert, [`[${batch.join(',')}]`]);
    done += batch.length;
    seen.set(current.table, (seen.get(current.table) ?? 0) + batch.length);
    batch = [];
    batchBytes = 0;
    onProgress({ done, total, table: current.table });
  };
  onProgress({ done, total, table: tables[0] ?? '' });
  let ended = false;
  for (let line = await next(); line; line = await next()) {
    if (typeof line.row === 'string') {
      if (!current || line.row !== current.table) throw new ImportRefused(`line ${lineNumber()}: a row of ${line.row} outside its table's section`);
      const values = line.values;
      if (!Array.isArray(values) || values.length !== current.width) throw new ImportRefused(`line ${lineNumber()}: a row of ${line.row} with ${Array.isArray(values) ? values.length : 'no'} values, not ${current.width}`);
      const text = JSON.stringify(values);
      batch.push(text);
      batchBytes += text.length;
      if (batch.length >= SNAPSHOT_BATCH_ROWS || batchBytes >= BATCH_BYTES) await flush();
    } else if (typeof line.table === 'string') {
      await flush();
      const section = line as unknown as TableLine;
      if (!tables.includes(section.table)) throw new ImportRefused(`line ${lineNumber()}: table ${section.table} is not in the header`);
      if (seen.has(section.table)) throw new ImportRefused(`line ${lineNumber()}: table ${section.table} comes twice`);
      seen.set(section.table, 0);
      current = { table: section.table, insert: await insertStatement(client, section), width: section.columns.length };
    } else if (line.end === true) {
      await flush();
      ended = true;
      break;
    } else {
      throw new ImportRefused(`line ${lineNumber()} is neither a table, a row nor the end`);
    }
  }
  if (!ended) throw new ImportRefused(`The file ends at line ${lineNumber()} without its last line: it is cut short`);
  for (const table of tables) {
    const expected = Number(header.tables[table]);
    if ((seen.get(table) ?? 0) !== expected) throw new ImportRefused(`The file's header counts ${expected} rows of ${table}, its lines hold ${seen.get(table) ?? 0}`);
  }

  for (const table of tables) await client.query(`ALTER TABLE ${ident(table)} ENABLE TRIGGER USER`);
  await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  for (const index of indexes) {
    try {
      await client.query(index.definition);
    } catch (error) {
      throw new ImportRefused(`The file's rows do not fit index ${index.name} (${index.definition}): ${(error as Error).message}`);
    }
  }
  for (const key of keys) {
    try {
      await client.query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${ident(key.name)} ${key.definition}`);
    } catch (error) {
      throw new ImportRefused(`The file's rows break ${key.table}'s ${key.name} (${key.definition}): ${(error as Error).message}`);
    }
  }
  await moveSequences(client, tables);
  return done;
}

/** The INSERT of one batch: the JSON array of row arrays in $1, each value decoded by its column's type. */
async function insertStatement(client: Client, section: TableLine): Promise<string> {
  const target = new Map((await columnsOf(client, section.table)).map((c) => [c.name, c]));
  const columns: ColumnShape[] = section.columns.map((c) => {
    const column = target.get(c.name);
    if (!column) throw new ImportRefused(`The file has a column ${section.table}.${c.name} that the database does not have`);
    return column;
  });
  return `INSERT INTO ${ident(section.table)} (${columns.map((c) => ident(c.name)).join(', ')}) OVERRIDING SYSTEM VALUE
          SELECT ${columns.map((c, i) => importExpression(c, i)).join(', ')} FROM jsonb_array_elements($1::jsonb) AS e`;
}

/** Every identity or serial column's sequence continues after the largest loaded value. */
async function moveSequences(client: Client, tables: string[]): Promise<void> {
  const { rows } = await client.query<{ table: string; column: string; sequence: string }>(
    `SELECT c.relname AS table, a.attname AS column, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS sequence
       FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1) AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL`,
    [tables],
  );
  for (const row of rows) {
    await client.query(`SELECT setval($1, coalesce((SELECT max(${ident(row.column)}) FROM ${ident(row.table)}), 0) + 1, false)`, [row.sequence]);
  }
}
