import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug } from './support/items';
import { COMMENT } from './support/notifications';
import { WebhookReceiver } from './support/webhook-receiver';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const SECRET = 'the bot channel secret';
const DELIVERIES = `query ($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on Webhook { url deliveries(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id channel destination state attempts lastError messageId deliveredAt } } } } }`;
const REDELIVER = `mutation ($id: ID!) { redeliver(input: { deliveryId: $id }) { delivery { id state attempts messageId } } }`;

interface DeliveryNode { id: string; channel: string; destination: string; state: string; attempts: number; lastError: string | null; messageId: string; deliveredAt: string | null }
interface Page { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: DeliveryNode[] }

describe("integrators' webhooks: their deliveries, and redelivering them", () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let maintainer: TestActor;
  let otherMaintainer: TestActor;
  let admin: TestActor;
  let webhookId: string;

  beforeAll(async () => {
    receiver = await new WebhookReceiver(SECRET).start();
    app = await startTestApp({ withWorker: true, config: { JOBS_POLL_SECONDS: 0.5, WEBHOOK_ALLOW_PRIVATE: true, DELIVERY_RETRY_BASE_SECONDS: 0.1, DELIVERY_MAX_ATTEMPTS: 2 } });
    admin = await createAdmin(app);
    maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xen-project' }] });
    otherMaintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
    const made = await app.gql<{ createWebhook: { webhook: { id: string } } }>(
      `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }`,
      { input: { url: receiver.url, secret: SECRET, upstreamSlug: 'xen-project' } },
      { token: maintainer.token },
    );
    expect(made.body.errors).toBeUndefined();
    webhookId = made.body.data!.createWebhook.webhook.id;
  });
  afterAll(async () => {
    await app.close();
    await receiver.stop();
  });

  const deliveries = async (who: TestActor | null, args: { first?: number; after?: string } = {}) => {
    const response = await app.gql<{ node: { url: string; deliveries: Page } | null }>(DELIVERIES, { id: webhookId, ...args }, who ? { token: who.token } : {});
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.node?.deliveries ?? null;
  };
  const settled = async (): Promise<Page> => {
    const end = Date.now() + 20_000;
    for (;;) {
      const page = (await deliveries(maintainer, { first: 100 }))!;
      if (page.nodes.every((d) => d.state !== 'PENDING') || Date.now() > end) return page;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('lists each POST newest first, with its attempts and last error, to those who manage the webhook only', async () => {
    receiver.answer = () => ({ status: 503, body: 'down for maintenance' });
    const reporter = await createActor(app);
    const bug = await fileBug(app, reporter, { componentSlug: 'xen' });
    await app.gql(COMMENT, { input: { itemId: bug.id, body: 'Seen on 8.2 too' } }, { token: reporter.token });
    await receiver.waitFor(6);
    const page = await settled();
    expect(page.totalCount).toBe(3);
    expect(page.nodes.map((d) => d.state)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    expect(page.nodes.every((d) => d.attempts === 2 && d.channel === 'WEBHOOK' && d.destination === receiver.url && /503/.test(d.lastError ?? ''))).toBe(true);
    // Newest first: the comment's POST, then the filing's two (the delivery ids the receiver saw).
    const [newest] = page.nodes;
    const seen = receiver.of(newest.messageId);
    expect(seen).toHaveLength(2);
    expect(seen.every((h) => h.signatureValid && h.headers['x-headwaters-event'] === 'item.commented')).toBe(true);
    const ids = page.nodes.map((d) => Number(Buffer.from(d.id, 'base64url').toString().split(':')[1]));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);

    // Paged by keyset cursor.
    const first = (await deliveries(maintainer, { first: 2 }))!;
    expect(first.nodes.map((d) => d.id)).toEqual(page.nodes.slice(0, 2).map((d) => d.id));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await deliveries(maintainer, { first: 2, after: first.pageInfo.endCursor! }))!;
    expect(second.nodes.map((d) => d.id)).toEqual([page.nodes[2].id]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(errorCodes(await app.gql(DELIVERIES, { id: webhookId, after: 'not-a-cursor' }, { token: maintainer.token }))).toEqual(['BAD_USER_INPUT']);

    // For anyone who does not manage it, the webhook does not exist.
    expect(await deliveries(otherMaintainer)).toBeNull();
    expect(await deliveries(reporter)).toBeNull();
    expect(await deliveries(null)).toBeNull();
    expect((await deliveries(admin))!.totalCount).toBe(3);
  });

  it('redelivers a FAILED POST with the same delivery id, signed with the current secret, for those who manage the webhook', async () => {
    const [failed] = (await settled()).nodes;
    expect(failed.state).toBe('FAILED');
    const before = receiver.of(failed.messageId);
    expect(errorCodes(await app.gql(REDELIVER, { id: failed.id }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.gql(REDELIVER, { id: failed.id }, { token: otherMaintainer.token }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await app.gql(REDELIVER, { id: 'bm9wZQ' }, { token: maintainer.token }))).toEqual(['BAD_USER_INPUT']);
    expect((await app.sql<{ state: string }>(`SELECT state FROM delivery WHERE message_id = $1`, [failed.messageId]))[0].state).toBe('FAILED');

    receiver.answer = () => ({ status: 200 });
    const again = await app.gql<{ redeliver: { delivery: { id: string; state: string; messageId: string } } }>(REDELIVER, { id: failed.id }, { token: maintainer.token });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.redeliver.delivery).toMatchObject({ id: failed.id, state: 'PENDING', messageId: failed.messageId });
    const end = Date.now() + 15_000;
    while (receiver.of(failed.messageId).length === before.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const last = receiver.of(failed.messageId).at(-1)!;
    expect(last.signatureValid).toBe(true);
    expect(last.body).toBe(before[0].body);
    expect(JSON.parse(last.body)).toMatchObject({ event: 'item.commented', delivery: failed.messageId });
    const page = await settled();
    expect(page.nodes.find((d) => d.id === failed.id)).toMatchObject({ state: 'DELIVERED', attempts: 3, lastError: null });
    expect(page.nodes.find((d) => d.id === failed.id)!.deliveredAt).not.toBeNull();
    // Admins may redeliver any webhook's POSTs.
    const other = page.nodes.find((d) => d.state === 'FAILED')!;
    expect(errorCodes(await app.gql(REDELIVER, { id: other.id }, { token: admin.token }))).toEqual([]);
  });

  it("drops a redelivery whose item was embargoed since, and says why", async () => {
    const reporter = await createActor(app);
    receiver.answer = () => ({ status: 503 });
    const bug = await fileBug(app, reporter, { componentSlug: 'xen' });
    await app.gql(COMMENT, { input: { itemId: bug.id, body: 'a public comment' } }, { token: reporter.token });
    const end = Date.now() + 20_000;
    let page = await settled();
    while (page.totalCount < 6 && Date.now() < end) page = await settled();
    const [newest] = page.nodes;
    expect(newest.state).toBe('FAILED');
    await app.sql(`UPDATE item SET visibility = 'SECURITY' WHERE number = $1`, [bug.number]);
    receiver.answer = () => ({ status: 200 });
    const count = receiver.of(newest.messageId).length;
    expect(errorCodes(await app.gql(REDELIVER, { id: newest.id }, { token: maintainer.token }))).toEqual([]);
    const waited = Date.now() + 15_000;
    let after = (await settled()).nodes.find((d) => d.id === newest.id)!;
    while (after.state === 'PENDING' && Date.now() < waited) after = (await settled()).nodes.find((d) => d.id === newest.id)!;
    expect(after).toMatchObject({ state: 'FAILED', lastError: 'not sent: ITEM_HIDDEN' });
    expect(receiver.of(newest.messageId)).toHaveLength(count);
    const [skip] = await app.sql<{ channel: string; reason: string }>(`SELECT channel, reason FROM notice_skip WHERE delivery_id = (SELECT id FROM delivery WHERE message_id = $1)`, [newest.messageId]);
    expect(skip).toEqual({ channel: 'WEBHOOK', reason: 'ITEM_HIDDEN' });
  });
});
