import { Pacer } from './pacer';

describe('Pacer', () => {
  it('lets a lone start go at once, without a timer', async () => {
    const pacer = new Pacer(1);
    let started = false;
    void pacer.take().then(() => (started = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toBe(true);
  });

  it('spaces a burst evenly: at 100 a second, each start of a burst waits 10 ms more than the one before', async () => {
    const waits: number[] = [];
    const pacer = new Pacer(100, () => 1000, async (ms) => void waits.push(ms));
    await Promise.all(Array.from({ length: 11 }, () => pacer.take()));
    expect(waits.map(Math.round)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('saves nothing up while idle: after a pause the next burst is spaced again', () => {
    let clock = 0;
    const pacer = new Pacer(10, () => clock);
    void pacer.take();
    clock = 10_000;
    const waits: number[] = [];
    const takeAt = () => {
      const before = (pacer as unknown as { next: number }).next;
      void pacer.take().catch(() => undefined);
      waits.push(Math.max(0, before - clock));
    };
    takeAt();
    takeAt();
    takeAt();
    expect(waits).toEqual([0, 100, 200]);
  });

  it('never waits with no rate', async () => {
    const pacer = new Pacer(0);
    let started = 0;
    for (let i = 0; i < 1000; i++) void pacer.take().then(() => started++);
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toBe(1000);
  });

  it('gives up when the stop comes first', async () => {
    const pacer = new Pacer(1);
    await pacer.take();
    const stop = new AbortController();
    const waiting = pacer.take(stop.signal);
    stop.abort(new Error('the worker is stopping'));
    await expect(waiting).rejects.toThrow('the worker is stopping');
  });
});
