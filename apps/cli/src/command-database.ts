import { CONFIG_EXIT_CODE, loadConfigOrExit, type AppConfig } from '@headwaters/config';
import { databaseUnavailability, openLocalDatabase, takeOverProcessSignals, type LocalDatabase } from '@headwaters/database';

/** Exit codes of the command-line tools (sysexits.h where one fits). */
export const EXIT = { ok: 0, failed: 1, usage: 64, invalid: 65, notFound: 66, conflict: 67, unavailable: 69, config: CONFIG_EXIT_CODE } as const;

/** A message for the person at the terminal, and the code to exit with. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * Runs a command-line tool against the database the server would use (see `openLocalDatabase`):
 * the configuration is validated first, Ctrl-C stops an embedded PostgreSQL the tool started,
 * and a failure prints its message (no stack) and exits with its code.
 */
export async function runCommand(work: (database: LocalDatabase, config: AppConfig) => Promise<number | void>, onInterrupt: () => void = () => undefined): Promise<never> {
  takeOverProcessSignals();
  const config = loadConfigOrExit();
  let database: LocalDatabase | undefined;
  const interrupted = async () => {
    onInterrupt();
    process.stderr.write('\ninterrupted: nothing was committed\n');
    await database?.close().catch(() => undefined);
    process.exit(130);
  };
  process.once('SIGINT', () => void interrupted());
  process.once('SIGTERM', () => void interrupted());
  let code: number;
  try {
    try {
      database = await openLocalDatabase(config);
    } catch (error) {
      throw new CommandError(`The database is not reachable: ${(error as Error).message}`, EXIT.unavailable);
    }
    code = (await work(database, config)) ?? EXIT.ok;
  } catch (error) {
    if (error instanceof CommandError) {
      process.stderr.write(`${error.message}\n`);
      code = error.exitCode;
    } else {
      const connection = (error as { code?: string }).code;
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      // Refused on TCP, or its Unix socket gone with the server.
      const away = connection === 'ECONNREFUSED' || connection === '57P03' || (connection === 'ENOENT' && databaseUnavailability(error) === 'DATABASE_UNREACHABLE');
      code = away ? EXIT.unavailable : EXIT.failed;
    }
  } finally {
    await database?.close().catch((error: unknown) => process.stderr.write(`the embedded PostgreSQL did not stop cleanly: ${String(error)}\n`));
  }
  process.exit(code);
}
