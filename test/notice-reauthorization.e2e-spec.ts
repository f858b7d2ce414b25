import { DigestService } from '@headwaters/notifications';
import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug, type FiledItem } from './support/items';
import { subscribeItemEvents } from './support/live';
import { COMMENT, follow } from './support/notifications';
import { SmtpSink } from './support/smtp-sink';
import { WebhookReceiver } from './support/webhook-receiver';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const SECRET = 'integrator secret value';
const MARK_DUPLICATE = `mutation ($a: ID!, $b: ID!) { markDuplicate(input: { itemId: $a, duplicateOfId: $b }) { item { id } } }`;
const REVOKE = `mutation ($input: GrantRoleInput!) { revokeRole(input: $input) { user { username } } }`;
const DEACTIVATE = `mutation ($u: String!) { deactivateUser(input: { username: $u }) { user { username } } }`;

async function ok(app: TestApp, query: string, variables: Record<string, unknown>, who: TestActor): Promise<void> {
  const response = await app.gql(query, variables, { token: who.token });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
}

async function fileSecurityBug(app: TestApp, who: TestActor): Promise<FiledItem> {
  const response = await app.gql<{ fileBug: { bug: FiledItem } }>(
    `mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { id number } } }`,
    { input: { title: 'Grant table overflow in the hypervisor', description: 'Steps: map many grants.', componentSlug: 'xen', visibility: 'SECURITY' } },
    { token: who.token },
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.fileBug.bug;
}

/**
 * Every notice is checked against the recipient's rights as they are when it leaves, not as they
 * were when the event was written. The events are written by an API-only instance (nothing is
 * sent); the rights change; then a worker starts on the same database and sends what is left.
 */
describe('notices are authorized again when they are sent', () => {
  let api: TestApp;
  let worker: TestApp | null = null;
  let sink: SmtpSink;
  let receiver: WebhookReceiver;
  let admin: TestActor;
  const who = {} as Record<'participant' | 'reporter' | 'demoted' | 'deactivated' | 'follower' | 'lateFollower' | 'digestReader', TestActor>;
  const bugs = {} as Record<'embargoed' | 'secret' | 'open' | 'original' | 'lateOriginal' | 'lateDuplicate' | 'digestKept' | 'digestHidden', FiledItem>;
  let secretDuplicate: FiledItem;

  const verify = (actor: TestActor) => api.sql(`UPDATE app_user SET email_verified_at = now() WHERE id = $1`, [actor.userId]);
  const mailStates = (actor: TestActor, item?: FiledItem) =>
    api.sql<{ state: string; skip_reason: string | null; type: string }>(
      `SELECT d.state, d.skip_reason, d.headers->>'X-Headwaters-Event' AS type FROM delivery d
        WHERE d.destination = $1 AND d.event = 'notification.mail' AND ($2::text IS NULL OR d.headers->>'X-Headwaters-Item' = $2) ORDER BY d.id`,
      [`${actor.username}@example.org`, item ? String(item.number) : null],
    );
  const postsAbout = (item: FiledItem) => receiver.hooks.filter((h) => (JSON.parse(h.body) as { item: { number: number } }).item.number === item.number).map((h) => h.headers['x-headwaters-event']);

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    receiver = await new WebhookReceiver(SECRET).start();
    const config = { SMTP_URL: sink.url, JOBS_POLL_SECONDS: 0.5, WEBHOOK_ALLOW_PRIVATE: true, DIGEST_CHECK_SECONDS: 0 };
    api = await startTestApp({ config });
    admin = await createAdmin(api);
    for (const name of ['participant', 'reporter', 'deactivated', 'follower', 'lateFollower', 'digestReader'] as const) who[name] = await createActor(api);
    who.demoted = await createActor(api, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xen-project' }] });
    for (const actor of Object.values(who)) await verify(actor);
    await ok(api, `mutation { updateMailPreference(input: { mail: DAILY_DIGEST }) { viewer { mailPreference } } }`, {}, who.digestReader);
    await ok(api, `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }`, { input: { url: receiver.url, secret: SECRET } }, admin);

    // 1. An item embargoed after the event: its participant's mail and the integrator's POST stay; its reporter's goes.
    bugs.embargoed = await fileBug(api, who.reporter, { componentSlug: 'xen', title: 'Public at first' });
    await ok(api, COMMENT, { input: { itemId: bugs.embargoed.id, body: 'I see it too' } }, who.participant);
    await ok(api, COMMENT, { input: { itemId: bugs.embargoed.id, body: 'Looking into it' } }, admin);
    // 2. A maintainer told of an embargoed report, who loses the role before the mail leaves.
    bugs.secret = await fileSecurityBug(api, who.reporter);
    await follow(api, who.demoted, bugs.secret.id, 'SUBSCRIBED');
    await ok(api, COMMENT, { input: { itemId: bugs.secret.id, body: 'PoC attached' } }, admin);
    // 3. A participant deactivated before the mail leaves; the public item's POSTs still go.
    bugs.open = await fileBug(api, who.reporter, { componentSlug: 'xen', title: 'Stays public' });
    await ok(api, COMMENT, { input: { itemId: bugs.open.id, body: 'Me too' } }, who.deactivated);
    await ok(api, COMMENT, { input: { itemId: bugs.open.id, body: 'Fixed upstream' } }, admin);
    // 4. A public item's event that names an embargoed report (a duplicate link): never queued.
    bugs.original = await fileBug(api, who.reporter, { componentSlug: 'xen', title: 'Original, public' });
    await follow(api, who.follower, bugs.original.id, 'SUBSCRIBED');
    secretDuplicate = await fileSecurityBug(api, who.reporter);
    await ok(api, MARK_DUPLICATE, { a: secretDuplicate.id, b: bugs.original.id }, admin);
    // 5. ...and one that named a public item, embargoed before the mail and the POST leave.
    bugs.lateOriginal = await fileBug(api, who.reporter, { componentSlug: 'xen', title: 'Another original' });
    bugs.lateDuplicate = await fileBug(api, who.reporter, { componentSlug: 'xen', title: 'Its duplicate, public then' });
    await follow(api, who.lateFollower, bugs.lateOriginal.id, 'SUBSCRIBED');
    await ok(api, MARK_DUPLICATE, { a: bugs.lateDuplicate.id, b: bugs.lateOriginal.id }, admin);
    // 6. A digest reader's two items, one embargoed before the digest is made.
    bugs.digestKept = await fileBug(api, who.digestReader, { componentSlug: 'xen', title: 'Digest keeps this' });
    bugs.digestHidden = await fileBug(api, who.digestReader, { componentSlug: 'xen', title: 'Digest drops this' });
    await ok(api, COMMENT, { input: { itemId: bugs.digestKept.id, body: 'news one' } }, admin);
    await ok(api, COMMENT, { input: { itemId: bugs.digestHidden.id, body: 'news two' } }, admin);
    // The digest reader is no participant of the embargoed item any more: someone else reported it.
    await api.sql(`UPDATE item SET reporter_id = $2 WHERE number = $1`, [bugs.digestHidden.number, who.reporter.userId]);

    // Nothing has left yet. Now the rights change.
    expect(sink.mails).toEqual([]);
    expect(receiver.hooks).toEqual([]);
    await api.sql(`UPDATE item SET visibility = 'SECURITY' WHERE number = ANY($1)`, [[bugs.embargoed.number, bugs.lateDuplicate.number, bugs.digestHidden.number]]);
    await ok(api, REVOKE, { input: { username: who.demoted.username, role: 'MAINTAINER', upstreamSlug: 'xen-project' } }, admin);
    await ok(api, DEACTIVATE, { u: who.deactivated.username }, admin);

    worker = await startTestApp({ database: api.db, withWorker: true, config });
    await worker.app.get(DigestService).sendDue({ now: new Date(Date.now() + 2 * 3_600_000), hourUtc: new Date(Date.now() + 3_600_000).getUTCHours() });
    const end = Date.now() + 20_000;
    while ((await api.sql<{ n: number }>(`SELECT count(*)::int AS n FROM delivery WHERE state = 'PENDING'`))[0].n > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
    await sink.stop();
    await receiver.stop();
  });

  it('drops the mail of an item embargoed since (ITEM_HIDDEN), and still sends its reporter theirs', async () => {
    expect((await mailStates(who.participant)).filter((m) => m.type === 'COMMENTED')).toEqual([{ state: 'FAILED', skip_reason: 'ITEM_HIDDEN', type: 'COMMENTED' }]);
    expect(sink.mails.filter((m) => m.envelope.to.includes(`${who.participant.username}@example.org`))).toEqual([]);
    const reporterMails = sink.mails.filter((m) => m.envelope.to.includes(`${who.reporter.username}@example.org`) && m.parsed.subject === `[#${bugs.embargoed.number}] Public at first`);
    expect(reporterMails.length).toBeGreaterThanOrEqual(2);
    const [skip] = await api.sql(`SELECT channel, reason, user_id FROM notice_skip WHERE user_id = $1`, [who.participant.userId]);
    expect(skip).toEqual({ channel: 'MAIL', reason: 'ITEM_HIDDEN', user_id: who.participant.userId });
  });

  it('drops the mail of a maintainer who lost the role (ITEM_HIDDEN)', async () => {
    expect(await mailStates(who.demoted, bugs.secret)).toEqual([
      { state: 'FAILED', skip_reason: 'ITEM_HIDDEN', type: 'FILED' },
      { state: 'FAILED', skip_reason: 'ITEM_HIDDEN', type: 'COMMENTED' },
    ]);
    // Told of the public items' filings as their maintainer then; those still public still went.
    expect((await mailStates(who.demoted, bugs.open)).map((m) => m.state)).toEqual(['DELIVERED']);
    expect(sink.mails.filter((m) => m.envelope.to.includes(`${who.demoted.username}@example.org`) && m.parsed.subject?.startsWith(`[#${bugs.secret.number}]`))).toEqual([]);
  });

  it('drops the mail of a deactivated account (ACCOUNT_DEACTIVATED), which cannot sign in either', async () => {
    expect(await mailStates(who.deactivated)).toEqual([{ state: 'FAILED', skip_reason: 'ACCOUNT_DEACTIVATED', type: 'COMMENTED' }]);
    expect(sink.mails.filter((m) => m.envelope.to.includes(`${who.deactivated.username}@example.org`))).toEqual([]);
    expect(errorCodes(await api.gql(`{ viewer { user { username } } }`, {}, { token: who.deactivated.token }))).toEqual(['UNAUTHENTICATED']);
    // Nor can it come back through a password reset: answered as for an unknown address, nothing made.
    const reset = await api.gql(`mutation ($e: String!) { requestPasswordReset(input: { email: $e }) { sent } }`, { e: `${who.deactivated.username}@example.org` });
    expect(reset.body.data).toEqual({ requestPasswordReset: { sent: true } });
    expect(await api.sql(`SELECT id FROM account_token WHERE user_id = $1`, [who.deactivated.userId])).toEqual([]);
    // Deactivating twice, or oneself, is refused.
    expect(errorCodes(await api.gql(DEACTIVATE, { u: who.deactivated.username }, { token: admin.token }))).toEqual(['CONFLICT']);
    expect(errorCodes(await api.gql(DEACTIVATE, { u: admin.username }, { token: admin.token }))).toEqual(['CONFLICT']);
    expect(errorCodes(await api.gql(DEACTIVATE, { u: 'nobody-by-this-name' }, { token: admin.token }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await api.gql(DEACTIVATE, { u: '' }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
  });

  it('drops the POSTs of an item embargoed since, and sends those of public items', async () => {
    expect(postsAbout(bugs.embargoed)).toEqual([]);
    expect(postsAbout(bugs.open).sort()).toEqual(['item.commented', 'item.commented', 'item.filed', 'item.routed']);
    expect(receiver.hooks.every((h) => h.signatureValid)).toBe(true);
    const reasons = await api.sql<{ reason: string; n: number }>(
      `SELECT reason, count(*)::int AS n FROM notice_skip WHERE channel = 'WEBHOOK' AND item_id = (SELECT id FROM item WHERE number = $1) GROUP BY reason`,
      [bugs.embargoed.number],
    );
    expect(reasons).toEqual([{ reason: 'ITEM_HIDDEN', n: 4 }]);
  });

  it('never queues a mail or a POST of an event naming an embargoed report', async () => {
    expect((await mailStates(who.follower)).map((m) => m.type)).not.toContain('MARKED_DUPLICATE');
    expect(postsAbout(bugs.original)).not.toContain('item.marked_duplicate');
    expect(postsAbout(bugs.original).sort()).toEqual(['item.filed', 'item.routed']);
    const outsiders = sink.mails.filter((m) => !m.envelope.to.includes(`${who.reporter.username}@example.org`));
    expect(JSON.stringify(outsiders.map((m) => m.raw)) + JSON.stringify(receiver.hooks.map((h) => h.body))).not.toMatch(new RegExp(`#${secretDuplicate.number}(?!\\d)`));
  });

  it('drops a queued mail and POST whose event names an item embargoed since (NAMES_HIDDEN_ITEM)', async () => {
    expect((await mailStates(who.lateFollower)).filter((m) => m.type === 'MARKED_DUPLICATE')).toEqual([{ state: 'FAILED', skip_reason: 'NAMES_HIDDEN_ITEM', type: 'MARKED_DUPLICATE' }]);
    expect(postsAbout(bugs.lateOriginal)).not.toContain('item.marked_duplicate');
    const [skip] = await api.sql(`SELECT reason FROM notice_skip WHERE channel = 'WEBHOOK' AND item_id = (SELECT id FROM item WHERE number = $1)`, [bugs.lateOriginal.number]);
    expect(skip).toEqual({ reason: 'NAMES_HIDDEN_ITEM' });
  });

  it('leaves out of a digest the entries of an item the reader may no longer see, and says why', async () => {
    const digests = sink.mails.filter((m) => m.envelope.to.includes(`${who.digestReader.username}@example.org`));
    expect(digests).toHaveLength(1);
    expect(digests[0].parsed.subject).toMatch(/: 1 update on 1 item$/);
    expect(digests[0].parsed.text).toContain(`#${bugs.digestKept.number}: Digest keeps this`);
    expect(digests[0].parsed.text).not.toContain('Digest drops this');
    const skips = await api.sql(`SELECT channel, reason FROM notice_skip WHERE user_id = $1`, [who.digestReader.userId]);
    expect(skips).toEqual([{ channel: 'DIGEST', reason: 'ITEM_HIDDEN' }]);
  });
});

describe('live events are authorized against the listener as they are now', () => {
  let app: TestApp;
  let admin: TestActor;
  beforeAll(async () => {
    app = await startTestApp();
    admin = await createAdmin(app);
  });
  afterAll(() => app.close());

  it('stops telling a maintainer who lost the role, and a deactivated account, and says why', async () => {
    const reporter = await createActor(app);
    const maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xen-project' }] });
    const closing = await createActor(app);
    const secret = await fileSecurityBug(app, reporter);
    const open = await fileBug(app, reporter, { componentSlug: 'xen' });
    const asMaintainer = await subscribeItemEvents(app, secret.id, maintainer.token);
    const asReporter = await subscribeItemEvents(app, secret.id, reporter.token);
    const asClosing = await subscribeItemEvents(app, open.id, closing.token);
    const anonymous = await subscribeItemEvents(app, open.id);
    try {
      await ok(app, COMMENT, { input: { itemId: secret.id, body: 'first' } }, admin);
      await asMaintainer.until(1);
      await ok(app, REVOKE, { input: { username: maintainer.username, role: 'MAINTAINER', upstreamSlug: 'xen-project' } }, admin);
      await ok(app, DEACTIVATE, { u: closing.username }, admin);
      await ok(app, COMMENT, { input: { itemId: secret.id, body: 'second' } }, admin);
      await ok(app, COMMENT, { input: { itemId: open.id, body: 'public news' } }, admin);
      await asReporter.until(2);
      await anonymous.until(1);
      await new Promise((r) => setTimeout(r, 500));
      expect(asMaintainer.events.map((e) => e.summary)).toHaveLength(1);
      expect(asClosing.events).toEqual([]);
      const skips = await app.sql<{ reason: string; user_id: number }>(`SELECT reason, user_id FROM notice_skip WHERE channel = 'LIVE' ORDER BY id`);
      expect(skips).toEqual([{ reason: 'ITEM_HIDDEN', user_id: maintainer.userId }, { reason: 'ACCOUNT_DEACTIVATED', user_id: closing.userId }]);
    } finally {
      for (const live of [asMaintainer, asReporter, asClosing, anonymous]) await live.close();
    }
  });
});
