import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { DomainError } from '@headwaters/core';
import { dataSourceOptions, migrate } from '@headwaters/database';
import { AccountAdminService, generatePassword, RoleService } from '@headwaters/identity';
import { CommandError, EXIT, runCommand } from './command-database';

const HELP = `Usage: npm run admin -- COMMAND ...

Account work that has no page, on the database the server uses (DATABASE_URL, or the embedded
PostgreSQL in DATA_DIR, started for the command if the server is not running):

  create-user USERNAME --email EMAIL [--password-stdin] [--admin]
      Creates an account; --admin also grants ADMIN. Without --password-stdin a password is
      made and printed once.
  grant USERNAME ROLE [--upstream SLUG | --component SLUG]
      ROLE is admin (takes no scope) or maintainer (of exactly one upstream or component subtree).
  reset-password USERNAME [--password-stdin]
      Sets a new password (made and printed once, or read from stdin) and ends every session.
  revoke-tokens USERNAME
      Revokes every session and personal access token of the user.
  --help
      This text.

--password-stdin reads the password from standard input (up to the end, one trailing newline
dropped): echo "$PASSWORD" | npm run admin -- reset-password alice --password-stdin

Exit codes: 0 done, 64 usage, 65 invalid input, 66 no such user, upstream or component,
67 conflict (the username is taken), 69 database unreachable, 1 other failure.`;

interface Parsed {
  command: string;
  positionals: string[];
  values: { email?: string; 'password-stdin'?: boolean; admin?: boolean; upstream?: string; component?: string };
}

const ALLOWED: Record<string, { positionals: string[]; options: string[] }> = {
  'create-user': { positionals: ['USERNAME'], options: ['email', 'password-stdin', 'admin'] },
  grant: { positionals: ['USERNAME', 'ROLE'], options: ['upstream', 'component'] },
  'reset-password': { positionals: ['USERNAME'], options: ['password-stdin'] },
  'revoke-tokens': { positionals: ['USERNAME'], options: [] },
};

function parse(args: string[]): Parsed {
  if (args.length === 0) throw new CommandError(`Name a command\n\n${HELP}`, EXIT.usage);
  if (args.includes('--help') || args.includes('-h') || args[0] === 'help') {
    process.stdout.write(`${HELP}\n`);
    process.exit(EXIT.ok);
  }
  const [command, ...rest] = args;
  const allowed = ALLOWED[command];
  if (!allowed) throw new CommandError(`Unknown command "${command}": one of ${Object.keys(ALLOWED).join(', ')} (--help says more)`, EXIT.usage);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        email: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        admin: { type: 'boolean' },
        upstream: { type: 'string' },
        component: { type: 'string' },
      },
    });
  } catch (error) {
    throw new CommandError(`${command}: ${(error as Error).message}`, EXIT.usage);
  }
  const given = Object.keys(parsed.values).filter((name) => !allowed.options.includes(name));
  if (given.length) throw new CommandError(`${command} takes no --${given[0]}`, EXIT.usage);
  if (parsed.positionals.length !== allowed.positionals.length) {
    throw new CommandError(`Usage: ${command} ${allowed.positionals.join(' ')}${allowed.options.map((o) => ` [--${o}]`).join('')}`, EXIT.usage);
  }
  return { command, positionals: parsed.positionals, values: parsed.values };
}

async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') throw new CommandError('--password-stdin: standard input held no password', EXIT.invalid);
  return password;
}

/** The API's field names in messages, as this command's options. */
const OPTION_OF_FIELD: Record<string, string> = { upstreamSlug: '--upstream', componentSlug: '--component', email: '--email', password: 'password' };

function messageOf(error: DomainError): string {
  const option = error.field ? OPTION_OF_FIELD[error.field] : undefined;
  return option ? error.message.replace(/\b(upstreamSlug|componentSlug)\b/g, (field) => OPTION_OF_FIELD[field]).replace(new RegExp(`^${error.field}:`), `${option}:`) : error.message;
}

function exitCodeOf(error: DomainError): number {
  if (error.kind === 'not_found') return EXIT.notFound;
  if (error.kind === 'conflict') return EXIT.conflict;
  return EXIT.invalid;
}

async function run(parsed: Parsed, accounts: AccountAdminService, roles: RoleService): Promise<void> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const [username] = parsed.positionals;
  switch (parsed.command) {
    case 'create-user': {
      if (!parsed.values.email) throw new CommandError('create-user needs --email EMAIL', EXIT.usage);
      const password = parsed.values['password-stdin'] ? await readPassword() : generatePassword();
      const user = await accounts.createUser({ username, email: parsed.values.email, password, admin: parsed.values.admin });
      out(`created ${user.username} (id ${user.id})${parsed.values.admin ? ' with ADMIN' : ''}`);
      if (!parsed.values['password-stdin']) out(`password (shown once): ${password}`);
      return;
    }
    case 'grant': {
      const role = parsed.positionals[1].toUpperCase();
      if (role !== 'ADMIN' && role !== 'MAINTAINER') throw new CommandError(`role: "${parsed.positionals[1]}" is not a role: admin or maintainer`, EXIT.invalid);
      const { user, grants } = await roles.grantAsOperator({ username, role, upstreamSlug: parsed.values.upstream ?? null, componentSlug: parsed.values.component ?? null });
      const scope = parsed.values.upstream ? ` of upstream ${parsed.values.upstream}` : parsed.values.component ? ` of component ${parsed.values.component}` : '';
      out(`${user.username} holds ${role}${scope} (${grants.length} role(s) in all)`);
      return;
    }
    case 'reset-password': {
      const password = parsed.values['password-stdin'] ? await readPassword() : generatePassword();
      const { user, revokedSessions } = await accounts.resetPassword(username, password);
      out(`password of ${user.username} set; ${revokedSessions} session(s) ended`);
      if (!parsed.values['password-stdin']) out(`password (shown once): ${password}`);
      return;
    }
    case 'revoke-tokens': {
      const { user, revoked } = await accounts.revokeTokens(username);
      out(`revoked ${revoked} token(s) of ${user.username}`);
      return;
    }
  }
}

// Usage errors are told before any database is opened.
let parsed: Parsed | undefined;
try {
  parsed = parse(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit((error as CommandError).exitCode ?? EXIT.usage);
}
const request = parsed;

void runCommand(async (database) => {
  await migrate(database.url);
  const dataSource = new DataSource(dataSourceOptions(database.url, { poolSize: 2, applicationName: 'headwaters-admin' }));
  await dataSource.initialize();
  try {
    await run(request, new AccountAdminService(dataSource), new RoleService(dataSource));
  } catch (error) {
    if (error instanceof DomainError) throw new CommandError(messageOf(error), exitCodeOf(error));
    throw error;
  } finally {
    await dataSource.destroy();
  }
});
