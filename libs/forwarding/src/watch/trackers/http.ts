import { TrackerCheckError } from './tracker-client';

/** Largest answer read from a tracker: a bug's status is small, so more is garbage. */
export const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  body: string;
}

/**
 * One HTTP request to a tracker with a deadline covering the whole answer; every way it can fail
 * becomes a TrackerCheckError whose message names the tracker (`who`) and says what happened.
 */
export async function requestTracker(who: string, url: string, init: RequestInit, timeoutMs: number): Promise<HttpAnswer> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { ...init, signal, redirect: 'follow' });
    const body = await readCapped(res);
    return { status: res.status, statusText: res.statusText, headers: res.headers, body };
  } catch (e) {
    if (e instanceof TrackerCheckError) throw e;
    if (signal.aborted) throw new TrackerCheckError('timeout', `${who} did not answer within ${Math.round(timeoutMs / 100) / 10} s`);
    throw new TrackerCheckError('unreachable', `${who} could not be reached: ${networkWords(e)}`);
  }
}

async function readCapped(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_ANSWER_BYTES) {
    await res.body?.cancel();
    throw new TrackerCheckError('bad_answer', `the answer is too large (${declared} bytes)`);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) throw new TrackerCheckError('bad_answer', `the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function networkWords(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its host name does not resolve';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed before an answer';
    default:
      return cause?.message ?? (e instanceof Error ? e.message : String(e));
  }
}

/** Parses a JSON answer, or says that the tracker answered something else. */
export function jsonOf<T>(who: string, answer: HttpAnswer): T {
  try {
    return JSON.parse(answer.body) as T;
  } catch {
    throw new TrackerCheckError('bad_answer', `${who} answered ${answer.status} with something that is not JSON (${snippet(answer.body)})`);
  }
}

/** A 5xx or another unexpected status, in words. */
export function statusFailure(who: string, answer: HttpAnswer): TrackerCheckError {
  const words = `${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
  if (answer.status >= 500) return new TrackerCheckError('unavailable', `${who} answered ${words}`, retryAfter(answer.headers));
  return new TrackerCheckError('refused', `${who} answered ${words}`);
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfter(headers: Headers, now: Date = new Date()): Date | null {
  const value = headers.get('retry-after');
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return new Date(now.getTime() + Number(value.trim()) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : new Date(at);
}

export function snippet(text: string): string {
  // Control characters (a NUL above all) would not even fit in a text column: shown as U+FFFD.
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd').replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `"${flat.slice(0, 60)}..."` : `"${flat}"`;
}

export const hhmm = (d: Date): string => `${d.toISOString().slice(11, 16)} UTC`;
