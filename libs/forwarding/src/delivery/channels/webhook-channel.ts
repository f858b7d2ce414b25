import { createHmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { DeliveryRecord, DeliveryResponse } from '../delivery.records';
import { ForbiddenAddressError, guardedLookup, isPrivateAddress } from './address-guard';
import type { DeliveryChannelSender, SendContext, SendOutcome } from './channel';
import { productVersion } from './product-version';

export interface WebhookChannelOptions {
  timeoutMs: number;
  /** Let POSTs reach loopback, private and link-local addresses. */
  allowPrivate: boolean;
}

/** Read of an answer's body at most (enough for a reference and a URL). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** `sha256=<hex HMAC-SHA256 of the raw body>`, GitHub's scheme. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * Signed webhook POSTs: `X-Headwaters-Signature-256` over the raw body, the same delivery id on
 * every attempt, a deadline for the whole exchange, redirects not followed, and (unless allowed)
 * no request to an address that is not public, checked on the address actually connected to.
 */
export class WebhookChannel implements DeliveryChannelSender {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 64 });
  private readonly userAgent = `Headwaters/${productVersion()}`;

  constructor(private readonly options: WebhookChannelOptions) {}

  async send(delivery: DeliveryRecord, context: SendContext): Promise<SendOutcome> {
    const url = new URL(delivery.destination);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `${url.protocol} URLs are not POSTed to` };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!this.options.allowPrivate && isIP(host) && isPrivateAddress(host)) return { ok: false, error: new ForbiddenAddressError(host, host).message };
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': this.userAgent,
      'x-headwaters-event': delivery.event,
      'x-headwaters-delivery': delivery.messageId,
      'content-length': String(Buffer.byteLength(delivery.payload)),
    };
    if (context.secret) headers['x-headwaters-signature-256'] = webhookSignature(context.secret, delivery.payload);
    const answer = await this.post(url, headers, delivery.payload, context.signal);
    if ('error' in answer) return { ok: false, error: answer.error };
    const { status, location, body, json } = answer;
    if (status >= 200 && status < 300) return { ok: true, response: json ? responseOf(body) : undefined };
    if (status >= 300 && status < 400) return { ok: false, error: `HTTP ${status}: redirects are not followed${location ? ` (to ${location.slice(0, 200)})` : ''}` };
    return { ok: false, error: `HTTP ${status}${body ? `: ${body.slice(0, 200).replace(/\s+/g, ' ')}` : ''}` };
  }

  async close(): Promise<void> {
    this.http.destroy();
    this.https.destroy();
  }

  private post(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<{ status: number; location?: string; body: string; json: boolean } | { error: string }> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    const seconds = `${Math.round(this.options.timeoutMs) / 1000} s`;
    return new Promise((resolve, reject) => {
      const https = url.protocol === 'https:';
      const request = (https ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        headers,
        agent: https ? this.https : this.http,
        lookup: this.options.allowPrivate ? undefined : guardedLookup,
      });
      let settled = false;
      const finish = (outcome: { status: number; location?: string; body: string; json: boolean } | { error: string } | Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        signal.removeEventListener('abort', onAbort);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const deadline = setTimeout(() => {
        request.destroy();
        finish({ error: `no answer within ${seconds} (timed out)` });
      }, this.options.timeoutMs);
      const onAbort = () => {
        request.destroy();
        finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error: NodeJS.ErrnoException) => finish({ error: describe(error, url) }));
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('error', (error) => finish({ error: describe(error, url) }));
        response.on('end', () =>
          finish({
            status: response.statusCode ?? 0,
            location: typeof response.headers.location === 'string' ? response.headers.location : undefined,
            body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8'),
            json: /\bjson\b/i.test(response.headers['content-type'] ?? ''),
          }),
        );
      });
      request.end(body);
    });
  }
}

function describe(error: NodeJS.ErrnoException, url: URL): string {
  if (error.code === 'EFORBIDDENADDRESS') return error.message;
  if (error.code === 'ECONNREFUSED') return `connection refused by ${url.host}`;
  if (error.code === 'ENOTFOUND') return `${url.hostname} does not resolve`;
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return `${url.host} closed the connection`;
  return `${error.code ? `${error.code}: ` : ''}${error.message}`;
}

/** The receiver's own record of what it received, when its 2xx JSON answer names one. */
function responseOf(body: string): DeliveryResponse | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const { reference, url } = parsed as Record<string, unknown>;
  const result: DeliveryResponse = {};
  if ((typeof reference === 'string' && reference.trim()) || typeof reference === 'number') result.reference = String(reference).trim().slice(0, 200);
  if (typeof url === 'string' && url.length <= 500 && /^https?:\/\/[^\s]+$/i.test(url)) result.url = url;
  return result.reference || result.url ? result : undefined;
}
