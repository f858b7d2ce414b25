import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One POST as the receiver saw it, with whether its signature matched the receiver's secret. */
export interface ReceivedHook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as signed. */
  body: string;
  signatureValid: boolean;
  at: number;
}

/** How the receiver answers one request. */
export type HookAnswer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Answers, but only after `delayMs`. */
  | { status: number; body?: unknown; delayMs: number }
  /** Never answers: the sender's deadline has to end it. */
  | 'hang';

/**
 * A real HTTP server on 127.0.0.1 and a free port receiving webhook POSTs: it checks each
 * X-Headwaters-Signature-256 with `secret` (GitHub's scheme) and answers through `answer`
 * (200 by default). For "nobody listening", use {@link closedUrl}.
 */
export class WebhookReceiver {
  readonly hooks: ReceivedHook[] = [];
  answer: (hook: ReceivedHook, index: number) => HookAnswer = () => ({ status: 200 });
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  url = '';

  constructor(readonly secret: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const hook: ReceivedHook = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body, signatureValid: this.verify(body, req.headers['x-headwaters-signature-256']), at: Date.now() };
        this.hooks.push(hook);
        this.respond(res, this.answer(hook, this.hooks.length - 1));
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/headwaters`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** The POSTs of one delivery id (X-Headwaters-Delivery). */
  of(deliveryId: string): ReceivedHook[] {
    return this.hooks.filter((h) => h.headers['x-headwaters-delivery'] === deliveryId);
  }

  async waitFor(count: number, timeoutMs = 15000): Promise<ReceivedHook[]> {
    const end = Date.now() + timeoutMs;
    while (this.hooks.length < count) {
      if (Date.now() > end) throw new Error(`the webhook receiver got ${this.hooks.length} POSTs, not ${count}, within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.hooks;
  }

  private verify(body: string, header: string | string[] | undefined): boolean {
    if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
    const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`);
    const given = Buffer.from(header);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private respond(res: ServerResponse, answer: HookAnswer): void {
    if (answer === 'hang') return;
    const send = () => {
      if (res.destroyed) return;
      const json = answer.body !== undefined && typeof answer.body !== 'string';
      res.writeHead(answer.status, { 'content-type': json ? 'application/json' : 'text/plain', ...('headers' in answer ? answer.headers : {}) });
      res.end(answer.body === undefined ? '' : json ? JSON.stringify(answer.body) : String(answer.body));
    };
    if ('delayMs' in answer) setTimeout(send, answer.delayMs).unref();
    else send();
  }
}

/** An http URL on 127.0.0.1 where nothing listens: connections are refused. */
export async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hooks/nobody`;
}
