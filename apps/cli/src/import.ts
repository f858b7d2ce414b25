import 'reflect-metadata';
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ImportRefused, importSnapshot } from '@headwaters/database';
import { CommandError, EXIT, runCommand } from './command-database';
import { createProgress } from './progress';

const HELP = `Usage: npm run import -- FILE

Loads an export (npm run export; docs/export-format.md) into an empty database: DATABASE_URL, or
the embedded PostgreSQL in DATA_DIR (a new DATA_DIR is initialised). Runs the migrations first,
loads everything in one transaction (a failure leaves the database empty: run it again), then runs
the migrations the file is older than. Refuses a database that holds data, and a file of a newer
format or from a newer version of Headwaters. A FILE ending in .gz is read gzip-compressed.
Everyone signs in again afterwards: sessions and tokens are not exported.

  --help    this text

Exit codes: 0 done, 64 usage, 65 refused (the message says why), 66 FILE not found,
69 database unreachable, 1 other failure.`;

function parse(args: string[]): string {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    process.exit(EXIT.ok);
  }
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) throw new CommandError(`Unknown option ${unknown}\n\n${HELP}`, EXIT.usage);
  if (args.length !== 1) throw new CommandError(`Name one file to read\n\n${HELP}`, EXIT.usage);
  if (!existsSync(args[0])) throw new CommandError(`${args[0]} does not exist`, EXIT.notFound);
  return args[0];
}

void runCommand(async (database) => {
  const file = parse(process.argv.slice(2));
  let input: Readable = createReadStream(file, { highWaterMark: 1 << 20 });
  if (file.endsWith('.gz')) input = input.pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Infinity });
  const progress = createProgress('import');
  const started = Date.now();
  try {
    const result = await importSnapshot(database.url, lines, ({ done, total, table }) => progress.update(done, total, table));
    progress.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`imported ${result.rows} rows of ${Object.keys(result.header.tables).length} tables (exported ${result.header.exportedAt}, migration ${result.header.migration.name}) in ${seconds.toFixed(1)} s (${Math.round(result.rows / Math.max(seconds, 0.001))} rows/s)\n`);
    if (result.migratedAfter.length) process.stdout.write(`then migrated: ${result.migratedAfter.join(', ')}\n`);
    if (result.pendingDeliveries) process.stdout.write(`${result.pendingDeliveries} deliveries were still pending when exported: their queued attempts are not part of an export; redeliver them (the redeliver mutation) to send them\n`);
  } catch (error) {
    progress.stop();
    if (error instanceof ImportRefused) throw new CommandError(`Not imported: ${error.message}`, EXIT.invalid);
    throw error;
  } finally {
    lines.close();
    input.destroy();
  }
});
