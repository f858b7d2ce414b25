// Fills a migrated, seeded Headwaters database with a realistic XenServer tracker: N items with
// titles and descriptions built from XenServer vocabulary, statuses, importances, components,
// routes, forwards, votes from many users, comments, duplicates and timelines. Set-based SQL
// (INSERT ... SELECT FROM generate_series) with deterministic pseudo-random choices (hashint4),
// so 1,000,000 items take minutes. Idempotent per size: an existing dataset is kept.
import pg from 'pg';

const SUBJECTS = ['VM', 'host', 'pool', 'SR', 'VDI', 'VIF', 'toolstack', 'xapi', 'xenopsd', 'XenCenter', 'PV drivers', 'live migration', 'snapshot', 'storage motion', 'HA', 'dom0', 'network bond', 'VLAN', 'GPU passthrough', 'installer', 'console', 'backup', 'template', 'xe CLI', 'rrdd metrics', 'squeezed', 'memory ballooning', 'Debian package', 'Ubuntu package', 'hypervisor'];
const VERBS = ['fails', 'crashes', 'hangs', 'leaks memory', 'times out', 'reports wrong values', 'is slow', 'loses its configuration', 'corrupts data', 'cannot start', 'shows an error', 'ignores settings', 'deadlocks', 'uses 100% CPU', 'drops packets'];
const CONTEXTS = ['after upgrade', 'on reboot', 'under load', 'with large VMs', 'when the pool master changes', 'on shutdown', 'during migration', 'with IPv6', 'on Windows guests', 'with NFS storage', 'with iSCSI multipath', 'on a fresh install', 'after a toolstack restart', 'with 500 VMs', 'on AMD hosts'];
const DETAILS = ['Steps to reproduce: start a pool of three hosts, then repeat the action a few times.', 'The logs in /var/log/xensource.log show an exception right before it happens.', 'It worked in the previous release.', 'Workaround: restarting the toolstack makes it go away for a while.', 'Seen on two different sites with different hardware.', 'Attached the bugtool output and a screenshot of the console.', 'It happens roughly once a day in production.', 'Memory usage of the process grows steadily until the host is rebooted.'];
const COMMENTS = ['I can reproduce this on 6.2 as well.', 'Same here after the latest hotfix.', 'Could you attach the xensource.log from the pool master?', 'This looks like a duplicate of an older report.', 'A fix is being tested upstream.', 'Still happening with the newest build.', 'Works for me with the workaround above.', 'Any news on this? It affects our live migrations.'];
/** Component slug and weight (percent); the rest has no component. */
const WEIGHTS = [['xapi', 8], ['xapi/xenopsd', 10], ['xapi/networkd', 6], ['xapi/rrdd', 4], ['xapi/storage', 10], ['xapi/squeezed', 3], ['xapi/xe-cli', 4], ['xen', 12], ['xencenter', 12], ['pv-drivers', 7], ['installer', 4], ['dom0', 4], ['packaging', 2], ['packaging/debian', 3], ['packaging/ubuntu', 2]];

const lit = (values) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;
const pick = (array, seed) => `(${lit(array)})[1 + (abs(hashint4(${seed})) % ${array.length})]`;

