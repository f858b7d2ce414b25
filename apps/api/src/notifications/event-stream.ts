/**
 * An async iterator fed by pushes: what a GraphQL subscription returns. Values are turned into
 * results one at a time, in order; `stop` runs once when the client goes away (or the stream
 * ends), whatever the reason.
 */
export function eventStream<I, O>(convert: (value: I) => Promise<O | null>, stop: () => void, limit = 1000): { push(value: I): void; iterator: AsyncIterableIterator<O> } {
  const queued: I[] = [];
  let waiting: ((result: IteratorResult<O>) => void) | null = null;
  let done = false;
  let draining = false;

  const finish = () => {
    if (done) return;
    done = true;
    stop();
    queued.length = 0;
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };

  const drain = async () => {
    if (draining) return;
    draining = true;
    try {
      while (waiting && queued.length > 0 && !done) {
        const result = await convert(queued.shift()!);
        if (result === null || !waiting) continue;
        const resolve = waiting;
        waiting = null;
        resolve({ value: result, done: false });
      }
    } finally {
      draining = false;
    }
  };

  const iterator: AsyncIterableIterator<O> = {
    next: () =>
      new Promise<IteratorResult<O>>((resolve) => {
        if (done) return resolve({ value: undefined, done: true });
        waiting = resolve;
        void drain();
      }),
    return: async () => {
      finish();
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };

  return {
    push: (value: I) => {
      if (done) return;
      // A client that does not read is not allowed to grow the queue without end.
      if (queued.length >= limit) queued.shift();
      queued.push(value);
      void drain();
    },
    iterator,
  };
}
