import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug } from './support/items';
import { catalogueId, COMMENT, createWebhook, follow, inboxOf } from './support/notifications';
import { SmtpSink, type ReceivedMail } from './support/smtp-sink';
import { WebhookReceiver } from './support/webhook-receiver';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const PUBLIC_URL = 'http://headwaters.test';
const REQUEST_VERIFY = `mutation ($input: RequestEmailVerificationInput!) { requestEmailVerification(input: $input) { sent } }`;
const VERIFY = `mutation ($input: VerifyEmailInput!) { verifyEmail(input: $input) { viewer { email emailVerified } } }`;
const REQUEST_RESET = `mutation ($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { sent } }`;
const RESET = `mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) { user { username } token } }`;
const PREFERENCE = `mutation ($input: UpdateMailPreferenceInput!) { updateMailPreference(input: $input) { viewer { mailPreference } } }`;

const tokenIn = (mail: ReceivedMail, path: string) => decodeURIComponent(new RegExp(`${PUBLIC_URL}/${path}\\?token=(\\S+)`).exec(mail.parsed.text ?? '')![1]);

describe('mail: addresses, password resets, notifications, webhooks', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let receiver: WebhookReceiver;
  let admin: TestActor;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    receiver = await new WebhookReceiver('the integrator secret').start();
    app = await startTestApp({ withWorker: true, config: { SMTP_URL: sink.url, PUBLIC_URL, JOBS_POLL_SECONDS: 0.5, WEBHOOK_ALLOW_PRIVATE: true, DELIVERY_RETRY_BASE_SECONDS: 0.2 } });
    admin = await createAdmin(app);
  });
  afterAll(async () => {
    await app.close();
    await sink.stop();
    await receiver.stop();
  });

  const mailsTo = (address: string) => sink.mails.filter((m) => m.envelope.to.includes(address));
  async function verified(who: TestActor): Promise<void> {
    const before = mailsTo(`${who.username}@example.org`).length;
    expect((await app.gql(REQUEST_VERIFY, { input: {} }, { token: who.token })).body.data).toEqual({ requestEmailVerification: { sent: true } });
    const end = Date.now() + 15_000;
    while (mailsTo(`${who.username}@example.org`).length === before && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const mail = mailsTo(`${who.username}@example.org`).at(-1)!;
    const done = await app.gql(VERIFY, { input: { token: tokenIn(mail, 'verify-email') } });
    expect(done.body.data).toEqual({ verifyEmail: { viewer: { email: `${who.username}@example.org`, emailVerified: true } } });
  }

  it('proves an address with a single-use link sent over SMTP', async () => {
    const user = await createActor(app);
    const viewer = await app.gql<{ viewer: { emailVerified: boolean; mailPreference: string } }>(`{ viewer { emailVerified mailPreference } }`, {}, { token: user.token });
    expect(viewer.body.data!.viewer).toEqual({ emailVerified: false, mailPreference: 'EACH_EVENT' });
    expect(errorCodes(await app.gql(REQUEST_VERIFY, { input: {} }))).toEqual(['UNAUTHENTICATED']);
    await verified(user);
    const mail = mailsTo(`${user.username}@example.org`).at(-1)!;
    expect(mail.parsed.subject).toBe('Confirm your address for Headwaters');
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    // Stored only as its hash; and used once.
    const token = tokenIn(mail, 'verify-email');
    expect(await app.sql(`SELECT 1 FROM account_token WHERE token_hash::text LIKE '%' || $1 || '%'`, [token])).toEqual([]);
    expect(errorCodes(await app.gql(VERIFY, { input: { token } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await app.gql(VERIFY, { input: { token: 'hwt_nonsense' } }))).toEqual(['BAD_USER_INPUT']);
    expect((await app.gql(REQUEST_VERIFY, { input: {} }, { token: user.token })).body.data).toEqual({ requestEmailVerification: { sent: false } });
  });

  it('resets a password by mail: always sent: true, single-use, revokes every session, signs in afresh', async () => {
    const user = await createActor(app);
    const before = sink.mails.length;
    expect((await app.gql(REQUEST_RESET, { input: { email: 'nobody-at-all@example.org' } })).body.data).toEqual({ requestPasswordReset: { sent: true } });
    expect((await app.gql(REQUEST_RESET, { input: { email: `${user.username}@example.org` } })).body.data).toEqual({ requestPasswordReset: { sent: true } });
    await sink.waitFor(before + 1);
    const mail = mailsTo(`${user.username}@example.org`).at(-1)!;
    expect(mail.parsed.subject).toBe('Reset your Headwaters password');
    const token = tokenIn(mail, 'reset-password');
    expect(errorCodes(await app.gql(RESET, { input: { token, password: 'short' } }))).toEqual(['BAD_USER_INPUT']);
    const reset = await app.gql<{ resetPassword: { user: { username: string }; token: string } }>(RESET, { input: { token, password: 'a brand new password' } });
    expect(reset.body.data!.resetPassword.user.username).toBe(user.username);
    expect(errorCodes(await app.gql(`{ viewer { user { username } } }`, {}, { token: user.token }))).toEqual(['UNAUTHENTICATED']);
    const fresh = await app.gql<{ viewer: { user: { username: string } } }>(`{ viewer { user { username } } }`, {}, { token: reset.body.data!.resetPassword.token });
    expect(fresh.body.data!.viewer.user.username).toBe(user.username);
    expect(errorCodes(await app.gql(RESET, { input: { token, password: 'another new password' } }))).toEqual(['BAD_USER_INPUT']);
    const login = await app.gql(`mutation ($input: LoginInput!) { login(input: $input) { token } }`, { input: { username: user.username, password: 'a brand new password' } });
    expect(errorCodes(login)).toEqual([]);
  });

  it('mails notifications to verified addresses only, one thread per item, with headers and a one-click unsubscribe', async () => {
    const reporter = await createActor(app);
    const unverified = await createActor(app);
    const commenter = await createActor(app);
    await verified(reporter);
    const bug = await fileBug(app, reporter, { componentSlug: 'xapi/xenopsd', title: 'xenopsd loses a VM on migrate' });
    await app.gql(COMMENT, { input: { itemId: bug.id, body: 'Me too' } }, { token: unverified.token });
    await app.gql(COMMENT, { input: { itemId: bug.id, body: 'And here' } }, { token: commenter.token });
    const end = Date.now() + 15_000;
    while (mailsTo(`${reporter.username}@example.org`).filter((m) => m.parsed.subject?.startsWith('[#')).length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const notices = mailsTo(`${reporter.username}@example.org`).filter((m) => m.parsed.subject?.startsWith('[#'));
    expect(notices).toHaveLength(2);
    const [first] = notices;
    expect(first.parsed.subject).toBe(`[#${bug.number}] xenopsd loses a VM on migrate`);
    expect(first.parsed.inReplyTo).toBe(`<item-${bug.number}@headwaters.test>`);
    expect(first.parsed.messageId).toMatch(new RegExp(`^<item-${bug.number}\\.event-\\d+@headwaters\\.test>$`));
    expect(notices[0].parsed.messageId).not.toBe(notices[1].parsed.messageId);
    // Read from the raw message: exactly what mail clients and filters see.
    const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(first.raw.replace(/\r?\n[ \t]+/g, ' '))?.[1].trim();
    expect(header('list-id')).toBe('Headwaters notifications <notifications.headwaters.test>');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(header('auto-submitted')).toBe('auto-generated');
    expect(header('x-headwaters-reason')).toBe('REPORTER');
    expect(header('x-headwaters-status')).toBe('NEW');
    expect(header('x-headwaters-importance')).toBe('UNDECIDED');
    expect(header('x-headwaters-component')).toBe('xapi/xenopsd');
    expect(header('x-headwaters-upstream')).toBe('xapi-project');
    // The unverified commenter is in the inbox but gets no mail.
    expect((await inboxOf(app, unverified)).entries.map((e) => e.event.type)).toEqual(['COMMENTED']);
    expect(mailsTo(`${unverified.username}@example.org`)).toEqual([]);

    // One click, no sign-in: the item is IGNORED for the reporter.
    const link = /<([^>]+)>/.exec(header('list-unsubscribe')!)![1].replace(PUBLIC_URL, app.url);
    expect((await fetch(link.replace(/token=[^&]+/, 'token=1.2.bad'), { method: 'POST' })).status).toBe(400);
    const clicked = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(clicked.status).toBe(200);
    const state = await app.gql<{ item: { viewerSubscription: string } }>(`query ($n: Int!) { item(number: $n) { viewerSubscription } }`, { n: bug.number }, { token: reporter.token });
    expect(state.body.data!.item.viewerSubscription).toBe('IGNORED');
  });

  it('leaves people who chose NONE without mail', async () => {
    const reporter = await createActor(app);
    await verified(reporter);
    expect((await app.gql(PREFERENCE, { input: { mail: 'NONE' } }, { token: reporter.token })).body.data).toEqual({ updateMailPreference: { viewer: { mailPreference: 'NONE' } } });
    const bug = await fileBug(app, reporter);
    await app.gql(COMMENT, { input: { itemId: bug.id, body: 'quietly' } }, { token: admin.token });
    expect((await inboxOf(app, reporter)).entries).toHaveLength(1);
    const [{ n }] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM delivery WHERE destination = $1 AND event = 'notification.mail'`, [`${reporter.username}@example.org`]);
    expect(n).toBe(0);
  });

  it('POSTs every event on a public item in scope to integrators, signed, and nothing of embargoed ones', async () => {
    const { dbId: webhookId } = await createWebhook(app, admin, { url: receiver.url, secret: 'the integrator secret', componentSlug: 'xen' });
    const reporter = await createActor(app);
    const before = receiver.hooks.length;
    const embargoed = await fileBug(app, reporter, { componentSlug: 'xen' });
    await app.sql(`UPDATE item SET visibility = 'SECURITY' WHERE number = $1`, [embargoed.number]);
    await app.gql(COMMENT, { input: { itemId: embargoed.id, body: 'secret' } }, { token: reporter.token });
    const open = await fileBug(app, reporter, { componentSlug: 'xen' });
    await app.gql(COMMENT, { input: { itemId: open.id, body: 'public' } }, { token: reporter.token });
    await app.gql(COMMENT, { input: { itemId: (await fileBug(app, reporter, { componentSlug: 'xencenter' })).id, body: 'out of scope' } }, { token: reporter.token });
    const numberOf = (h: { body: string }) => (JSON.parse(h.body) as { item: { number: number } }).item.number;
    const settled = Date.now() + 15_000;
    const pending = async () => (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_delivery wd JOIN delivery d ON d.id = wd.delivery_id WHERE wd.webhook_id = $1 AND d.state = 'PENDING'`, [webhookId]))[0].n;
    while ((await pending()) > 0 && Date.now() < settled) await new Promise((r) => setTimeout(r, 50));
    const all = receiver.hooks.slice(before);
    // The embargoed bug's filing was queued while it was public; asked again at send time, what
    // was not sent before the embargo is not sent at all, and nothing after it was even queued.
    const embargoedHooks = all.filter((h) => numberOf(h) === embargoed.number).map((h) => h.headers['x-headwaters-event']);
    expect(embargoedHooks.every((e) => e === 'item.filed' || e === 'item.routed')).toBe(true);
    const skipped = await app.sql<{ skip_reason: string }>(
      `SELECT d.skip_reason FROM webhook_delivery wd JOIN delivery d ON d.id = wd.delivery_id JOIN timeline_event e ON e.id = wd.event_id JOIN item i ON i.id = e.item_id WHERE wd.webhook_id = $1 AND i.number = $2 AND d.state = 'FAILED'`,
      [webhookId, embargoed.number],
    );
    expect(skipped.map((r) => r.skip_reason)).toEqual(Array(2 - embargoedHooks.length).fill('ITEM_HIDDEN'));
    const hooks = all.filter((h) => numberOf(h) === open.number);
    expect(hooks.map((h) => h.headers['x-headwaters-event']).sort()).toEqual(['item.commented', 'item.filed', 'item.routed']);
    expect(all).toHaveLength(3 + embargoedHooks.length);
    expect(hooks.every((h) => h.signatureValid)).toBe(true);
    const commented = hooks.find((h) => h.headers['x-headwaters-event'] === 'item.commented')!;
    expect(JSON.parse(commented.body)).toMatchObject({ event: 'item.commented', delivery: commented.headers['x-headwaters-delivery'], item: { number: open.number, url: `${PUBLIC_URL}/items/${open.number}` } });
  });

  it("tells an event's audience and its webhooks, and describes the event in each POST as the timeline has it, however they were looked up", async () => {
    const { dbId: webhookId } = await createWebhook(app, admin, { url: receiver.url, secret: 'the integrator secret', componentSlug: 'xapi/xenopsd' });
    const follower = await createActor(app);
    await follow(app, follower, await catalogueId(app, 'component', 'xapi/xenopsd'), 'SUBSCRIBED');
    const reporter = await createActor(app);
    const voter = await createActor(app);
    const before = receiver.hooks.length;
    // Each way an event's webhooks are looked up: the filing's with its audience (the component's
    // follower) in one statement; the comment's and the vote's in the statement that writes the
    // event, the comment's audience after it; the vote is told to nobody.
    const bug = await fileBug(app, reporter, { componentSlug: 'xapi/xenopsd' });
    expect((await app.gql(COMMENT, { input: { itemId: bug.id, body: 'Seen on 8.4 too.' } }, { token: reporter.token })).body.errors).toBeUndefined();
    const voted = await app.gql(`mutation ($input: VoteInput!) { vote(input: $input) { item { voteCount } } }`, { input: { itemId: bug.id } }, { token: voter.token });
    expect(voted.body.errors).toBeUndefined();

    const events = await app.sql<{ id: number; type: string; summary: string; actor: string | null; created_at: Date }>(
      `SELECT e.id, e.type, e.summary, a.username AS actor, e.created_at FROM timeline_event e JOIN item i ON i.id = e.item_id LEFT JOIN app_user a ON a.id = e.actor_id WHERE i.number = $1 ORDER BY e.id`,
      [bug.number],
    );
    expect(events.map((e) => e.type)).toEqual(['FILED', 'ROUTED', 'COMMENTED', 'VOTED']);
    const posts = await receiver.waitFor(before + events.length, 15_000);
    // Only this test's webhook covers xapi/xenopsd: the POSTs after `before` are its four.
    const bodies = posts.slice(before).map((h) => JSON.parse(h.body) as { event: string; item: { number: number }; timelineEvent: { type: string; summary: string; actor: string | null; createdAt: string } });
    const ours = bodies.filter((b) => b.item.number === bug.number).sort((a, b) => events.findIndex((e) => e.type === a.timelineEvent.type) - events.findIndex((e) => e.type === b.timelineEvent.type));
    expect(ours.map((b) => ({ event: b.event, ...b.timelineEvent }))).toEqual(
      events.map((e) => ({ event: `item.${e.type.toLowerCase()}`, type: e.type, summary: e.summary, actor: e.actor, createdAt: e.created_at.toISOString() })),
    );
    const [{ n }] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_delivery WHERE webhook_id = $1`, [webhookId]);
    expect(n).toBe(4);
    // The follower was told of the filing (with its route) and of the comment, not of the vote.
    const inbox = await inboxOf(app, follower);
    expect(inbox.entries.map((entry) => entry.event.type).sort()).toEqual(['COMMENTED', 'FILED']);
  });
});
