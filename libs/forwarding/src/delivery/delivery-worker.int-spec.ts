import { Logger } from '@nestjs/common';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '@headwaters/config';
import { dataSourceOptions } from '@headwaters/database';
import { createTestDatabase, type TestDatabase } from '@headwaters/database/testing';
import { JobQueue } from '@headwaters/jobs';
import { SmtpSink } from '../../../../test/support/smtp-sink';
import { closedUrl, WebhookReceiver } from '../../../../test/support/webhook-receiver';
import { DeliveryOutbox } from './delivery-outbox';
import { DeliveryWorker } from './delivery-worker';
import { deliveryChannelsFor } from './delivery.module';
import type { DeliveryRecord, NewDelivery } from './delivery.records';

const SECRET = 'a secret of the receiver, long enough';

describe('the delivery worker', () => {
  let db: TestDatabase;
  let source: DataSource;
  let dataDir: string;
  const sink = new SmtpSink();
  const receiver = new WebhookReceiver(SECRET);
  const running: { stop(): Promise<void> }[] = [];
  const outcomes: { state: string; id: number }[] = [];
  /** How many deliveries each `delivered` call was told of. */
  const batches: number[] = [];
  /** A delivery whose outcome the listener refuses to record (its transaction fails). */
  let unrecordable: number | null = null;

  /** A worker process's share: its own job queue connection, outbox and channels. */
  async function worker(overrides: Partial<AppConfig> = {}) {
    const config = loadConfig({}, {
      DATA_DIR: dataDir, SMTP_URL: sink.url, MAIL_FROM: 'tracker@headwaters.example.org', DELIVERY_MAX_ATTEMPTS: 3, DELIVERY_RETRY_BASE_SECONDS: 0.2,
      WEBHOOK_TIMEOUT_SECONDS: 0.5, WEBHOOK_ALLOW_PRIVATE: true, DELIVERY_CONCURRENCY: 8, ...overrides,
    });
    const jobs = new JobQueue({ url: db.url, poolSize: 2, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
    const outbox = new DeliveryOutbox(jobs, config);
    outbox.onSigningKey('test', async (_, id) => (id === 'none' ? null : SECRET));
    outbox.onOutcome('test.event', {
      delivered: async (tx, ds) => {
        await tx.query(`SELECT 1`);
        if (ds.some((d) => d.id === unrecordable)) throw new Error(`delivery ${unrecordable} cannot be recorded`);
        batches.push(ds.length);
        outcomes.push(...ds.map((d) => ({ state: d.state, id: d.id })));
      },
      failed: async (_, ds) => void outcomes.push(...ds.map((d) => ({ state: d.state, id: d.id }))),
    });
    const channels = deliveryChannelsFor(config);
    const deliveryWorker = new DeliveryWorker(source, jobs, outbox, channels, config);
    await jobs.startWorkers();
    const handle = { outbox, jobs, stop: async (ms = 500) => { await jobs.stop(ms); await deliveryWorker.onModuleDestroy(); } };
    running.push(handle);
    return handle;
  }

  async function queue(outbox: DeliveryOutbox, ...deliveries: NewDelivery[]): Promise<DeliveryRecord[]> {
    const rows = await source.transaction((tx) => outbox.queueMany(tx, deliveries));
    outbox.wake();
    return rows;
  }

  async function settled(id: number, state: 'DELIVERED' | 'FAILED', timeoutMs = 15000): Promise<Record<string, unknown>> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await source.query(`SELECT id::int, state, attempts, last_error, message_id, delivered_at, response, next_attempt_at FROM delivery WHERE id = $1`, [id]);
      if (row.state === state) return row;
      if (Date.now() > end) throw new Error(`delivery ${id} is ${row.state} after ${row.attempts} attempts (${row.last_error}), not ${state}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const mail = (to: string, extra: Partial<NewDelivery> = {}): NewDelivery => ({
    event: 'test.event', channel: 'MAIL', destination: to, subject: '[#7] xenopsd leaks memory', payload: 'Package: xcp-xapi\nVersion: 1.6\n\nIt leaks.\n',
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Headwaters-Item': '7' }, messageId: `<item-7.forward-${Math.floor(Math.random() * 1e9)}@headwaters.example.org>`, ...extra,
  });
  const hook = (url: string, extra: Partial<NewDelivery> = {}): NewDelivery => ({
    event: 'test.event', channel: 'WEBHOOK', destination: url, payload: JSON.stringify({ event: 'test.event', n: Math.random() }), signingKey: 'test:1', ...extra,
  });

  beforeAll(async () => {
    Logger.overrideLogger(false);
    db = await createTestDatabase();
    source = new DataSource(dataSourceOptions(db.url, { poolSize: 6 }));
    await source.initialize();
    dataDir = await mkdtemp(join(tmpdir(), 'headwaters-delivery-'));
    await sink.start();
    await receiver.start();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
    sink.refuse = () => undefined;
    receiver.answer = () => ({ status: 200 });
    unrecordable = null;
  });
  afterAll(async () => {
    // pg-boss looks once more, a second after stopping, whether its pollers are done.
    await new Promise((r) => setTimeout(r, 1100));
    await sink.stop();
    await receiver.stop();
    await source.destroy();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends a mail over SMTP with its recipient, subject, headers and Message-ID', async () => {
    const { outbox } = await worker();
    const [row] = await queue(outbox, mail('submit@bugs.debian.example'));
    const done = await settled(row.id, 'DELIVERED');
    expect(done).toMatchObject({ attempts: 1, last_error: null, next_attempt_at: null });
    const got = sink.mails.find((m) => m.parsed.messageId === row.messageId)!;
    expect(got.envelope).toEqual({ from: 'tracker@headwaters.example.org', to: ['submit@bugs.debian.example'] });
    expect(got.parsed.subject).toBe('[#7] xenopsd leaks memory');
    expect(got.parsed.text).toMatch(/^Package: xcp-xapi\nVersion: 1\.6\n/);
    expect(got.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(got.parsed.headers.get('x-headwaters-item')).toBe('7');
    expect(outcomes).toContainEqual({ state: 'DELIVERED', id: row.id });
  });

  it('retries a mail the server refuses for now, with the same Message-ID, until it is taken', async () => {
    const { outbox } = await worker();
    sink.refuse = (_, attempt) => (attempt < 3 ? '451 4.3.0 Try again later' : undefined);
    const [row] = await queue(outbox, mail('xen-api@lists.example.org'));
    const done = await settled(row.id, 'DELIVERED');
    expect(done.attempts).toBe(3);
    expect(sink.offered.get(row.messageId)).toBe(3);
    expect(sink.mails.filter((m) => m.parsed.messageId === row.messageId)).toHaveLength(1);
  });

  it('writes each mail to DATA_DIR/mail/ as an .eml file when no SMTP server is set, and counts it delivered', async () => {
    const { outbox } = await worker({ SMTP_URL: undefined });
    const [row] = await queue(outbox, mail('submit@bugs.debian.example'));
    await settled(row.id, 'DELIVERED');
    const files = await readdir(join(dataDir, 'mail'));
    expect(files).toContain(`delivery-${row.id}.eml`);
    const parsed = await simpleParser(await readFile(join(dataDir, 'mail', `delivery-${row.id}.eml`)));
    expect(parsed.messageId).toBe(row.messageId);
    expect(parsed.subject).toBe('[#7] xenopsd leaks memory');
    expect((parsed.to as { text: string }).text).toBe('submit@bugs.debian.example');
  });

  it('POSTs a signed webhook and keeps the reference and url its JSON answer gives', async () => {
    const { outbox } = await worker();
    receiver.answer = () => ({ status: 201, body: { reference: 'GH-42', url: 'https://github.com/example/repo/issues/42' } });
    const [row] = await queue(outbox, hook(receiver.url));
    const done = await settled(row.id, 'DELIVERED');
    expect(done.response).toEqual({ reference: 'GH-42', url: 'https://github.com/example/repo/issues/42' });
    const [got] = receiver.of(row.messageId);
    expect(got.signatureValid).toBe(true);
    expect(got.body).toBe(row.payload);
    expect(got.headers).toMatchObject({ 'content-type': 'application/json', 'x-headwaters-event': 'test.event', 'x-headwaters-delivery': row.messageId });
    expect(got.headers['user-agent']).toMatch(/^Headwaters\/\d+\.\d+\.\d+/);
  });

  it.each([
    ['answers 500', (): ReturnType<WebhookReceiver['answer']> => ({ status: 500, body: 'oops' }), /^HTTP 500: oops/],
    ['answers after the timeout', (): ReturnType<WebhookReceiver['answer']> => ({ status: 200, delayMs: 1500 }), /timed out/],
    ['never answers', (): ReturnType<WebhookReceiver['answer']> => 'hang', /timed out/],
    ['redirects', (): ReturnType<WebhookReceiver['answer']> => ({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }), /^HTTP 302: redirects are not followed/],
  ])('retries a webhook whose receiver %s, then FAILED; redeliver then DELIVERED, always with the same id', async (_, answer, error) => {
    const { outbox } = await worker();
    receiver.answer = answer;
    const [row] = await queue(outbox, hook(receiver.url));
    const failed = await settled(row.id, 'FAILED');
    expect(failed).toMatchObject({ attempts: 3, next_attempt_at: null });
    expect(failed.last_error).toMatch(error);
    expect(receiver.of(row.messageId)).toHaveLength(3);
    expect(outcomes).toContainEqual({ state: 'FAILED', id: row.id });
    // Waits between attempts grow: 0.2 s then 0.4 s (each ±20%), plus up to a polling interval.
    const times = receiver.of(row.messageId).map((h) => h.at);
    expect(times[2] - times[1]).toBeGreaterThan(times[1] - times[0] - 400);

    receiver.answer = () => ({ status: 200 });
    await source.transaction((tx) => outbox.redeliver(tx, row.id));
    outbox.wake();
    const delivered = await settled(row.id, 'DELIVERED');
    expect(delivered.attempts).toBe(4);
    const all = receiver.of(row.messageId);
    expect(all).toHaveLength(4);
    expect(new Set(all.map((h) => h.body))).toEqual(new Set([row.payload]));
    expect(all.every((h) => h.signatureValid)).toBe(true);
  });

  it('FAILS a webhook nobody listens for, naming why', async () => {
    const { outbox } = await worker();
    const [row] = await queue(outbox, hook(await closedUrl()));
    const failed = await settled(row.id, 'FAILED');
    expect(failed.last_error).toMatch(/^connection refused by 127\.0\.0\.1:\d+$/);
  });

  it('does not POST to loopback or private addresses unless allowed, checking the resolved address', async () => {
    const { outbox } = await worker({ WEBHOOK_ALLOW_PRIVATE: false, DELIVERY_MAX_ATTEMPTS: 1 });
    const before = receiver.hooks.length;
    const byName = receiver.url.replace('127.0.0.1', 'localhost');
    const rows = await queue(outbox, hook(receiver.url), hook(byName), hook('http://[::1]:9/x'));
    const errors = await Promise.all(rows.map(async (r) => (await settled(r.id, 'FAILED')).last_error));
    expect(errors[0]).toMatch(/127\.0\.0\.1 resolves to 127\.0\.0\.1, a loopback, private or link-local address/);
    expect(errors[1]).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
    expect(errors[2]).toMatch(/::1 resolves to ::1/);
    expect(receiver.hooks.length).toBe(before);
  });

  it('does not send a signed webhook whose secret is gone', async () => {
    const { outbox } = await worker({ DELIVERY_MAX_ATTEMPTS: 1 });
    const [row] = await queue(outbox, hook(receiver.url, { signingKey: 'test:none' }));
    expect((await settled(row.id, 'FAILED')).last_error).toMatch(/no webhook secret/);
    expect(receiver.of(row.messageId)).toHaveLength(0);
  });

  it('sends nothing for a transaction that rolls back', async () => {
    const { outbox } = await worker();
    const before = receiver.hooks.length;
    await expect(
      source.transaction(async (tx) => {
        await outbox.queue(tx, hook(receiver.url));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await new Promise((r) => setTimeout(r, 1200));
    expect(receiver.hooks.length).toBe(before);
  });

  it('refuses to redeliver a delivery that is still pending', async () => {
    const { outbox } = await worker();
    receiver.answer = () => 'hang';
    const [row] = await queue(outbox, hook(receiver.url));
    await expect(source.transaction((tx) => outbox.redeliver(tx, row.id))).rejects.toMatchObject({ kind: 'conflict', code: 'DELIVERY_PENDING' });
  });

  it('retries after a restart a delivery whose worker stopped mid-POST: it arrives again with the same ids, and is recorded once', async () => {
    const first = await worker();
    receiver.answer = () => 'hang';
    const [row] = await queue(first.outbox, hook(receiver.url, { }));
    await receiver.waitFor(receiver.hooks.length + 1).then(() => undefined);
    while (receiver.of(row.messageId).length === 0) await new Promise((r) => setTimeout(r, 20));
    await first.stop(100);
    running.splice(running.indexOf(first), 1);
    receiver.answer = () => ({ status: 200 });
    await worker({ WEBHOOK_TIMEOUT_SECONDS: 5 });
    const done = await settled(row.id, 'DELIVERED', 20000);
    expect(done.attempts).toBe(1);
    const posts = receiver.of(row.messageId);
    expect(posts).toHaveLength(2);
    expect(posts[1].body).toBe(posts[0].body);
    expect(posts[1].headers['x-headwaters-signature-256']).toBe(posts[0].headers['x-headwaters-signature-256']);
  });

  it('with two workers on one database sends each delivery exactly once', async () => {
    const [a] = [await worker(), await worker()];
    const before = sink.mails.length;
    const rows = await queue(a.outbox, ...Array.from({ length: 100 }, (_, i) => mail(`list-${i}@lists.example.org`)), ...Array.from({ length: 100 }, () => hook(receiver.url)));
    await Promise.all(rows.map((r) => settled(r.id, 'DELIVERED', 25000)));
    const mails = sink.mails.slice(before);
    expect(mails).toHaveLength(100);
    expect(new Set(mails.map((m) => m.parsed.messageId)).size).toBe(100);
    for (const r of rows.filter((r) => r.channel === 'WEBHOOK')) expect(receiver.of(r.messageId)).toHaveLength(1);
  });

  it('records the attempts of a burst together, a transaction for many, each exactly once', async () => {
    const { outbox } = await worker({ DELIVERY_CONCURRENCY: 32, DELIVERY_BATCH_SIZE: 16 });
    batches.length = 0;
    const rows = await queue(outbox, ...Array.from({ length: 120 }, () => hook(receiver.url)));
    await Promise.all(rows.map((r) => settled(r.id, 'DELIVERED', 25000)));
    const mine = outcomes.filter((o) => rows.some((r) => r.id === o.id));
    expect(mine).toHaveLength(120);
    expect(new Set(mine.map((o) => o.id)).size).toBe(120);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(120);
    expect(batches.length).toBeLessThan(40);
  });

  it('records alone the attempts of a batch whose transaction fails, so that only the one that cannot be recorded is sent again', async () => {
    const { outbox } = await worker();
    const rows = await queue(outbox, ...Array.from({ length: 6 }, () => hook(receiver.url)));
    unrecordable = rows[2].id;
    await Promise.all(rows.filter((r) => r.id !== unrecordable).map((r) => settled(r.id, 'DELIVERED')));
    const [stuck] = await source.query(`SELECT state, attempts FROM delivery WHERE id = $1`, [unrecordable]);
    expect(stuck).toEqual({ state: 'PENDING', attempts: 0 });
    for (const r of rows) expect(receiver.of(r.messageId)).toHaveLength(1);
    // Its job failed, to run again: the POST goes again, with the same ids, until it can be recorded.
    const jobs = await source.query(`SELECT state FROM pgboss.job WHERE name = 'delivery' AND (data->>'deliveryId')::bigint = $1`, [unrecordable]);
    expect(jobs).toEqual([{ state: 'retry' }]);
  });
});
