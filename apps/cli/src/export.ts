import 'reflect-metadata';
import { createWriteStream, existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import { Client } from 'pg';
import { exportSnapshot } from '@headwaters/database';
import { CommandError, EXIT, runCommand } from './command-database';
import { createProgress } from './progress';

const HELP = `Usage: npm run export -- FILE [--force]

Writes one consistent snapshot of the database (DATABASE_URL, or the embedded PostgreSQL in
DATA_DIR, started for the export if the server is not running) to FILE: JSON lines, described in
docs/export-format.md; gzip-compressed when FILE ends in .gz. The file holds password hashes and
webhook secrets, never sessions or tokens: it is created readable by its owner only.

  --force   replace FILE if it exists
  --help    this text

Exit codes: 0 done, 64 usage, 69 database unreachable, 73 FILE exists, 1 other failure.`;

function parse(args: string[]): { file: string; force: boolean } {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    process.exit(EXIT.ok);
  }
  const force = args.includes('--force');
  const rest = args.filter((a) => a !== '--force');
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown) throw new CommandError(`Unknown option ${unknown}\n\n${HELP}`, EXIT.usage);
  if (rest.length !== 1) throw new CommandError(`Name one file to write\n\n${HELP}`, EXIT.usage);
  return { file: rest[0], force };
}

let partial: string | undefined;

void runCommand(
  async (database) => {
    const { file, force } = parse(process.argv.slice(2));
    if (existsSync(file) && !force) throw new CommandError(`${file} exists: choose another name, or add --force to replace it`, 73);
    const temporary = `${file}.partial`;
    partial = temporary;
    const fileStream = createWriteStream(temporary, { mode: 0o600 });
    const head: Transform = file.endsWith('.gz') ? createGzip({ level: 6 }) : new PassThrough({ highWaterMark: 1 << 20 });
    const piped = pipeline(head, fileStream);
    const write = async (line: string) => {
      if (!head.write(`${line}\n`)) await once(head, 'drain');
    };
    const client = new Client({ connectionString: database.url, application_name: 'headwaters-export' });
    await client.connect();
    const progress = createProgress('export');
    const started = Date.now();
    try {
      const header = await exportSnapshot(client, write, ({ done, total, table }) => progress.update(done, total, table));
      head.end();
      await piped;
      progress.stop();
      await rename(temporary, file);
      partial = undefined;
      const rows = Object.values(header.tables).reduce((a, b) => a + b, 0);
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`exported ${rows} rows of ${Object.keys(header.tables).length} tables at migration ${header.migration.name} to ${file} in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001))} rows/s)\n`);
    } catch (error) {
      progress.stop();
      head.destroy();
      await piped.catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    } finally {
      await client.end();
    }
  },
  () => {
    if (partial) void rm(partial, { force: true });
  },
);
