import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');

/** Each table and the one library whose code may write it. */
const OWNERS: Record<string, string> = {
  item: 'libs/items/',
  forward: 'libs/forwarding/',
  vote: 'libs/voting/',
  delivery: 'libs/forwarding/',
  app_user: 'libs/identity/',
  notification: 'libs/notifications/',
  notification_mail: 'libs/notifications/',
  notification_digest: 'libs/notifications/',
  notice_skip: 'libs/notifications/',
  webhook_delivery: 'libs/notifications/',
};

/** Source files of apps and libs, without tests and migrations (which build the tables). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' || name === 'node_modules' ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name) ? [path] : [];
  });
}

/** Statements that write the table: INSERT INTO t, UPDATE t, DELETE FROM t (not t_other, not "t."). */
const writes = (table: string) => new RegExp(`\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+${table}\\b(?![_.])`, 'gi');

describe('who writes which table', () => {
  const files = [...sources(join(root, 'apps')), ...sources(join(root, 'libs'))].map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }));

  it('finds the code it checks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((f) => writes('item').test(f.text)).map((f) => f.path)).toContain('libs/items/src/writes/item-writer.ts');
  });

  it.each(Object.entries(OWNERS))('only %s\'s library writes it (%s)', (table, owner) => {
    const outside = files.filter((f) => !f.path.startsWith(owner) && writes(table).test(f.text)).map((f) => `${f.path}: ${f.text.match(writes(table))!.join(', ')}`);
    expect(outside).toEqual([]);
  });
});
