import type { ClientBase } from 'pg';
import type { ColumnShape, ValueEncoding } from './snapshot-format';

/** Quotes an identifier for SQL. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The tables of the `public` schema, by name. */
export async function publicTables(client: ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.name);
}

/**
 * The columns of a table that hold data of their own (generated columns are left out: PostgreSQL
 * computes them again), in their order, each with how its values are written.
 */
export async function columnsOf(client: ClientBase, table: string): Promise<ColumnShape[]> {
  const { rows } = await client.query<{ name: string; type: string; base: string; category: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typname AS base, t.typcategory AS category
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [`public.${ident(table)}`],
  );
  return rows.map((r) => ({ name: r.name, type: r.type, encoding: encodingOf(r.base, r.category) }));
}

function encodingOf(base: string, category: string): ValueEncoding {
  if (base === 'bytea') return 'base64';
  if (base === 'json' || base === 'jsonb') return 'json';
  if (category === 'A') return 'array';
  if (base === 'bool') return 'boolean';
  // JSON numbers are exact only up to 2^53 in most readers: bigint and numeric go as strings.
  if (base === 'int2' || base === 'int4' || base === 'float4' || base === 'float8') return 'number';
  return 'string';
}

/** The primary key's columns, for a stable order of the rows (none: no order). */
export async function primaryKeyOf(client: ClientBase, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY k.position`,
    [`public.${ident(table)}`],
  );
  return rows.map((r) => r.name);
}

/** The SQL that writes a column's value into the row's JSON array. */
export function exportExpression(column: ColumnShape): string {
  const c = ident(column.name);
  if (column.encoding === 'base64') return `translate(encode(${c}, 'base64'), E'\\n', '')`;
  if (column.encoding === 'string') return `${c}::text`;
  return c;
}

/** The SQL that reads a column's value back from element `index` of the row's `jsonb` array `e` (parsed once, so each column is read in constant time). */
export function importExpression(column: ColumnShape, index: number): string {
  const v = `e->${index}`;
  const t = `e->>${index}`;
  switch (column.encoding) {
    case 'base64':
      return `decode(${t}, 'base64')`;
    case 'json':
      return `CASE WHEN jsonb_typeof(${v}) = 'null' THEN NULL ELSE (${v})::${column.type} END`;
    case 'array':
      return `CASE WHEN jsonb_typeof(${v}) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(${v}))::${column.type} END`;
    default:
      return `(${t})::${column.type}`;
  }
}
