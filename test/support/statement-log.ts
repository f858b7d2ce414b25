import { Client } from 'pg';

/**
 * The statements the process's pg clients send (each one round trip to PostgreSQL), recorded
 * from `start()` until `stop()`. The job queue's polling (`pgboss.`) is left out: it runs on its
 * own connections whatever the request, so it is no request's cost.
 */
export class StatementLog {
  /** The text of every statement since the last `clear()`, in order. */
  statements: string[] = [];
  /** Those of them sent as named (prepared) statements. */
  named: string[] = [];
  private readonly original = Client.prototype.query;

  start(): void {
    const original = this.original as (...args: unknown[]) => unknown;
    const record = (first: unknown): void => {
      const text = typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '?');
      if (!text.includes('pgboss.')) this.statements.push(text);
      if (typeof first === 'object' && (first as { name?: string })?.name) this.named.push(text);
    };
    (Client.prototype as unknown as { query: unknown }).query = function (this: Client, ...args: unknown[]) {
      record(args[0]);
      return original.apply(this, args);
    };
  }

  clear(): void {
    this.statements = [];
    this.named = [];
  }

  stop(): void {
    Client.prototype.query = this.original;
  }
}
