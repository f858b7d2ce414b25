import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@headwaters/database';
import { createTestDatabase, type TestDatabase } from '@headwaters/database/testing';
import { JobQueue, type Job, type QueueOptions } from './job-queue';

const QUEUE = 'test-jobs';
const OPTIONS: QueueOptions = { concurrency: 4, expireInSeconds: 30, retryLimit: 5, retryDelaySeconds: 1 };

describe('the job queue', () => {
  let db: TestDatabase;
  let source: DataSource;
  const queues: JobQueue[] = [];

  function queue(handler?: (job: Job<{ n: number }>) => Promise<void>, options: QueueOptions = OPTIONS): JobQueue {
    const q = new JobQueue({ url: db.url, poolSize: 2, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
    q.declare(QUEUE, options);
    if (handler) q.handle(QUEUE, handler);
    queues.push(q);
    return q;
  }

  async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    source = new DataSource(dataSourceOptions(db.url, { poolSize: 4 }));
    await source.initialize();
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop(1000)));
    await source.query(`DELETE FROM pgboss.job`);
  });
  afterAll(async () => {
    // pg-boss looks once more, a second after stopping, whether its pollers are done.
    await new Promise((r) => setTimeout(r, 1100));
    await source.destroy();
    await db.drop();
  });

  it('has its schema from the migrations', async () => {
    const [row] = await source.query(`SELECT version FROM pgboss.version`);
    expect(row.version).toBeGreaterThan(0);
  });

  it('keeps a job only when the transaction that sent it commits', async () => {
    const seen: number[] = [];
    const q = queue(async (job) => void seen.push(job.data.n));
    await q.start();
    await source.transaction((tx) => q.send(tx, QUEUE, { n: 1 }));
    await expect(
      source.transaction(async (tx) => {
        await q.send(tx, QUEUE, { n: 2 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await q.startWorkers();
    await until(() => seen.length === 1);
    await new Promise((r) => setTimeout(r, 1200));
    expect(seen).toEqual([1]);
    const [{ count }] = await source.query(`SELECT count(*)::int AS count FROM pgboss.job WHERE name = $1`, [QUEUE]);
    expect(count).toBe(1);
  });

  it('runs a job not before its start time, and runs again the jobs whose handler threw', async () => {
    const runs: { n: number; at: number }[] = [];
    const q = queue(async (job) => {
      runs.push({ n: job.data.n, at: Date.now() });
      if (job.data.n === 2 && runs.filter((r) => r.n === 2).length === 1) throw new Error('first try fails');
    });
    await q.startWorkers();
    const sent = Date.now();
    await source.transaction(async (tx) => {
      await q.send(tx, QUEUE, { n: 1 }, { startAfter: new Date(sent + 1500) });
      await q.sendMany(tx, QUEUE, [{ data: { n: 2 } }]);
    });
    q.wake(QUEUE);
    await until(() => runs.filter((r) => r.n === 2).length === 2 && runs.some((r) => r.n === 1));
    expect(runs.find((r) => r.n === 1)!.at - sent).toBeGreaterThanOrEqual(1400);
  });

  it('prepares each fetched batch once, before its jobs wait for their turns, and hands each job what it read; a batch whose preparing fails runs again', async () => {
    const prepared: number[][] = [];
    const ran: { n: number; batch: number[] }[] = [];
    let failOnce = true;
    const q = new JobQueue({ url: db.url, poolSize: 2, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
    q.declare(QUEUE, { ...OPTIONS, concurrency: 8, batchSize: 8, perSecond: 100 });
    q.handle<{ n: number }, number[]>(
      QUEUE,
      async (job, batch) => void ran.push({ n: job.data.n, batch }),
      async (jobs) => {
        const ns = jobs.map((job) => job.data.n).sort((a, b) => a - b);
        if (failOnce && ns.includes(13)) {
          failOnce = false;
          throw new Error('the batch cannot be read now');
        }
        prepared.push(ns);
        return ns;
      },
    );
    queues.push(q);
    await q.start();
    await source.transaction((tx) => q.sendMany(tx, QUEUE, Array.from({ length: 24 }, (_, n) => ({ data: { n } }))));
    await q.startWorkers();
    await until(() => new Set(ran.map((r) => r.n)).size === 24, 20000);
    expect(prepared.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, n) => n));
    expect(prepared.every((ns) => ns.length <= 8)).toBe(true);
    expect(prepared.length).toBeLessThanOrEqual(5);
    for (const { n, batch } of ran) expect(batch).toContain(n);
    expect(ran.filter((r) => r.n === 13)).toHaveLength(1);
    expect(failOnce).toBe(false);
  });

  it('with two workers on one database runs each job exactly once', async () => {
    const seen = new Map<number, string[]>();
    const handler = (who: string) => async (job: Job<{ n: number }>) => {
      seen.set(job.data.n, [...(seen.get(job.data.n) ?? []), who]);
      await new Promise((r) => setTimeout(r, 2));
    };
    const [a, b] = [queue(handler('a')), queue(handler('b'))];
    await Promise.all([a.startWorkers(), b.startWorkers()]);
    await source.transaction((tx) => a.sendMany(tx, QUEUE, Array.from({ length: 300 }, (_, n) => ({ data: { n } }))));
    a.wake(QUEUE);
    b.wake(QUEUE);
    await until(() => seen.size === 300, 25000);
    await new Promise((r) => setTimeout(r, 1000));
    expect([...seen.values()].every((who) => who.length === 1)).toBe(true);
    const workers = new Set([...seen.values()].flat());
    expect(workers).toEqual(new Set(['a', 'b']));
  });

  it('taking jobs in batches, two workers still run each exactly once; a slow job holds up none of its batch-mates, a failed one reruns alone', async () => {
    const batched: QueueOptions = { ...OPTIONS, concurrency: 10, batchSize: 5 };
    const seen = new Map<number, string[]>();
    const started = new Map<number, number>();
    const finished = new Map<number, number>();
    let slowDone = 0;
    const handler = (who: string) => async (job: Job<{ n: number }>) => {
      seen.set(job.data.n, [...(seen.get(job.data.n) ?? []), who]);
      started.set(job.data.n, Date.now());
      if (job.data.n === 0) {
        await new Promise((r) => setTimeout(r, 3000));
        slowDone = Date.now();
      }
      if (job.data.n === 1 && seen.get(1)!.length === 1) throw new Error('first try fails');
      finished.set(job.data.n, Date.now());
    };
    const [a, b] = [queue(handler('a'), batched), queue(handler('b'), batched)];
    await Promise.all([a.startWorkers(), b.startWorkers()]);
    await source.transaction((tx) => a.sendMany(tx, QUEUE, Array.from({ length: 300 }, (_, n) => ({ data: { n } }))));
    a.wake(QUEUE);
    b.wake(QUEUE);
    await until(() => finished.size === 300, 25000);
    await new Promise((r) => setTimeout(r, 1000));
    expect([...seen.entries()].filter(([n, who]) => who.length !== (n === 1 ? 2 : 1))).toEqual([]);
    // The jobs taken with the slow one (started in the same tick, by the same fetch) finished long before it.
    const mates = [...started.entries()].filter(([n, at]) => n !== 0 && Math.abs(at - started.get(0)!) < 20).map(([n]) => n);
    expect(mates.length).toBeGreaterThanOrEqual(4);
    expect(mates.filter((n) => finished.get(n)! > slowDone - 2000)).toEqual([]);
    const [{ count }] = await source.query(`SELECT count(*)::int AS count FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [QUEUE]);
    expect(count).toBe(300);
  });

  it('paced, starts at most perSecond handlers a second in a process, spread out, each job once', async () => {
    const paced: QueueOptions = { ...OPTIONS, concurrency: 8, batchSize: 4, perSecond: 20 };
    const started: number[] = [];
    const q = queue(async () => void started.push(Date.now()), paced);
    await q.startWorkers();
    await source.transaction((tx) => q.sendMany(tx, QUEUE, Array.from({ length: 21 }, (_, n) => ({ data: { n } }))));
    q.wake(QUEUE);
    await until(() => started.length === 21, 15000);
    started.sort((x, y) => x - y);
    // 21 starts at 20 a second: the last at least a second after the first (a loaded machine only delays them).
    expect(started[20] - started[0]).toBeGreaterThanOrEqual(950);
    // Half of them wait at least half that: spread out, not held and let go at once.
    expect(started[10] - started[0]).toBeGreaterThanOrEqual(450);
    await until(async () => (await source.query(`SELECT count(*)::int AS count FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [QUEUE]))[0].count === 21);
  });

  it('gives a job stopped mid-run back to the queue: it runs again after a restart, with the same id and data', async () => {
    const runs: { id: string; n: number; aborted?: boolean }[] = [];
    const first = queue(async (job) => {
      runs.push({ id: job.id, n: job.data.n });
      await new Promise<void>((_, reject) => job.signal.addEventListener('abort', () => reject(job.signal.reason as Error)));
    });
    await first.startWorkers();
    await source.transaction((tx) => first.send(tx, QUEUE, { n: 7 }));
    first.wake(QUEUE);
    await until(() => runs.length === 1);
    await first.stop(200);
    const second = queue(async (job) => void runs.push({ id: job.id, n: job.data.n }));
    await second.startWorkers();
    await until(() => runs.length === 2);
    expect(runs[1]).toEqual(runs[0]);
  });
});