async function timed(log, label, work) {
  const started = Date.now();
  const result = await work();
  log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** Generates `n` items unless the database already holds exactly that dataset. Returns whether it did. */
export async function generate(url, n, log = console.log) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The benchmark's own writes (filed bugs, votes) add to a dataset: a marker says what it was made as.
    await client.query(`CREATE TABLE IF NOT EXISTS bench_dataset (items integer NOT NULL)`);
    const made = (await client.query(`SELECT items FROM bench_dataset`)).rows[0]?.items;
    if (made === n) return false;
    const [{ existing }] = (await client.query('SELECT count(*)::int AS existing FROM item')).rows;
    if (existing !== 0) throw new Error(`this database holds ${existing} items, not a dataset of ${n}: use a fresh one`);
    const users = Math.max(1000, Math.floor(n / 20));
    log(`generating ${n} items, ${users} users`);
    const started = Date.now();
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    // The item table's GIN indexes (full text, trigrams) take each new row's words one by one,
    // which makes a bulk load several times slower; they go for the load and are built again, as
    // the migrations define them, once the data is in.
    const ginIndexes = (
      await client.query(
        `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
          WHERE i.indrelid = 'item'::regclass AND am.amname = 'gin'`,
      )
    ).rows;
    for (const { name } of ginIndexes) await client.query(`DROP INDEX "${name}"`);
    // Component suggestions' words are learned once, set-based, after the load (component_words_rebuild).
    await client.query(`ALTER TABLE item DISABLE TRIGGER item_component_words_insert`);
    const components = (await client.query(`SELECT id, slug FROM component`)).rows;
    const slots = [];
    for (const [slug, weight] of WEIGHTS) {
      const component = components.find((c) => c.slug === slug);
      for (let i = 0; i < weight; i++) slots.push(component ? component.id : null);
    }
    while (slots.length < 100) slots.push(null);
    await timed(log, 'users', () =>
      client.query(`INSERT INTO app_user (username, email, password_hash) SELECT 'user' || g, 'user' || g || '@example.org', '!' FROM generate_series(1, $1) g`, [users]),
    );
    // Effective owner and routing reason of every component, as the routing rules decide them.
    await client.query(`
      CREATE TEMP TABLE route_of AS
      WITH RECURSIVE up(component_id, ancestor_id, owner_id, depth) AS (
        SELECT c.id, c.id, c.owner_id, 0 FROM component c
        UNION ALL SELECT up.component_id, p.id, p.owner_id, up.depth + 1 FROM up JOIN component c ON c.id = up.ancestor_id JOIN component p ON p.id = c.parent_id WHERE up.owner_id IS NULL)
      SELECT DISTINCT ON (up.component_id) up.component_id, u.id AS upstream_id, u.forwarding = 'HANDLED_HERE' AS handled_here,
             c.slug || ' is owned by ' || u.name || CASE WHEN up.ancestor_id <> up.component_id THEN ' (inherited from ' || a.slug || ')' ELSE '' END AS reason
        FROM up JOIN upstream u ON u.id = up.owner_id JOIN component c ON c.id = up.component_id JOIN component a ON a.id = up.ancestor_id
       WHERE up.owner_id IS NOT NULL ORDER BY up.component_id, up.depth`);
    const distribution = (await client.query(`SELECT id, name FROM upstream WHERE slug = 'xenserver'`)).rows[0];
    const h = (k) => `abs(hashint4(g * ${k} + ${k * 7}))`;
    await timed(log, 'items', () =>
      client.query(
        `INSERT INTO item (number, kind, title, description, status, importance, component_id, reporter_id, route_upstream_id, route_component_id,
                           route_reason, incomplete_since, created_at, updated_at)
         SELECT g, s.kind, s.title, s.description, s.status, s.importance, s.component_id, s.reporter_id,
                coalesce(r.upstream_id, $3), s.component_id,
                coalesce(r.reason, 'No component given: ' || $4 || ' triages it and finds the upstream that owns it'),
                CASE WHEN s.status = 'INCOMPLETE' THEN s.created_at + interval '1 day' END,
                s.created_at, least(now(), s.created_at + make_interval(secs => ${h(17)} % 2592000))
           FROM generate_series(1, $1) g
           CROSS JOIN LATERAL (SELECT
                CASE WHEN ${h(3)} % 4 = 0 THEN 'FEATURE' ELSE 'BUG' END AS kind,
                CASE WHEN ${h(3)} % 4 = 0 THEN 'Support ' || ${pick(SUBJECTS, 'g * 5')} || ' ' || ${pick(CONTEXTS, 'g * 11')}
                     ELSE ${pick(SUBJECTS, 'g * 5')} || ' ' || ${pick(VERBS, 'g * 7')} || ' ' || ${pick(CONTEXTS, 'g * 11')} END AS title,
                ${pick(DETAILS, 'g * 19')} || ' ' || ${pick(DETAILS, 'g * 23 + 1')} || ' ' || ${pick(SUBJECTS, 'g * 29')} || ' ' || ${pick(VERBS, 'g * 31')} || ' ' || ${pick(CONTEXTS, 'g * 37')} || '.' AS description,
                (ARRAY['NEW','NEW','NEW','NEW','NEW','NEW','INCOMPLETE','CONFIRMED','CONFIRMED','CONFIRMED','TRIAGED','TRIAGED','TRIAGED','IN_PROGRESS',
                       'FIX_COMMITTED','FIX_RELEASED','FIX_RELEASED','FIX_RELEASED','WONT_FIX','INVALID'])[1 + ${h(41)} % 20] AS raw_status,
                (ARRAY['UNDECIDED','UNDECIDED','UNDECIDED','UNDECIDED','CRITICAL','HIGH','HIGH','MEDIUM','MEDIUM','MEDIUM','LOW','LOW','WISHLIST'])[1 + ${h(43)} % 13] AS importance,
                ($2::int[])[1 + ${h(47)} % 100] AS component_id,
                1 + ${h(53)} % ${users} AS reporter_id,
                -- Three years of filings, in number order, a few hours of jitter.
                now() - make_interval(secs => (($1 - g)::float8 * 94608000 / $1)::int + ${h(59)} % 7200) AS created_at
           ) s0
           CROSS JOIN LATERAL (SELECT s0.*, CASE
                WHEN s0.kind = 'FEATURE' AND s0.raw_status = 'CONFIRMED' THEN 'PLANNED'
                WHEN s0.kind = 'FEATURE' AND s0.raw_status = 'FIX_COMMITTED' THEN 'IN_PROGRESS'
                ELSE s0.raw_status END AS status) s
           LEFT JOIN route_of r ON r.component_id = s.component_id
          ORDER BY g`,
        [n, slots, distribution.id, distribution.name],
      ),
    );
    await client.query(`SELECT setval('item_number_seq', $1)`, [n]);
    await timed(log, 'duplicates', () =>
      client.query(`UPDATE item d SET status = 'DUPLICATE', duplicate_of_id = d.id - 7, incomplete_since = NULL
                     WHERE d.id % 50 = 7 AND d.id > 7`),
    );
    // Forwards of items confirmed or further along for an upstream that works elsewhere: 60% pending, the rest sent.
    const f = `abs(hashint4(i.number * 13 + 91))`;
    await timed(log, 'forwards', () =>
      client.query(`INSERT INTO forward (item_id, upstream_id, kind, state, reference, forwarded_at, created_at, updated_at)
                    SELECT i.id, i.route_upstream_id, 'ROUTED', CASE WHEN ${f} % 10 < 6 THEN 'PENDING' ELSE 'FORWARDED' END,
                           CASE WHEN ${f} % 10 >= 6 THEN '#' || (700000 + i.number) END, CASE WHEN ${f} % 10 >= 6 THEN i.created_at + interval '2 days' END,
                           i.created_at, i.updated_at
                      FROM item i JOIN upstream u ON u.id = i.route_upstream_id
                     WHERE i.status IN ('CONFIRMED','TRIAGED','PLANNED','IN_PROGRESS','FIX_COMMITTED') AND u.forwarding <> 'HANDLED_HERE' AND i.component_id IS NOT NULL
                     ORDER BY i.id`),
    );
    await timed(log, 'votes', async () => {
      await client.query(
        `INSERT INTO vote (item_id, user_id, created_at)
         SELECT i.id, 1 + abs(hashint4(i.id * 31 + k)) % $1, i.created_at + make_interval(secs => k * 3600)
           FROM item i
           CROSS JOIN LATERAL generate_series(1, CASE WHEN abs(hashint4(i.id * 61)) % 100 < 45 THEN 0 WHEN abs(hashint4(i.id * 61)) % 100 < 80 THEN 1 + abs(hashint4(i.id)) % 3
                                                   WHEN abs(hashint4(i.id * 61)) % 100 < 96 THEN 4 + abs(hashint4(i.id)) % 12 ELSE 20 + abs(hashint4(i.id)) % 200 END) k
         ON CONFLICT DO NOTHING`,
        [users],
      );
      await client.query(`UPDATE item i SET vote_count = v.own FROM (SELECT item_id, count(*)::int AS own FROM vote GROUP BY item_id) v WHERE v.item_id = i.id`);
      await client.query(`UPDATE item i SET vote_count = g.voters FROM (
          SELECT r.id, count(DISTINCT v.user_id)::int AS voters FROM item r JOIN item d ON d.duplicate_of_id = r.id OR d.id = r.id JOIN vote v ON v.item_id = d.id
           WHERE r.id IN (SELECT duplicate_of_id FROM item WHERE duplicate_of_id IS NOT NULL) GROUP BY r.id) g WHERE g.id = i.id`);
    });
    await timed(log, 'comments', async () => {
      await client.query(
        `INSERT INTO comment (item_id, author_id, body, created_at)
         SELECT i.id, 1 + abs(hashint4(i.id * 67 + k)) % $1, ${pick(COMMENTS, 'i.id * 71 + k')}, i.created_at + make_interval(secs => k * 7200)
           FROM item i CROSS JOIN LATERAL generate_series(1, 1 + abs(hashint4(i.id * 73)) % 5) k
          WHERE abs(hashint4(i.id * 79)) % 5 = 0`,
        [users],
      );
      await client.query(`UPDATE item i SET comments_tsv = c.tsv FROM (SELECT item_id, to_tsvector('english', item_search_words(string_agg(body, ' '))) AS tsv FROM comment GROUP BY item_id) c WHERE c.item_id = i.id`);
    });
    await timed(log, 'timelines', () =>
      client.query(`INSERT INTO timeline_event (item_id, type, actor_id, summary, created_at)
                    SELECT i.id, 'FILED', i.reporter_id, 'filed', i.created_at FROM item i
                    UNION ALL SELECT i.id, 'ROUTED', NULL, 'Routed: ' || i.route_reason, i.created_at FROM item i`),
    );
    await timed(log, 'heat', () =>
      client.query(`UPDATE item i SET comment_count = coalesce(c.n, 0), last_activity_at = greatest(j.created_at, c.last, v.last)
                      FROM item j
                      LEFT JOIN (SELECT item_id, count(*)::int AS n, max(created_at) AS last FROM comment GROUP BY item_id) c ON c.item_id = j.id
                      LEFT JOIN (SELECT item_id, max(created_at) AS last FROM vote GROUP BY item_id) v ON v.item_id = j.id
                     WHERE j.id = i.id`),
    );
    await timed(log, 'component words', async () => {
      await client.query(`ALTER TABLE item ENABLE TRIGGER item_component_words_insert`);
      await client.query(`SELECT component_words_rebuild()`);
    });
    await timed(log, 'search indexes', async () => {
      for (const { definition } of ginIndexes) await client.query(definition);
    });
    await timed(log, 'analyze', () => client.query('VACUUM ANALYZE'));
    await client.query(`INSERT INTO bench_dataset (items) VALUES ($1)`, [n]);
    log(`generated ${n} items in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return true;
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL;
  const n = Number(process.argv[2] ?? 100000);
  if (!url) throw new Error('DATABASE_URL must name a migrated Headwaters database');
  await generate(url, n);
}
