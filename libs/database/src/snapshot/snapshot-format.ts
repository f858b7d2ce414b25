/**
 * The export file: JSON lines (UTF-8, one JSON value per line, `\n`). Documented for people in
 * docs/export-format.md. Line 1 is a {@link SnapshotHeader}; then, per table, one
 * {@link TableLine} followed by its {@link RowLine}s; last an {@link EndLine}.
 */

/** The `format` every export's header names. */
export const SNAPSHOT_FORMAT = 'headwaters-export';

/** The version of the file format this code writes; an import refuses files of a newer one. */
export const SNAPSHOT_VERSION = 1;

/** Rows fetched from a cursor at a time, and rows sent in one INSERT at most. */
export const SNAPSHOT_BATCH_ROWS = 1000;

/** How a column's values are written: see docs/export-format.md. */
export type ValueEncoding = 'number' | 'boolean' | 'string' | 'base64' | 'json' | 'array';

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  /** The last migration applied to the exported database. */
  migration: { name: string; timestamp: number; count: number };
  /** When the snapshot was taken, ISO 8601. */
  exportedAt: string;
  /** Rows per exported table, in file order. */
  tables: Record<string, number>;
  /** Tables left out, with why. */
  excluded: Record<string, string>;
}

export interface ColumnShape {
  name: string;
  /** PostgreSQL's name of the type, as `format_type` writes it (`integer`, `text[]`, `timestamp with time zone`). */
  type: string;
  encoding: ValueEncoding;
}

export interface TableLine {
  table: string;
  columns: ColumnShape[];
  rows: number;
}

/** One row: `values` in the order of its table line's `columns`. */
export interface RowLine {
  row: string;
  values: unknown[];
}

export interface EndLine {
  end: true;
  rows: number;
}

/** Where a long export or import stands, for a progress bar. */
export interface SnapshotProgress {
  /** Rows done and to do, over every table. */
  done: number;
  total: number;
  table: string;
}
