import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The session token of the identity library (what login and register return). */
export const SESSION_COOKIE = 'hw_session';
/** A random value every form posts back (double submit): a page of another site cannot read it. */
export const CSRF_COOKIE = 'hw_csrf';
/** One message for the next page after a redirect ("Filed #12"). */
export const FLASH_COOKIE = 'hw_flash';

const SESSION_MAX_AGE = 30 * 24 * 3600;

/** The cookies of a request, decoded. */
export function cookiesOf(request: FastifyRequest): Record<string, string> {
  const header = request.headers.cookie;
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in cookies) continue;
    try {
      cookies[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // a cookie we did not write; ignore it
    }
  }
  return cookies;
}

/** Whether the client reached us over https (directly or, with TRUST_PROXY, through a proxy). */
export function isSecure(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/** Adds a Set-Cookie header (HttpOnly, SameSite=Lax, Secure behind https) without dropping earlier ones. */
export function setCookie(request: FastifyRequest, reply: FastifyReply, name: string, value: string, maxAgeSeconds?: number): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (isSecure(request)) parts.push('Secure');
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  list.push(parts.join('; '));
  reply.header('set-cookie', list);
}

export function clearCookie(request: FastifyRequest, reply: FastifyReply, name: string): void {
  setCookie(request, reply, name, '', 0);
}

export function startSession(request: FastifyRequest, reply: FastifyReply, token: string): void {
  setCookie(request, reply, SESSION_COOKIE, token, SESSION_MAX_AGE);
}

/** The request's CSRF token, making (and setting) one when it has none yet. */
export function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
  const existing = cookiesOf(request)[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{20,100}$/.test(existing)) return existing;
  const fresh = randomBytes(24).toString('base64url');
  setCookie(request, reply, CSRF_COOKIE, fresh);
  // Later calls in the same request must see the same value.
  (request.headers as Record<string, string>).cookie = `${request.headers.cookie ? `${request.headers.cookie}; ` : ''}${CSRF_COOKIE}=${fresh}`;
  return fresh;
}

/**
 * Whether a form post is ours: its `_csrf` field equals the CSRF cookie, and when the browser
 * says where the post comes from, it comes from this host.
 */
export function validPost(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    try {
      if (new URL(origin).host !== request.host) return false;
    } catch {
      return false;
    }
  }
  const cookie = cookiesOf(request)[CSRF_COOKIE];
  // A file upload's token rides in its action's query string: its multipart body is streamed on, unread.
  const sent = (request.body as Record<string, unknown> | undefined)?._csrf ?? (request.query as Record<string, unknown> | undefined)?._csrf;
  if (!cookie || typeof sent !== 'string' || sent.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(cookie));
}

/** Sets the message the next page shows. */
export function flash(request: FastifyRequest, reply: FastifyReply, message: string): void {
  setCookie(request, reply, FLASH_COOKIE, message.slice(0, 300), 60);
}

/** Takes the pending message (once). */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): string | undefined {
  const message = cookiesOf(request)[FLASH_COOKIE];
  if (message) clearCookie(request, reply, FLASH_COOKIE);
  return message || undefined;
}
