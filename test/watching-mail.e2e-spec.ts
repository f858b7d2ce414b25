import { createTransport } from 'nodemailer';
import { ReplyListener } from '@headwaters/forwarding';
import { createActor, type TestActor } from './support/actors';
import { FakeDebbugs } from './support/fake-trackers';
import { fileBug, type FiledItem } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';
import { timelineOf, until } from './support/watching';

const DOMAIN = 'tracker.test';
const HELD = `query ($id: ID!) { heldMails(itemId: $id) { id sender senderName subject body state } }`;
const APPROVE = `mutation ($input: DecideHeldMailInput!) { approveHeldMail(input: $input) { heldMail { id state } item { number } } }`;
const DROP = `mutation ($input: DecideHeldMailInput!) { dropHeldMail(input: $input) { heldMail { id state } } }`;
const COMMENTS = `query ($n: Int!) { item(number: $n) { comments(first: 20) { nodes { body author { username } } } } }`;

describe('replies by mail', () => {
  let app: TestApp;
  let reporter: TestActor;
  let xapi: TestActor;
  let bug: FiledItem;
  let port = 0;
  const debbugs = new FakeDebbugs();

  const send = (message: Record<string, unknown>) =>
    createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail({
      to: `headwaters@${DOMAIN}`,
      subject: `Re: [#${bug.number}] Something breaks somewhere`,
      inReplyTo: `<item-${bug.number}.forward-1@${DOMAIN}>`,
      references: [`<item-${bug.number}.forward-1@${DOMAIN}>`],
      ...message,
    });
  const comments = async (n: number) => (await app.gql<{ item: { comments: { nodes: { body: string; author: { username: string } }[] } } }>(COMMENTS, { n })).body.data!.item.comments.nodes;
  const held = async (actor: TestActor, id = bug.id) => (await app.gql<{ heldMails: { id: string; sender: string; senderName: string; subject: string; body: string; state: string }[] }>(HELD, { id }, { token: actor.token })).body.data!.heldMails;

  beforeAll(async () => {
    await debbugs.start();
    app = await startTestApp({ withWorker: true, config: { MAIL_FROM: `headwaters@${DOMAIN}`, PUBLIC_URL: 'https://bugs.example.test', MAIL_INBOUND_PORT: 0, MAIL_INBOUND_MAX_BYTES: 50_000, WATCH_INTERVAL_SECONDS: 0 } });
    port = app.app.get(ReplyListener).port;
    reporter = await createActor(app, { username: 'reporter-m' });
    xapi = await createActor(app, { username: 'xapi-m', grants: [{ role: 'MAINTAINER', upstreamSlug: 'xapi-project' }] });
    await app.sql(`UPDATE app_user SET email_verified_at = now() WHERE id = $1`, [reporter.userId]);
    bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
  });
  afterAll(async () => {
    await app.close();
    await debbugs.close();
  });

  it('posts a reply from a verified address as that user\'s comment, without the quote and signature', async () => {
    await send({ from: `Reporter <reporter-m@example.org>`, text: `It also happens on 8.4.\n\nOn Tue, 1 Dec 2026, Headwaters <headwaters@${DOMAIN}> wrote:\n> [#${bug.number}] Something breaks\n\n-- \nReporter, Example Org` });
    await until(async () => (await comments(bug.number)).length === 1);
    expect(await comments(bug.number)).toEqual([{ body: 'It also happens on 8.4.', author: { username: 'reporter-m' } }]);
  });

  it('lands on the item named by item-N@ the domain too', async () => {
    const other = await fileBug(app, reporter, { componentSlug: 'xapi' });
    await send({ from: 'reporter-m@example.org', to: `item-${other.number}@${DOMAIN}`, inReplyTo: undefined, references: undefined, text: 'Logs attached elsewhere.' });
    await until(async () => (await comments(other.number)).length === 1);
    expect((await comments(other.number))[0].body).toBe('Logs attached elsewhere.');
  });

  it('lands on the item whose notification it answers (Message-IDs on the public host)', async () => {
    const other = await fileBug(app, reporter, { componentSlug: 'xapi' });
    await send({ from: 'reporter-m@example.org', inReplyTo: `<item-${other.number}.event-17@bugs.example.test>`, references: [`<item-${other.number}@bugs.example.test>`], text: 'Answering the notification.' });
    await until(async () => (await comments(other.number)).length === 1);
    expect((await comments(other.number))[0].body).toBe('Answering the notification.');
  });

  it('records a reply through the upstream\'s list as UPSTREAM_REPLIED, with the sender and the first lines', async () => {
    await send({ from: 'Rob Hoes <rob@xenproject.example>', headers: { 'List-Id': 'Xen API <xen-api.lists.xenproject.org>', 'List-Post': '<mailto:xen-api@lists.xenproject.org>' }, text: 'Thanks, this is a known issue in xenopsd.\nA fix is queued.\n\n> quoted' });
    await until(async () => (await timelineOf(app, bug.number)).some((e) => e.type === 'UPSTREAM_REPLIED'));
    expect((await timelineOf(app, bug.number)).find((e) => e.type === 'UPSTREAM_REPLIED')).toEqual({
      type: 'UPSTREAM_REPLIED', actor: null, summary: 'Rob Hoes <rob@xenproject.example> replied on xen-api@lists.xenproject.org: Thanks, this is a known issue in xenopsd. A fix is queued.',
    });
  });

  it('holds a stranger\'s reply for the item\'s maintainers, who approve or drop it', async () => {
    await send({ from: 'Carol <carol@elsewhere.example>', messageId: '<carol-1@elsewhere.example>', text: 'Same here on my pool.' });
    await send({ from: 'spam@elsewhere.example', messageId: '<spam-1@elsewhere.example>', text: 'Buy now' });
    await until(async () => (await held(xapi)).length === 2);
    const [carol, spam] = await held(xapi);
    expect(carol).toMatchObject({ sender: 'carol@elsewhere.example', senderName: 'Carol', body: 'Same here on my pool.', state: 'HELD' });
    expect(await held(reporter)).toEqual([]);
    expect((await comments(bug.number)).some((c) => c.body.includes('Same here'))).toBe(false);

    expect(errorCodes(await app.gql(APPROVE, { input: { heldMailId: carol.id } }, { token: reporter.token }))).toEqual(['FORBIDDEN']);
    const approved = await app.gql(APPROVE, { input: { heldMailId: carol.id } }, { token: xapi.token });
    expect(approved.body.data).toEqual({ approveHeldMail: { heldMail: { id: carol.id, state: 'APPROVED' }, item: { number: bug.number } } });
    expect((await comments(bug.number)).at(-1)).toEqual({ body: 'Carol <carol@elsewhere.example> wrote by mail:\n\nSame here on my pool.', author: { username: 'xapi-m' } });
    expect((await app.gql(DROP, { input: { heldMailId: spam.id } }, { token: xapi.token })).body.data).toEqual({ dropHeldMail: { heldMail: { id: spam.id, state: 'DROPPED' } } });
    expect(errorCodes(await app.gql(APPROVE, { input: { heldMailId: spam.id } }, { token: xapi.token }))).toEqual(['CONFLICT']);
    expect(await held(xapi)).toEqual([]);
  });

  it('holds a verified user\'s reply to an embargoed report they may not see', async () => {
    const embargoed = await app.gql<{ fileBug: { bug: { id: string; number: number } } }>(
      `mutation { fileBug(input: { title: "Guest escape via xenopsd", description: "Details under embargo", componentSlug: "xapi", visibility: SECURITY }) { bug { id number } } }`, {}, { token: reporter.token });
    const secret = embargoed.body.data!.fileBug.bug;
    const outsider = await createActor(app, { username: 'outsider-m' });
    await app.sql(`UPDATE app_user SET email_verified_at = now() WHERE id = $1`, [outsider.userId]);
    await send({ from: 'outsider-m@example.org', to: `item-${secret.number}@${DOMAIN}`, inReplyTo: undefined, references: undefined, messageId: '<outsider-1@example.org>', text: 'What is this about?' });
    await until(async () => (await held(xapi, secret.id)).length === 1);
    expect((await held(xapi, secret.id))[0]).toMatchObject({ sender: 'outsider-m@example.org', body: 'What is this about?' });
    expect(await app.sql(`SELECT 1 FROM comment WHERE item_id = (SELECT id FROM item WHERE number = $1)`, [secret.number])).toEqual([]);
  });

  it('never posts machines\' mail or its own mail come back', async () => {
    const before = { comments: (await comments(bug.number)).length, events: (await timelineOf(app, bug.number)).length };
    await send({ from: 'reporter-m@example.org', headers: { 'Auto-Submitted': 'auto-replied' }, text: 'I am out of the office.' });
    await send({ from: 'reporter-m@example.org', messageId: `<item-${bug.number}.forward-1@${DOMAIN}>`, text: 'A copy of our own forward.' });
    await send({ from: 'reporter-m@example.org', text: '> only a quote' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await comments(bug.number)).toHaveLength(before.comments);
    expect(await timelineOf(app, bug.number)).toHaveLength(before.events);
    expect(await held(xapi)).toEqual([]);
  });

  it('refuses over SMTP what names no item, other domains, and mail over the size limit', async () => {
    await expect(send({ from: 'a@example.org', inReplyTo: '<x@y>', references: undefined, text: 'hello' })).rejects.toMatchObject({ responseCode: 550 });
    await expect(send({ from: 'a@example.org', to: `item-999999@${DOMAIN}`, inReplyTo: undefined, references: undefined, text: 'hello' })).rejects.toMatchObject({ responseCode: 550 });
    await expect(send({ from: 'a@example.org', to: 'someone@example.org', text: 'relay me' })).rejects.toMatchObject({ responseCode: 550 });
    await expect(send({ from: 'reporter-m@example.org', text: 'x'.repeat(80_000) })).rejects.toMatchObject({ responseCode: 552 });
  });

  it('links the Debian forward when the BTS acknowledges the report, and reads the bug back', async () => {
    const debianBug = await fileBug(app, reporter, { componentSlug: 'packaging/debian' });
    const admin = await createActor(app, { grants: [{ role: 'ADMIN' }] });
    // Debian's tracker is bugs.debian.org; here a local one that answers as it does.
    const tracker = await app.gql(`mutation ($url: String!) { updateUpstream(input: { slug: "debian", trackerUrl: $url }) { upstream { trackerUrl } } }`, { url: debbugs.url }, { token: admin.token });
    expect(tracker.body.errors).toBeUndefined();
    debbugs.setBug(123456, { pending: 'pending' });
    const forwarded = await app.gql(`mutation ($id: ID!) { forward(input: { itemId: $id, reference: "mail" }) { forward { state } } }`, { id: debianBug.id }, { token: admin.token });
    expect(forwarded.body.errors).toBeUndefined();
    await createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail({
      from: 'owner@bugs.debian.org',
      to: `headwaters@${DOMAIN}`,
      subject: `Bug#123456: Acknowledgement ([#${debianBug.number}] Something breaks somewhere)`,
      inReplyTo: `<item-${debianBug.number}.forward-1@${DOMAIN}>`,
      headers: { 'X-Debian-PR-Message': 'ack 123456', 'X-Debian-PR-Package': 'xcp-xapi' },
      text: 'Thank you for filing a new Bug report with Debian.',
    });
    const forward = async () => (await app.sql<{ url: string | null; remote_status: string | null; state: string }>(`SELECT f.url, f.remote_status, f.state FROM forward f JOIN item i ON i.id = f.item_id WHERE i.number = $1`, [debianBug.number]))[0];
    await until(async () => (await forward())?.remote_status === 'pending');
    expect(await forward()).toEqual({ url: `${debbugs.url}/123456`, remote_status: 'pending', state: 'FORWARDED' });
    expect((await timelineOf(app, debianBug.number)).filter((e) => e.type === 'UPSTREAM_LINKED')).toEqual([
      { type: 'UPSTREAM_LINKED', actor: null, summary: `Debian (XCP-XAPI packages) acknowledged the report as bug #123456 at ${new URL(debbugs.url).host}` },
    ]);
    expect(await comments(debianBug.number)).toEqual([]);
  });
});
