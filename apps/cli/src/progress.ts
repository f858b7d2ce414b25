import { SingleBar } from 'cli-progress';

/** Rows done out of a total, shown while a long export or import runs. */
export interface Progress {
  update(done: number, total: number, table: string): void;
  stop(): void;
}

/**
 * On a terminal, a progress bar (cli-progress) on stderr with rows per second and the time left;
 * elsewhere (a pipe, a log file, CI), a plain line at most every 2 seconds and one at the end.
 */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {speed} rows/s | ETA {eta_formatted} | {table}`,
      barCompleteChar: '#',
      barIncompleteChar: '-',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    });
    const started = Date.now();
    let running = false;
    return {
      update(done, total, table) {
        const speed = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
        if (!running) {
          bar.start(Math.max(total, 1), done, { table, speed });
          running = true;
        }
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { table, speed });
      },
      stop() {
        if (running) bar.stop();
      },
    };
  }
  const started = Date.now();
  let last = 0;
  let latest: [number, number, string] | undefined;
  const line = (done: number, total: number, table: string) => {
    const seconds = (Date.now() - started) / 1000;
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    stream.write(`${label}: ${done}/${total} rows (${percent}%), ${Math.round(done / Math.max(seconds, 0.001))} rows/s, ${table}\n`);
  };
  return {
    update(done, total, table) {
      latest = [done, total, table];
      const now = Date.now();
      if (now - last >= 2000 || done === total) {
        last = now;
        line(done, total, table);
        latest = undefined;
      }
    },
    stop() {
      if (latest) line(...latest);
    },
  };
}
