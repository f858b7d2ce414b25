import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { Client } from 'pg';
import { EXCLUDED_TABLES, EXPORTED_TABLES } from '@headwaters/database';
import { createTestDatabase, type TestDatabase } from '@headwaters/database/testing';
import { githubSignature, ReplyListener } from '@headwaters/forwarding';
import { createActor, createAdmin, type TestActor } from './support/actors';
import { buildCli, type BuiltCli } from './support/cli';
import { fileBug, suggestFeature } from './support/items';
import { startTestApp, type TestApp } from './support/test-app';
import { until } from './support/watching';

const DOMAIN = 'tracker.test';

/** Every row of every table of `public` in a database, as PostgreSQL renders it (generated columns included), in a stable order. */
async function contents(url: string): Promise<Map<string, string[]>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
    const all = new Map<string, string[]>();
    for (const { name } of tables) {
      const { rows } = await client.query<{ r: string }>(`SELECT to_jsonb(t)::text AS r FROM "${name}" t ORDER BY 1`);
      all.set(name, rows.map((row) => row.r));
    }
    return all;
  } finally {
    await client.end();
  }
}

async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new URL(process.env.HW_TEST_ADMIN_URL!);
  const name = `hw_t_${process.env.HW_TEST_RUN ?? 'local'}_imp_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

jest.setTimeout(120_000);

describe('export and import', () => {
  let cli: BuiltCli;
  let source: TestDatabase;
  let work: string;
  let file: string;
  const dropLater: (() => Promise<void>)[] = [];

  /** Fills a database through the API with every kind of data there is. */
  async function fill(app: TestApp): Promise<void> {
    const gql = async (query: string, variables: Record<string, unknown>, actor: TestActor) => {
      const response = await app.gql(query, variables, { token: actor.token });
      if (response.body.errors) throw new Error(`${query}: ${JSON.stringify(response.body.errors)}`);
      return response.body.data as Record<string, Record<string, Record<string, unknown>>>;
    };
    const admin = await createAdmin(app, 'root-admin');
    const maintainer = await createActor(app, { username: 'xapi-maint', grants: [{ role: 'MAINTAINER', upstreamSlug: 'xapi-project' }] });
    const registered = await app.gql<{ register: { token: string } }>(`mutation { register(input: { username: "Alice", email: "alice@example.org", password: "correct horse battery" }) { token } }`);
    const alice: TestActor = { userId: 0, username: 'Alice', token: registered.body.data!.register.token };
    await app.sql(`UPDATE app_user SET email_verified_at = now() WHERE username = 'Alice'`);

    await gql(`mutation { createRelease(input: { slug: "xenserver-9", name: "XenServer 9", releasedAt: "2026-06-01T00:00:00Z" }) { release { slug } } }`, {}, admin);
    await gql(`mutation ($s: String!) { updateUpstream(input: { slug: "xapi-project", webhookSecret: $s }) { upstream { slug } } }`, { s: 'hook-secret-of-xapi-project-0123' }, admin);
    await gql(`mutation { createWebhook(input: { url: "https://hooks.example.org/headwaters", secret: "a-webhook-secret-0123456789", upstreamSlug: "xapi-project" }) { webhook { id } } }`, {}, admin);
    await gql(`mutation { updateMailPreference(input: { mail: DAILY_DIGEST }) { __typename } }`, {}, maintainer);

    const bug = await fileBug(app, alice, { title: 'xenopsd leaks memory on live migration', description: 'Steps: migrate, repeat.\nUnicode: Grüße, 日本語, "quotes" \\ backslash', componentSlug: 'xapi', affectedReleaseSlugs: ['xenserver-9'] });
    const twin = await fileBug(app, alice, { title: 'memory leak in xenopsd after migrating', componentSlug: 'xapi' });
    const feature = await suggestFeature(app, alice, { title: 'Show the route on the item page', componentSlug: 'xapi' });
    await gql(`mutation ($input: UpdateSubscriptionInput!) { updateSubscription(input: $input) { __typename } }`, { input: { subscribableId: feature.id, state: 'SUBSCRIBED' } }, alice);
    await gql(`mutation ($input: CommentInput!) { addComment(input: $input) { comment { id } } }`, { input: { itemId: bug.id, body: 'Also on 8.4' } }, alice);
    const spam = await gql(`mutation ($input: CommentInput!) { addComment(input: $input) { comment { id } } }`, { input: { itemId: bug.id, body: 'buy things' } }, alice);
    await gql(`mutation ($input: HideCommentInput!) { hideComment(input: $input) { comment { id } } }`, { input: { commentId: spam.addComment.comment.id, hidden: true, reason: 'spam' } }, maintainer);
    await gql(`mutation ($input: CommentInput!) { addComment(input: $input) { comment { id } } }`, { input: { itemId: feature.id, body: 'Planned, thanks' } }, maintainer);
    await gql(`mutation ($input: VoteInput!) { vote(input: $input) { __typename } }`, { input: { itemId: feature.id } }, maintainer);
    await gql(`mutation ($input: VoteInput!) { vote(input: $input) { __typename } }`, { input: { itemId: bug.id } }, admin);
    await gql(`mutation ($input: TriageInput!) { triage(input: $input) { __typename } }`, { input: { itemId: bug.id, status: 'CONFIRMED', importance: 'HIGH', addTags: ['regression', 'migration'], comment: 'Confirmed here' } }, maintainer);
    await gql(`mutation ($input: AssignInput!) { assign(input: $input) { __typename } }`, { input: { itemId: bug.id, username: 'xapi-maint' } }, maintainer);
    await gql(`mutation ($input: MarkDuplicateInput!) { markDuplicate(input: $input) { __typename } }`, { input: { itemId: twin.id, duplicateOfId: bug.id } }, maintainer);
    await gql(`mutation ($input: ForwardInput!) { forward(input: $input) { __typename } }`, { input: { itemId: bug.id } }, maintainer);
    await gql(`mutation ($input: TriageInput!) { triage(input: $input) { __typename } }`, { input: { itemId: feature.id, status: 'PLANNED', plannedForSlug: 'xenserver-9' } }, maintainer);

    // An attachment of three chunks, bytes of every value.
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(600_000)]);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), 'crash dump.bin');
    const uploaded = await fetch(`${app.url}/items/${bug.number}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${alice.token}` } });
    expect(uploaded.status).toBe(201);

    // Mail from a stranger is held for the maintainers; a GitHub webhook delivery is recorded.
    const port = app.app.get(ReplyListener).port;
    await createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail({ from: 'stranger@elsewhere.example', to: `item-${bug.number}@${DOMAIN}`, subject: 'me too', text: 'Same here.' });
    const hook = { zen: 'Keep it logically awesome.', hook_id: 1 };
    const posted = await fetch(`${app.url}/hooks/github/xapi-project`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': 'delivery-1', 'x-hub-signature-256': githubSignature('hook-secret-of-xapi-project-0123', JSON.stringify(hook)) },
      body: JSON.stringify(hook),
    });
    expect(posted.status).toBeLessThan(300);
    await until(async () => (await app.sql(`SELECT 1 FROM held_mail`)).length > 0);
    // What the worker does every few seconds: fold what filings taught component suggestions into
    // the learned words, so those tables hold rows too; one more filing leaves a pending change.
    await app.sql(`SELECT component_words_fold()`);
    await fileBug(app, alice, { title: 'xe vm-import fails with VDI_IO_ERROR', componentSlug: 'xapi' });
  }

  beforeAll(async () => {
    cli = buildCli();
    work = await mkdtemp(join(tmpdir(), 'headwaters-export-'));
    source = await createTestDatabase();
    const app = await startTestApp({ database: source, withWorker: true, config: { DATA_DIR: work, MAIL_FROM: `headwaters@${DOMAIN}`, PUBLIC_URL: 'https://bugs.example.test', MAIL_INBOUND_PORT: 0, WATCH_INTERVAL_SECONDS: 0 } });
    try {
      await fill(app);
    } finally {
      await app.close();
    }
    // Written by the daily digest job and by a notice refused at send time: this fill reaches
    // neither, so one row of each is written here, to go through the round trip too.
    const client = new Client({ connectionString: source.url });
    await client.connect();
    await client
      .query(
        `INSERT INTO notification_digest (user_id, day, until, entries, skipped) SELECT id, '2026-11-30', '2026-12-01T00:00:00Z', 3, 1 FROM app_user WHERE username = 'xapi-maint';
         INSERT INTO notice_skip (channel, reason, item_id, user_id) SELECT 'MAIL', 'EMBARGOED', (SELECT min(id) FROM item), id FROM app_user WHERE username = 'Alice'`,
      )
      .finally(() => client.end());
    file = join(work, 'snapshot.jsonl');
    const exported = await cli.run('export', [file], { env: { DATABASE_URL: source.url } });
    expect(exported).toMatchObject({ code: 0, stdout: expect.stringMatching(/^exported \d+ rows of \d+ tables at migration \w+ to /) });
  }, 120_000);
  afterAll(async () => {
    for (const drop of dropLater) await drop().catch(() => undefined);
    await source?.drop();
    await cli?.remove();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('decides about every table: exported or excluded, never both', async () => {
    const tables = [...(await contents(source.url)).keys()];
    const undecided = tables.filter((t) => !(EXPORTED_TABLES as readonly string[]).includes(t) && !(t in EXCLUDED_TABLES));
    expect(undecided).toEqual([]);
    expect(EXPORTED_TABLES.filter((t) => t in EXCLUDED_TABLES)).toEqual([]);
  });

  it('fills every exported table through the API', async () => {
    const all = await contents(source.url);
    // The pending changes of learned words are folded by the worker every few seconds, so whether
    // they are still pending when the export runs depends on the clock; the round trip compares
    // whatever they hold.
    const transient = ['component_word_delta', 'component_word_stats_delta'];
    expect(EXPORTED_TABLES.filter((t) => !transient.includes(t) && (all.get(t) ?? []).length === 0)).toEqual([]);
  });

  it('writes a versioned JSON-lines file: a header, typed rows, the bytes in base64, and never a token', async () => {
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const header = lines[0] as { format: string; version: number; migration: { name: string; count: number }; tables: Record<string, number>; excluded: Record<string, string> };
    expect(header).toMatchObject({ format: 'headwaters-export', version: 1, migration: { name: expect.stringMatching(/\d{13}$/), count: expect.any(Number) } });
    expect(Object.keys(header.tables)).toEqual([...EXPORTED_TABLES]);
    expect(Object.keys(header.excluded)).toEqual(expect.arrayContaining(['access_token', 'pgboss']));
    expect(lines.at(-1)).toEqual({ end: true, rows: Object.values(header.tables).reduce((a, b) => a + b, 0) });
    const chunkTable = lines.find((l) => l.table === 'attachment_chunk') as { columns: { name: string; encoding: string }[] };
    expect(chunkTable.columns.find((c) => c.name === 'data')).toMatchObject({ type: 'bytea', encoding: 'base64' });
    const itemTable = lines.find((l) => l.table === 'item') as { columns: { name: string }[] };
    expect(itemTable.columns.map((c) => c.name)).not.toContain('closed');
    const text = await readFile(file, 'utf8');
    const tokens = await new Client({ connectionString: source.url });
    await tokens.connect();
    const { rows } = await tokens.query<{ h: string }>(`SELECT encode(token_hash, 'base64') AS h FROM access_token`).finally(() => tokens.end());
    expect(rows.length).toBeGreaterThan(0);
    for (const { h } of rows) expect(text).not.toContain(h);
    expect(lines.some((l) => l.table === 'access_token' || l.row === 'access_token')).toBe(false);
  });

  it('imports into an empty database what compares equal, table by table and row by row', async () => {
    const target = await emptyDatabase();
    dropLater.push(target.drop);
    const imported = await cli.run('import', [file], { env: { DATABASE_URL: target.url } });
    expect(imported).toMatchObject({ code: 0, stdout: expect.stringMatching(/^imported \d+ rows of \d+ tables/) });
    const before = await contents(source.url);
    const after = await contents(target.url);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [table, rows] of before) {
      if ((EXPORTED_TABLES as readonly string[]).includes(table)) expect({ table, rows: after.get(table) }).toEqual({ table, rows });
      else if (table === 'migrations') expect(after.get(table)).toEqual(rows);
      // Made by the migrations, and raised again by the catalogue the import loads.
      else if (table === 'catalogue_version') expect(after.get(table)).toHaveLength(1);
      else if (table in EXCLUDED_TABLES) expect({ table, rows: after.get(table) }).toEqual({ table, rows: [] });
      else throw new Error(`${table} is neither exported nor excluded`);
    }

    // The imported tracker works: new ids continue after the imported ones, nobody is signed in.
    const app = await startTestApp({ database: { name: 'imported', url: target.url, drop: async () => undefined } });
    try {
      const actor = await createActor(app);
      const filed = await fileBug(app, actor, { title: 'filed after the import' });
      expect(filed.number).toBe(5);
      const comment = await app.gql(`mutation ($input: CommentInput!) { addComment(input: $input) { comment { body } } }`, { input: { itemId: filed.id, body: 'ok' } }, { token: actor.token });
      expect(comment.body.errors).toBeUndefined();
      const search = await app.gql<{ search: { nodes: { number: number }[] } }>(`{ search(query: "xenopsd leaks") { nodes { number } } }`);
      expect(search.body.data!.search.nodes.map((n) => n.number)).toContain(1);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('refuses a database that is not empty, and says so', async () => {
    const target = await createTestDatabase();
    dropLater.push(target.drop);
    const client = new Client({ connectionString: target.url });
    await client.connect();
    await client.query(`INSERT INTO app_user (username, email, password_hash) VALUES ('someone', 'someone@example.org', '!')`).finally(() => client.end());
    const refused = await cli.run('import', [file], { env: { DATABASE_URL: target.url } });
    expect(refused).toMatchObject({ code: 65, stderr: expect.stringContaining('Not imported: The database is not empty (app_user hold rows)') });
  });

  it('refuses a file of a newer format or from a newer Headwaters, and a cut-short file, writing nothing', async () => {
    const text = await readFile(file, 'utf8');
    const [first, ...rest] = text.split('\n');
    const header = JSON.parse(first) as { version: number; migration: { name: string; timestamp: number } };
    const variant = async (name: string, content: string) => {
      const path = join(work, name);
      await writeFile(path, content);
      return path;
    };
    const newerFormat = await variant('newer-format.jsonl', [JSON.stringify({ ...header, version: 2 }), ...rest].join('\n'));
    const newerLevel = await variant('newer-level.jsonl', [JSON.stringify({ ...header, migration: { ...header.migration, name: 'FromTheFuture9999999999999', timestamp: 9999999999999 } }), ...rest].join('\n'));
    const lines = text.trimEnd().split('\n');
    const cut = await variant('cut.jsonl', lines.slice(0, Math.floor(lines.length / 2)).join('\n'));
    const target = await emptyDatabase();
    dropLater.push(target.drop);
    const env = { DATABASE_URL: target.url };
    expect(await cli.run('import', [newerFormat], { env })).toMatchObject({ code: 65, stderr: expect.stringContaining('export format 2; this version of Headwaters reads format 1') });
    expect(await cli.run('import', [newerLevel], { env })).toMatchObject({ code: 65, stderr: expect.stringContaining('comes from a newer Headwaters (migration FromTheFuture9999999999999') });
    expect(await cli.run('import', [cut], { env })).toMatchObject({ code: 65, stderr: expect.stringContaining('it is cut short') });
    // Nothing stayed: the full file imports afterwards.
    expect(await cli.run('import', [file], { env })).toMatchObject({ code: 0 });
    expect(await cli.run('import', [join(work, 'missing.jsonl')], { env })).toMatchObject({ code: 66, stderr: expect.stringContaining('does not exist') });
  }, 60_000);

  it('refuses to export a table nobody decided about', async () => {
    const other = await createTestDatabase();
    dropLater.push(other.drop);
    const client = new Client({ connectionString: other.url });
    await client.connect();
    await client.query(`CREATE TABLE shiny_new_thing (id int PRIMARY KEY)`).finally(() => client.end());
    const refused = await cli.run('export', [join(work, 'other.jsonl')], { env: { DATABASE_URL: other.url } });
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('shiny_new_thing are neither exported nor excluded') });
  });
});
