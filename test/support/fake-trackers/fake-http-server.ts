import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How a fake tracker misbehaves for one record (or for every request, under the key '*'). */
export type FaultMode = 'error500' | 'garbage' | 'hang' | 'drop';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A real HTTP server on 127.0.0.1 and a free port, for a fake upstream tracker: it records every
 * request and answers through `handle`, unless a fault is set for the request's key.
 */
export abstract class FakeHttpServer {
  readonly requests: SeenRequest[] = [];
  private readonly faults = new Map<string, FaultMode>();
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Makes requests for `key` (a record's key, or '*' for all) fail in that way; null clears it. */
  fault(key: string, mode: FaultMode | null): void {
    if (mode === null) this.faults.delete(key);
    else this.faults.set(key, mode);
  }

  /** The requests whose path starts with `prefix`. */
  seen(prefix = ''): SeenRequest[] {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  /** The record a request is about, for faults; null when it names none. */
  protected abstract keyOf(req: SeenRequest): string | null;

  protected abstract handle(req: SeenRequest, res: ServerResponse): void;

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(seen);
    const key = this.keyOf(seen);
    const mode = (key !== null ? this.faults.get(key) : undefined) ?? this.faults.get('*');
    switch (mode) {
      case 'error500':
        res.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body><h1>500 Internal Server Error</h1></body></html>');
        return;
      case 'garbage':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('\u0000\u00ff<<garbage>> {not json');
        return;
      case 'hang':
        return; // never answers; the client's deadline has to end it
      case 'drop':
        req.socket.destroy();
        return;
      default:
        this.handle(seen, res);
    }
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}
