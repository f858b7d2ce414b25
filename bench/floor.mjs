// The floor: a bare Fastify server running the same SQL as the GraphQL API for each scenario,
// through pg, with the same domain code (compiled in dist/) and the same JSON out, but without
// GraphQL, Nest or validation. The API's throughput is reported as a share of this one's.
import Fastify from 'fastify';
import pg from 'pg';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const items = require('../dist/libs/items/src/index.js');
const identity = require('../dist/libs/identity/src/index.js');
const catalogue = require('../dist/libs/catalogue/src/index.js');
const voting = require('../dist/libs/voting/src/index.js');
const { toGlobalId } = require('../dist/libs/graphql-kit/src/global-id.js');
const { encodeCursor } = require('../dist/libs/graphql-kit/src/cursor.js');
const { loadConfig } = require('../dist/libs/config/src/index.js');
const { PreparedReads, watchPool } = require('../dist/libs/database/src/index.js');
const { registerEventSink } = require('../dist/libs/core/src/index.js');
const notifications = require('../dist/libs/notifications/src/index.js');
const { WebhookNotifier } = require('../dist/libs/notifications/src/webhooks/webhook-notifier.js');

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
// As the API's pool: the write paths' marked statements go prepared (and a request's statements answer to no scope here).
watchPool(pool);
/** The DataSource surface the domain services use: query and transaction. */
const db = {
  query: async (sql, params) => (await pool.query(sql, params)).rows,
  transaction: async (work) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({ query: async (sql, params) => (await client.query(sql, params)).rows });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  },
};
/** The API's own settings from the same environment (search ranking, login limits). */
const config = loadConfig(process.env);
const reader = new catalogue.CatalogueReader(db);
// Relevance searches run as the API runs them: prepared, with generic plans, on a pool of their own.
const queries = new items.ItemQueryService(db, reader, config, new PreparedReads(process.env.DATABASE_URL, config.DB_PREPARED_POOL_SIZE, db));
const accounts = new identity.AccountService(db, config);
const authenticator = new identity.TokenAuthenticator(db);
const filing = new items.FilingService(db, reader);
const votes = new voting.VotingService(db, new items.ItemWriter());
// Every recorded event goes through the API's sink, in its transaction: so it does here
// (the audience is told and webhooks looked up, in one statement; live listeners hear of it from the timeline's own
// trigger, in the database both share). The dataset has no
// webhooks and no audience large enough for a fan-out job, so neither the outbox nor the job queue is needed.
const fanOut = new notifications.FanOutService(db, config);
const noOutbox = { onSigningKey: () => undefined, queueMany: async () => { throw new Error('the floor queues no deliveries: the dataset has no webhooks'); } };
const webhooks = new WebhookNotifier(noOutbox, config);
fanOut.useScheduler(async () => { throw new Error('the floor runs no fan-out jobs: the dataset has no audience that large'); });
const notices = new notifications.EventNotices(fanOut, webhooks, config);
registerEventSink('notifications', (tx, events, looked) => notices.onEvents(tx, events, looked), notifications.WEBHOOK_LOOKUP);

// The benchmark's readers are anonymous: they see what the public sees, as in the API.
const PUBLIC = items.ItemVisibility.PUBLIC;
const typeName = (r) => (r.kind === 'BUG' ? 'Bug' : 'FeatureSuggestion');
const users = async (ids) => new Map((await accounts.usersByIds([...new Set(ids)])).filter(Boolean).map((u) => [u.id, { username: u.username }]));

async function page(list) {
  const snapshot = await reader.snapshot();
  const people = await users(list.slice.rows.map((r) => r.record.reporterId));
  const nodes = list.slice.rows.map(({ record: r }) => ({
    id: toGlobalId(typeName(r), r.id), number: r.number, title: r.title, status: r.status, importance: r.importance, voteCount: r.voteCount,
    createdAt: r.createdAt.toISOString(), component: r.componentId === null ? null : { slug: snapshot.components.get(r.componentId).slug }, reporter: people.get(r.reporterId),
  }));
  const last = list.slice.rows.at(-1);
  return { nodes, pageInfo: { endCursor: last ? encodeCursor(items.orderingName(list.order), last.key) : null, hasNextPage: list.slice.hasMore } };
}
const firstPage = () => ({ limit: 25, direction: 'forward', after: null });
const actor = async (request) => authenticator.authenticate(String(request.headers.authorization ?? '').replace(/^Bearer /, ''));

const app = Fastify({ logger: false });
app.post('/item', async (request) => {
  const r = await queries.byNumber(request.body.n, PUBLIC);
  if (!r) return { data: { item: null } };
  const snapshot = await reader.snapshot();
  const [people, comments] = await Promise.all([users([r.reporterId]), queries.comments(r.id, { limit: 5, direction: 'forward', after: null })]);
  const authors = await users(comments.slice.rows.map((c) => c.authorId));
  const component = r.componentId === null ? null : snapshot.components.get(r.componentId);
  const owner = component ? snapshot.ownership(component.id).owner : null;
  const upstream = snapshot.upstreams.get(r.route.upstreamId);
  return { data: { item: {
    id: toGlobalId(typeName(r), r.id), number: r.number, title: r.title, description: r.description, status: r.status, importance: r.importance,
    voteCount: r.voteCount, viewerHasVoted: false, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
    component: component ? { slug: component.slug, name: component.name, owner: { slug: owner.slug, name: owner.name } } : null,
    route: { upstream: { slug: upstream.slug, name: upstream.name }, reason: r.route.reason, manual: r.route.manual },
    forward: r.forward ? { state: r.forward.state, reference: r.forward.reference } : null,
    reporter: people.get(r.reporterId),
    comments: { totalCount: await comments.count(), nodes: comments.slice.rows.map((c) => ({ body: c.body, createdAt: c.createdAt.toISOString(), author: authors.get(c.authorId) })) },
  } } };
});
app.post('/subtree', async (request) => ({ data: { items: await page(await queries.list({ components: request.body.c, closed: false }, { field: 'IMPORTANCE', direction: 'DESC' }, firstPage, PUBLIC)) } }));
app.post('/votes', async () => ({ data: { items: await page(await queries.list({ closed: false }, { field: 'VOTES', direction: 'DESC' }, firstPage, PUBLIC)) } }));
app.post('/search', async (request) => ({ data: { search: await page(await queries.search(request.body.q, firstPage, PUBLIC)) } }));
app.post('/file', async (request) => {
  const r = await filing.file(await actor(request), { kind: 'BUG', ...request.body });
  const upstream = (await reader.snapshot()).upstreams.get(r.route.upstreamId);
  return { data: { fileBug: { bug: { id: toGlobalId('Bug', r.id), number: r.number, route: { upstream: { slug: upstream.slug }, reason: r.route.reason } } } } };
});
for (const verb of ['vote', 'unvote']) {
  app.post(`/${verb}`, async (request) => {
    // The vote returns the item as it is after it (the API's admission check: everything is public here).
    const r = await votes[verb](await actor(request), request.body.id, (item) => void items.ItemVisibility.PUBLIC.allows(item));
    return { data: { [verb]: { item: { id: toGlobalId(typeName(r), r.id), voteCount: r.voteCount } } } };
  });
}

await app.listen({ port: Number(process.env.PORT ?? 3991), host: '127.0.0.1' });
const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
