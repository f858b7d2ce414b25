import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug } from './support/items';
import { subscribeItemEvents } from './support/live';
import { catalogueId, COMMENT, follow, inboxOf, UPDATE_SUBSCRIPTION } from './support/notifications';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

/**
 * The security sweep of what tells people of items: no notification or live event ever names an
 * embargoed security report to someone who may not see it.
 */
describe('notifications of embargoed security reports', () => {
  let app: TestApp;
  let reporter: TestActor;
  let outsider: TestActor;
  let otherMaintainer: TestActor;
  let maintainer: TestActor;
  let subtreeMaintainer: TestActor;
  let admin: TestActor;

  beforeAll(async () => {
    app = await startTestApp();
    reporter = await createActor(app);
    outsider = await createActor(app);
    otherMaintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
    maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xapi-project' }] });
    subtreeMaintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', componentSlug: 'xapi' }] });
    admin = await createAdmin(app);
    // Everyone follows everything the report will touch.
    for (const who of [outsider, otherMaintainer, maintainer, subtreeMaintainer, admin]) {
      await follow(app, who, await catalogueId(app, 'component', 'xapi'), 'SUBSCRIBED');
      await follow(app, who, await catalogueId(app, 'upstream', 'xapi-project'), 'SUBSCRIBED');
    }
  });
  afterAll(() => app.close());

  async function securityBug() {
    const bug = await fileBug(app, reporter, { componentSlug: 'xapi/xenopsd' });
    await app.sql(`UPDATE item SET visibility = 'SECURITY' WHERE number = $1`, [bug.number]);
    return bug;
  }

  it('tells only those who may see it, through the inbox and the unread count', async () => {
    const bug = await securityBug();
    // Someone who follows the item itself from before (a voter, say) and then it became embargoed.
    await app.sql(`INSERT INTO subscription (user_id, target_kind, target_id, state) SELECT $1, 'ITEM', id, 'SUBSCRIBED' FROM item WHERE number = $2`, [outsider.userId, bug.number]);
    const before = await inboxOf(app, outsider);
    expect(errorCodes(await app.gql(COMMENT, { input: { itemId: bug.id, body: 'Exploit details ...' } }, { token: reporter.token }))).toEqual([]);
    for (const who of [maintainer, subtreeMaintainer, admin]) {
      expect((await inboxOf(app, who)).entries.filter((e) => e.item.number === bug.number).map((e) => e.event.type)).toContain('COMMENTED');
    }
    for (const who of [outsider, otherMaintainer]) {
      const inbox = await inboxOf(app, who);
      expect(inbox.entries.filter((e) => e.item.number === bug.number && e.event.type === 'COMMENTED')).toEqual([]);
    }
    expect((await inboxOf(app, outsider)).unread).toBe(before.unread);
    const rows = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM notification n JOIN item i ON i.id = n.item_id WHERE i.number = $1 AND n.user_id = ANY($2)`, [bug.number, [outsider.userId, otherMaintainer.userId]]);
    // Only what they were told while it was public (its filing) remains, and the inbox hides even that now.
    expect(rows[0].n).toBeLessThanOrEqual(2);
    expect((await inboxOf(app, outsider)).entries.filter((e) => e.item.number === bug.number)).toEqual([]);
  });

  it('refuses to follow it as if it did not exist', async () => {
    const bug = await securityBug();
    expect(errorCodes(await app.gql(UPDATE_SUBSCRIPTION, { input: { subscribableId: bug.id, state: 'SUBSCRIBED' } }, { token: outsider.token }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await app.gql(UPDATE_SUBSCRIPTION, { input: { subscribableId: bug.id, state: 'SUBSCRIBED' } }, { token: maintainer.token }))).toEqual([]);
  });

  it('sends its live events only to those who may see it', async () => {
    const bug = await securityBug();
    const outsiderAll = await subscribeItemEvents(app, null, outsider.token);
    const anonymousAll = await subscribeItemEvents(app, null);
    const maintainerAll = await subscribeItemEvents(app, null, subtreeMaintainer.token);
    const outsiderOne = await subscribeItemEvents(app, bug.id, outsider.token);
    try {
      expect((outsiderOne.errors as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      await app.gql(COMMENT, { input: { itemId: bug.id, body: 'embargoed' } }, { token: reporter.token });
      const open = await fileBug(app, reporter, { componentSlug: 'xapi' });
      await app.gql(COMMENT, { input: { itemId: open.id, body: 'public' } }, { token: reporter.token });
      // The embargoed comment, then the public item's filing, routing and comment (the last one
      // waited for, so a slow delivery cannot make a list look shorter than it will be).
      const typesOf = (events: { type: string; item: { number: number } }[]) => events.map((e) => [e.item.number, e.type]);
      const publicEvents = [[open.number, 'FILED'], [open.number, 'ROUTED'], [open.number, 'COMMENTED']];
      expect(typesOf(await maintainerAll.until(4))).toEqual([[bug.number, 'COMMENTED'], ...publicEvents]);
      // The public item's events arrive after the embargoed one's would have: none of those came.
      expect(typesOf(await outsiderAll.until(3))).toEqual(publicEvents);
      expect(typesOf(await anonymousAll.until(3))).toEqual(publicEvents);
    } finally {
      await Promise.all([outsiderAll.close(), anonymousAll.close(), maintainerAll.close(), outsiderOne.close()]);
    }
  });
});
