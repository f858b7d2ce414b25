import { DigestService } from '@headwaters/notifications';
import { createActor, type TestActor } from './support/actors';
import { fileBug } from './support/items';
import { COMMENT, TRIAGE } from './support/notifications';
import { SmtpSink, type ReceivedMail } from './support/smtp-sink';
import { startTestApp, type TestApp } from './support/test-app';

const PUBLIC_URL = 'http://headwaters.test';
const PREFERENCE = `mutation ($input: UpdateMailPreferenceInput!) { updateMailPreference(input: $input) { viewer { mailPreference } } }`;
const HOUR = 3_600_000;

/** A clock `hours` ahead, and the digest hour just before it: every notification written so far is due. */
const ahead = (hours: number) => {
  const now = new Date(Date.now() + hours * HOUR);
  return { now, hourUtc: new Date(now.getTime() - HOUR).getUTCHours() };
};

describe('mail from two instances with workers on one database: the daily digest, and each mail once', () => {
  let app: TestApp;
  let second: TestApp;
  let sink: SmtpSink;
  let maintainer: TestActor;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    // The digest job's own timer is off: the tests drive it with a clock.
    const config = { SMTP_URL: sink.url, PUBLIC_URL, JOBS_POLL_SECONDS: 0.5, DIGEST_CHECK_SECONDS: 0 };
    app = await startTestApp({ withWorker: true, config });
    second = await startTestApp({ database: app.db, withWorker: true, config });
    maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xen-project' }] });
  });
  afterAll(async () => {
    await second.close();
    await app.close();
    await sink.stop();
  });

  const mailsTo = (who: TestActor) => sink.mails.filter((m) => m.envelope.to.includes(`${who.username}@example.org`));
  const verify = (who: TestActor) => app.sql(`UPDATE app_user SET email_verified_at = now() WHERE id = $1`, [who.userId]);
  const choose = async (who: TestActor, mail: string) => {
    const response = await app.gql(PREFERENCE, { input: { mail } }, { token: who.token });
    expect(response.body.errors).toBeUndefined();
  };
  const waitForMail = async (who: TestActor, count: number): Promise<ReceivedMail[]> => {
    const end = Date.now() + 15_000;
    while (mailsTo(who).length < count && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    return mailsTo(who);
  };
  const quiet = async () => {
    // Every queued mail has been tried: what did not arrive will not.
    const end = Date.now() + 15_000;
    while ((await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM delivery WHERE state = 'PENDING'`))[0].n > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  };

  it('sends one mail a day listing the day\'s notifications grouped by item, with links, once even with two workers and a run again', async () => {
    const reader = await createActor(app);
    await verify(reader);
    await choose(reader, 'DAILY_DIGEST');
    const first = await fileBug(app, reader, { componentSlug: 'xen', title: 'Dom0 hangs on resume' });
    const other = await fileBug(app, reader, { componentSlug: 'xen', title: 'VIF drops packets under load' });
    await app.gql(COMMENT, { input: { itemId: first.id, body: 'Same here on 8.2' } }, { token: maintainer.token });
    await app.gql(TRIAGE, { input: { itemId: first.id, importance: 'HIGH' } }, { token: maintainer.token });
    await app.gql(COMMENT, { input: { itemId: other.id, body: 'Which NIC?' } }, { token: maintainer.token });
    await quiet();
    // No mail per event for those who chose the digest.
    expect(mailsTo(reader)).toEqual([]);

    const clock = ahead(2);
    // Two workers and a second run of the same day, at once: one digest.
    const runs = await Promise.all([app.app.get(DigestService).sendDue(clock), second.app.get(DigestService).sendDue(clock), app.app.get(DigestService).sendDue(clock)]);
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    await app.app.get(DigestService).sendDue(clock);
    const [mail] = await waitForMail(reader, 1);
    await quiet();
    expect(mailsTo(reader)).toHaveLength(1);
    const day = new Date(Date.UTC(clock.now.getUTCFullYear(), clock.now.getUTCMonth(), clock.now.getUTCDate(), clock.hourUtc));
    if (day > clock.now) day.setUTCDate(day.getUTCDate() - 1);
    const dayText = day.toISOString().slice(0, 10);
    expect(mail.parsed.subject).toBe(`[Headwaters] Daily digest ${dayText}: 3 updates on 2 items`);
    expect(mail.parsed.messageId).toMatch(new RegExp(`^<digest-${reader.userId}-${dayText}@headwaters\\.test>$`));
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.headers.get('x-headwaters-digest')).toBe(dayText);
    const text = mail.parsed.text!;
    // Grouped by item, each with its link, entries under it.
    const firstAt = text.indexOf(`#${first.number}: Dom0 hangs on resume`);
    const otherAt = text.indexOf(`#${other.number}: VIF drops packets under load`);
    expect(firstAt).toBeGreaterThanOrEqual(0);
    expect(otherAt).toBeGreaterThan(firstAt);
    const firstBlock = text.slice(firstAt, otherAt);
    expect(firstBlock).toContain(`${PUBLIC_URL}/items/${first.number}`);
    expect(firstBlock).toMatch(/commented/);
    expect(firstBlock).toMatch(/importance: Undecided → High/);
    expect(text.slice(otherAt)).toContain(`${PUBLIC_URL}/items/${other.number}`);
    const [{ n }] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM notification_digest WHERE user_id = $1`, [reader.userId]);
    expect(n).toBe(1);

    // The next day lists only what came after.
    await app.gql(COMMENT, { input: { itemId: other.id, body: 'An Intel X710' } }, { token: maintainer.token });
    const tomorrow = { now: new Date(clock.now.getTime() + 24 * HOUR), hourUtc: clock.hourUtc };
    await app.app.get(DigestService).sendDue(tomorrow);
    const mails = await waitForMail(reader, 2);
    expect(mails).toHaveLength(2);
    expect(mails[1].parsed.subject).toMatch(/: 1 update on 1 item$/);
    expect(mails[1].parsed.text).toContain(`#${other.number}:`);
    expect(mails[1].parsed.text).not.toContain(`#${first.number}:`);
  });

  it('goes only to verified addresses, and not to those who want each event or none', async () => {
    const unverified = await createActor(app);
    await choose(unverified, 'DAILY_DIGEST');
    const eachEvent = await createActor(app);
    await verify(eachEvent);
    const none = await createActor(app);
    await verify(none);
    await choose(none, 'NONE');
    for (const who of [unverified, eachEvent, none]) {
      const bug = await fileBug(app, who, { componentSlug: 'xen' });
      await app.gql(COMMENT, { input: { itemId: bug.id, body: 'Looking' } }, { token: maintainer.token });
    }
    await app.app.get(DigestService).sendDue(ahead(3));
    await quiet();
    expect(mailsTo(unverified)).toEqual([]);
    expect(mailsTo(none)).toEqual([]);
    // Each event's mail, never a digest.
    expect(mailsTo(eachEvent).map((m) => m.parsed.subject)).toEqual([expect.stringMatching(/^\[#\d+\] /)]);
  });
  it('sends each notification mail once, though both instances send mail', async () => {
    const reporter = await createActor(app);
    await verify(reporter);
    const bug = await fileBug(app, reporter, { componentSlug: 'xen', title: 'Toolstack leaks a VDI on shutdown' });
    for (let i = 1; i <= 6; i++) {
      const instance = i % 2 ? app : second;
      const response = await instance.gql(COMMENT, { input: { itemId: bug.id, body: `Seen again, ${i}` } }, { token: maintainer.token });
      expect(response.body.errors).toBeUndefined();
    }
    const mails = await waitForMail(reporter, 6);
    await quiet();
    await new Promise((r) => setTimeout(r, 1000));
    expect(mailsTo(reporter)).toHaveLength(6);
    const ids = mails.map((m) => m.parsed.messageId);
    expect(new Set(ids).size).toBe(6);
    for (const id of ids) expect(sink.offered.get(id!)).toBe(1);
    expect(mails.every((m) => m.parsed.subject === `[#${bug.number}] Toolstack leaks a VDI on shutdown`)).toBe(true);
  });
});
