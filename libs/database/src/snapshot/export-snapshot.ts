import type { ClientBase } from 'pg';
import { MIGRATIONS } from '../migrations';
import { EXCLUDED_TABLES, EXPORTED_TABLES } from './snapshot-tables';
import { SNAPSHOT_BATCH_ROWS, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type SnapshotHeader, type SnapshotProgress, type TableLine } from './snapshot-format';
import { columnsOf, exportExpression, ident, primaryKeyOf, publicTables } from './table-shape';

/** Writes one line of the file; resolves once it may be given the next (back-pressure). */
export type LineSink = (line: string) => Promise<void> | void;

/**
 * Tables of `public` that are in neither {@link EXPORTED_TABLES} nor {@link EXCLUDED_TABLES}
 * (a migration added a table and nobody decided), and listed tables that do not exist.
 */
export async function undecidedTables(client: ClientBase): Promise<{ undecided: string[]; missing: string[] }> {
  const present = await publicTables(client);
  const decided = new Set<string>([...EXPORTED_TABLES, ...Object.keys(EXCLUDED_TABLES)]);
  return {
    undecided: present.filter((t) => !decided.has(t)),
    missing: [...EXPORTED_TABLES].filter((t) => !present.includes(t)),
  };
}

/**
 * Writes a snapshot of the database `client` is connected to: every row of every exported table,
 * as seen by one REPEATABLE READ READ ONLY transaction (so the file is consistent however busy the
 * server is), each table read through a cursor {@link SNAPSHOT_BATCH_ROWS} rows at a time.
 * PostgreSQL itself writes each row's JSON. The format is described in docs/export-format.md.
 * @returns the header written (counts per table)
 */
export async function exportSnapshot(client: ClientBase, write: LineSink, onProgress: (progress: SnapshotProgress) => void = () => undefined): Promise<SnapshotHeader> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await client.query(`SET LOCAL TIME ZONE 'UTC'`);
    // The snapshot is taken by the first statement: everything below sees the same data.
    const { rows: levels } = await client.query<{ name: string; timestamp: string; count: number }>(
      `SELECT name, timestamp::text, (SELECT count(*)::int FROM migrations) AS count FROM migrations ORDER BY timestamp DESC LIMIT 1`,
    );
    const level = levels[0];
    if (!level) throw new Error('This database has no migrations table rows: it is not a Headwaters database');
    const { undecided, missing } = await undecidedTables(client);
    if (undecided.length) throw new Error(`Table(s) ${undecided.join(', ')} are neither exported nor excluded: list each in libs/database/src/snapshot/snapshot-tables.ts`);
    if (missing.length) {
      const known = MIGRATIONS.map((m) => m.name).includes(level.name);
      throw new Error(`Table(s) ${missing.join(', ')} do not exist: the database is at migration ${level.name}${known ? '' : ', which this version of Headwaters does not know'}; run the migrations (start the server once) first`);
    }
    const counts: Record<string, number> = {};
    for (const table of EXPORTED_TABLES) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(table)}`);
      counts[table] = Number(rows[0].n);
    }
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const header: SnapshotHeader = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      migration: { name: level.name, timestamp: Number(level.timestamp), count: level.count },
      exportedAt: new Date().toISOString(),
      tables: counts,
      excluded: { ...EXCLUDED_TABLES, pgboss: 'the job queue (schema pgboss): jobs, schedules and their state' },
    };
    await write(JSON.stringify(header));
    let done = 0;
    onProgress({ done, total, table: EXPORTED_TABLES[0] });
    for (const table of EXPORTED_TABLES) {
      const columns = await columnsOf(client, table);
      const key = await primaryKeyOf(client, table);
      const tableLine: TableLine = { table, columns, rows: counts[table] };
      await write(JSON.stringify(tableLine));
      const prefix = `{"row":${JSON.stringify(table)},"values":`;
      await client.query(
        `DECLARE snapshot_rows NO SCROLL CURSOR FOR SELECT json_build_array(${columns.map(exportExpression).join(', ')})::text AS v FROM ${ident(table)}${key.length ? ` ORDER BY ${key.map(ident).join(', ')}` : ''}`,
      );
      let written = 0;
      for (;;) {
        const { rows } = await client.query<{ v: string }>(`FETCH ${SNAPSHOT_BATCH_ROWS} FROM snapshot_rows`);
        for (const row of rows) await write(`${prefix}${row.v}}`);
        written += rows.length;
        done += rows.length;
        if (rows.length) onProgress({ done, total, table });
        if (rows.length < SNAPSHOT_BATCH_ROWS) break;
      }
      await client.query('CLOSE snapshot_rows');
      // Inside one snapshot the counts cannot change: a difference is a bug, not a race.
      if (written !== counts[table]) throw new Error(`${table}: counted ${counts[table]} rows but read ${written}`);
    }
    await write(JSON.stringify({ end: true, rows: done }));
    await client.query('COMMIT');
    return header;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
