import { createActor, type TestActor } from './support/actors';
import { fileBug } from './support/items';
import { subscribeItemEvents } from './support/live';
import { COMMENT, TRIAGE } from './support/notifications';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

describe('live events over WebSocket', () => {
  let app: TestApp;
  let second: TestApp;
  let reporter: TestActor;
  let watcher: TestActor;
  let admin: TestActor;

  beforeAll(async () => {
    app = await startTestApp();
    second = await startTestApp({ database: app.db });
    reporter = await createActor(app);
    watcher = await createActor(app);
    admin = await createActor(app, { grants: [{ role: 'ADMIN' }] });
  });
  afterAll(async () => {
    await second.close();
    await app.close();
  });

  it("delivers an item's events as they are committed, to a signed-in client", async () => {
    const bug = await fileBug(app, reporter);
    const live = await subscribeItemEvents(app, bug.id, watcher.token);
    try {
      expect(errorCodes(await app.gql(COMMENT, { input: { itemId: bug.id, body: 'Still there in 6.2' } }, { token: reporter.token }))).toEqual([]);
      expect(errorCodes(await app.gql(TRIAGE, { input: { itemId: bug.id, status: 'CONFIRMED' } }, { token: admin.token }))).toEqual([]);
      const events = await live.until(2);
      expect(events.map((e) => [e.type, e.actor?.username, e.item.number])).toEqual([
        ['COMMENTED', reporter.username, bug.number],
        ['STATUS_CHANGED', admin.username, bug.number],
      ]);
      // Another item's events do not reach this subscription.
      const other = await fileBug(app, reporter);
      await app.gql(COMMENT, { input: { itemId: other.id, body: 'elsewhere' } }, { token: reporter.token });
      await app.gql(COMMENT, { input: { itemId: bug.id, body: 'here' } }, { token: reporter.token });
      expect((await live.until(3)).map((e) => e.item.number)).toEqual([bug.number, bug.number, bug.number]);
    } finally {
      await live.close();
    }
  });

  it('shares events between two instances on one database: clients of both receive them', async () => {
    const bug = await fileBug(app, reporter);
    const onFirst = await subscribeItemEvents(app, bug.id, watcher.token);
    const onSecond = await subscribeItemEvents(second, bug.id);
    const everything = await subscribeItemEvents(second, null, watcher.token);
    try {
      // The change is made through the first instance; the second hears of it through PostgreSQL.
      expect(errorCodes(await app.gql(COMMENT, { input: { itemId: bug.id, body: 'Seen from both' } }, { token: reporter.token }))).toEqual([]);
      for (const live of [onFirst, onSecond, everything]) {
        expect((await live.until(1)).map((e) => [e.type, e.summary, e.item.number])).toEqual([['COMMENTED', `${reporter.username} commented`, bug.number]]);
      }
      // And the other way round.
      expect(errorCodes(await second.gql(COMMENT, { input: { itemId: bug.id, body: 'And back' } }, { token: watcher.token }))).toEqual([]);
      expect((await onFirst.until(2))[1].actor?.username).toBe(watcher.username);
      expect((await onSecond.until(2))[1].actor?.username).toBe(watcher.username);
    } finally {
      await Promise.all([onFirst.close(), onSecond.close(), everything.close()]);
    }
  });

  it('announces nothing of a change that failed', async () => {
    const bug = await fileBug(app, reporter);
    const live = await subscribeItemEvents(app, bug.id, watcher.token);
    try {
      // A comment refused by its rules fails the mutation: no event, nothing live.
      const refused = await app.gql(COMMENT, { input: { itemId: bug.id, body: 'x'.repeat(50_050) } }, { token: reporter.token });
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      await app.gql(COMMENT, { input: { itemId: bug.id, body: 'this one counts' } }, { token: reporter.token });
      const events = await live.until(1);
      await new Promise((r) => setTimeout(r, 200));
      expect(events.map((e) => e.type)).toEqual(['COMMENTED']);
      expect(live.events).toHaveLength(1);
    } finally {
      await live.close();
    }
  });

  it('answers a bad token at connection_init UNAUTHENTICATED, and an unknown item NOT_FOUND', async () => {
    const codesOf = (live: { errors: unknown[] }) => (live.errors as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code);
    const bad = await subscribeItemEvents(app, null, 'hwt_not-a-real-token');
    try {
      expect(codesOf(bad)).toEqual(['UNAUTHENTICATED']);
    } finally {
      await bad.close();
    }
    const missing = Buffer.from('Bug:999999').toString('base64url');
    const live = await subscribeItemEvents(app, missing, watcher.token);
    try {
      expect(codesOf(live)).toEqual(['NOT_FOUND']);
    } finally {
      await live.close();
    }
  });
});
