import { ExpensiveGate, GateBusy } from './expensive-gate';

describe('the expensive-request gate', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    jest.useFakeTimers();
    clock = 0;
  });
  afterEach(() => jest.useRealTimers());

  /** Moves the gate's clock and the timers together. */
  const advance = async (ms: number) => {
    clock += ms;
    await jest.advanceTimersByTimeAsync(ms);
  };
  const settled = <T>(promise: Promise<T>) => {
    const state: { value?: T; error?: unknown; done: boolean } = { done: false };
    promise.then(
      (value) => Object.assign(state, { value, done: true }),
      (error: unknown) => Object.assign(state, { error, done: true }),
    );
    return state;
  };

  it('lets one in at a time, first come first served', async () => {
    const gate = new ExpensiveGate({ concurrency: 1, share: 1, maxWaitMs: 10_000, maxQueue: 10 }, now);
    const first = await gate.enter();
    const second = settled(gate.enter());
    const third = settled(gate.enter());
    await advance(1);
    expect([second.done, third.done]).toEqual([false, false]);
    expect(gate.state).toEqual({ running: 1, waiting: 2 });
    first();
    await advance(0);
    expect([second.done, third.done]).toEqual([true, false]);
    (second.value as () => void)();
    await advance(0);
    expect(third.done).toBe(true);
  });

  it('pauses after each so that expensive work takes at most its share of the time', async () => {
    const gate = new ExpensiveGate({ concurrency: 1, share: 0.25, maxWaitMs: 10_000, maxQueue: 10 }, now);
    const first = await gate.enter();
    const next = settled(gate.enter());
    await advance(100);
    first(); // it took 100 ms: at 25%, the next may start 300 ms later
    await advance(299);
    expect(next.done).toBe(false);
    await advance(1);
    expect(next.done).toBe(true);
    expect(next.value).toBeInstanceOf(Function);
  });

  it('refuses a request that waited too long, saying when to retry, and then serves the next', async () => {
    const gate = new ExpensiveGate({ concurrency: 1, share: 1, maxWaitMs: 500, maxQueue: 10 }, now);
    const first = await gate.enter();
    const late = settled(gate.enter());
    await advance(499);
    expect(late.done).toBe(false);
    await advance(1);
    expect(late.error).toBeInstanceOf(GateBusy);
    expect((late.error as GateBusy).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(gate.state).toEqual({ running: 1, waiting: 0 });
    first();
    await expect(gate.enter()).resolves.toBeInstanceOf(Function);
  });

  it('refuses at once when the queue is full', async () => {
    const gate = new ExpensiveGate({ concurrency: 1, share: 1, maxWaitMs: 10_000, maxQueue: 1 }, now);
    await gate.enter();
    void gate.enter().catch(() => undefined);
    await expect(gate.enter()).rejects.toBeInstanceOf(GateBusy);
  });

  it('drops a waiter whose client went away; the next gets the turn', async () => {
    const gate = new ExpensiveGate({ concurrency: 1, share: 1, maxWaitMs: 10_000, maxQueue: 10 }, now);
    const first = await gate.enter();
    let leave!: (error: Error) => void;
    const gone = settled(gate.enter(new Promise<Error>((resolve) => (leave = resolve))));
    const next = settled(gate.enter());
    leave(new Error('client went away'));
    await advance(0);
    expect((gone.error as Error).message).toBe('client went away');
    first();
    await advance(0);
    expect(next.done).toBe(true);
    expect(gate.state).toEqual({ running: 1, waiting: 0 });
  });

  it('gives a turn back only once', async () => {
    const gate = new ExpensiveGate({ concurrency: 2, share: 1, maxWaitMs: 10_000, maxQueue: 10 }, now);
    const first = await gate.enter();
    await gate.enter();
    first();
    first();
    expect(gate.state).toEqual({ running: 1, waiting: 0 });
  });
});
