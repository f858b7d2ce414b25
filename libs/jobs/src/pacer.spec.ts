import { Pacer } from './pacer';

describe('Pacer', () => {
  it('lets a lone start go at once, and spaces a burst evenly', async () => {
    const pacer = new Pacer(100);
    const started = performance.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 11 }, () => pacer.take().then(() => times.push(performance.now() - started))));
    times.sort((a, b) => a - b);
    expect(times[0]).toBeLessThan(5);
    // The eleventh of a burst starts 10 intervals (100 ms) after the first, not before.
    expect(times[10]).toBeGreaterThanOrEqual(95);
    expect(times[10]).toBeLessThan(400);
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
    const started = performance.now();
    await Promise.all(Array.from({ length: 1000 }, () => pacer.take()));
    expect(performance.now() - started).toBeLessThan(50);
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
