import { Injectable } from '@nestjs/common';
import { AppConfig } from '@headwaters/config';

export interface ExpensiveGateOptions {
  /** Expensive requests running at once. */
  concurrency: number;
  /** Most of the process's time they may take together (0 to 1]. */
  share: number;
  /** Longest a request waits for its turn, in ms. */
  maxWaitMs: number;
  /** Most requests waiting at once (more are refused at once). */
  maxQueue: number;
}

/** The gate's answer when a request did not get its turn: too many expensive requests ahead of it. */
export class GateBusy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('The server is busy with other expensive queries: try again shortly, or ask for less (fewer counts, searches or aliases)');
    this.name = 'GateBusy';
  }
}

interface Waiter {
  admit: (release: () => void) => void;
  refuse: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

/**
 * Where expensive requests wait their turn, one process's worth. At most `concurrency` run at
 * once, first come first served; and when one has taken t ms, the next may start only
 * t x (1 - share) / share ms after it (none, with share 1), so that expensive work takes at most
 * that share of the process's time: the event loop, the pool and the database's cores stay free
 * for cheap requests the rest of the time. A request that waits longer than `maxWaitMs` (or finds
 * `maxQueue` ahead of it) is refused with GateBusy; one whose client has gone leaves the queue.
 */
export class ExpensiveGate {
  private running = 0;
  private restUntil = 0;
  private readonly queue: Waiter[] = [];
  private wake?: NodeJS.Timeout;

  constructor(
    private readonly options: ExpensiveGateOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Requests running and waiting now. */
  get state(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.queue.length };
  }

  /**
   * Resolves with the function that gives the turn back once the request has its turn; rejects
   * with GateBusy after `maxWaitMs`, or with `abandoned`'s error when that settles first.
   */
  enter(abandoned?: Promise<Error>): Promise<() => void> {
    if (this.queue.length === 0 && this.canStart()) return Promise.resolve(this.start());
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(new GateBusy(this.retryAfter()));
    return new Promise((admit, refuse) => {
      const waiter: Waiter = { admit, refuse };
      const leave = (error: Error) => {
        const at = this.queue.indexOf(waiter);
        if (at < 0) return;
        this.queue.splice(at, 1);
        clearTimeout(waiter.timer);
        refuse(error);
      };
      waiter.timer = setTimeout(() => leave(new GateBusy(this.retryAfter())), this.options.maxWaitMs);
      waiter.timer.unref?.();
      void abandoned?.then(leave);
      this.queue.push(waiter);
      this.schedule();
    });
  }

  private canStart(): boolean {
    return this.running < this.options.concurrency && this.now() >= this.restUntil;
  }

  private start(): () => void {
    this.running++;
    const started = this.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const took = this.now() - started;
      const share = this.options.share;
      if (share < 1) this.restUntil = Math.max(this.restUntil, this.now() + (took * (1 - share)) / share);
      this.schedule();
    };
  }

  /** Lets the next waiters in, now or when the pause after the last one ends. */
  private schedule(): void {
    while (this.queue.length > 0 && this.canStart()) {
      const waiter = this.queue.shift()!;
      clearTimeout(waiter.timer);
      waiter.admit(this.start());
    }
    if (this.queue.length === 0 || this.wake || this.running >= this.options.concurrency) return;
    this.wake = setTimeout(
      () => {
        this.wake = undefined;
        this.schedule();
      },
      Math.max(1, Math.ceil(this.restUntil - this.now())),
    );
    this.wake.unref?.();
  }

  /** Seconds after which a retry has a fair chance: the pause still to come, at least 1. */
  private retryAfter(): number {
    return Math.max(1, Math.ceil((this.restUntil - this.now()) / 1000));
  }
}

/** The process's one gate, configured from QUERY_EXPENSIVE_*. */
@Injectable()
export class ExpensiveRequests extends ExpensiveGate {
  constructor(config: AppConfig) {
    super({ concurrency: config.QUERY_EXPENSIVE_CONCURRENCY, share: config.QUERY_EXPENSIVE_SHARE, maxWaitMs: config.QUERY_EXPENSIVE_WAIT_MS, maxQueue: 1000 });
  }
}
