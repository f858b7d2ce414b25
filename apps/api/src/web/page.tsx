import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Actor } from '@headwaters/core';
import type { Authenticator } from '../graphql/request-context';
import { Layout, type Chrome } from './components/layout';
import { runGraphql, statusOf, type ApiError, type ApiResult } from './graphql-runner';
import { PageRequestContext } from './page-context';
import { SESSION_COOKIE, clearCookie, cookiesOf, csrfToken, flash, takeFlash } from './session';
import type { PublicCache } from './public-cache';
import type { SchemaFeatures } from './schema-features';

/** What the pages share: the Fastify instance (and its in-process GraphQL), who is who, and what the schema offers. */
export interface WebDeps {
  fastify: FastifyInstance;
  authenticator: Authenticator;
  features: SchemaFeatures;
  cache: PublicCache;
}

/** How many items each upstream has open, as anonymous visitors count them (cached: see PublicCache). */
export const OPEN_COUNTS = `query OpenCounts { upstreams { slug name items(filter: { closed: false }, first: 1) { totalCount } } }`;
export interface OpenCounts {
  upstreams: { slug: string; name: string; items: { totalCount: number } }[];
}

// script-src 'self': only our own script file runs; no inline script, no inline style, nothing
// from another host, and forms post only here.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Security headers of every page and asset. */
export function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY');
}

/** One page request: its GraphQL context (the viewer from the session cookie) and how to answer. */
export class Page {
  readonly context: PageRequestContext;

  constructor(
    readonly deps: WebDeps,
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
  ) {
    this.context = new PageRequestContext(request, reply, deps.authenticator, cookiesOf(request)[SESSION_COOKIE]);
  }

  /** The session token of the cookie, if any (for the upload route, which reads a bearer token). */
  sessionToken(): string | undefined {
    return cookiesOf(this.request)[SESSION_COOKIE];
  }

  get features(): SchemaFeatures {
    return this.deps.features;
  }

  /** Runs an operation through the API's schema as this page's viewer. */
  gql<T>(source: string, variables?: Record<string, unknown>): Promise<ApiResult<T>> {
    return runGraphql<T>(this.deps.fastify, this.context, source, variables);
  }

  /** Runs a query as an anonymous visitor, its answer shared by every visitor for a few seconds. */
  async publicGql<T>(key: string, source: string): Promise<ApiResult<T>> {
    return this.deps.cache.get(key, async () => {
      const result = await runGraphql<T>(this.deps.fastify, new PageRequestContext(this.request, this.reply, this.deps.authenticator, undefined), source);
      if (!result.data) throw Object.assign(new Error('not cacheable'), { result });
      return result;
    }).catch((error: { result?: ApiResult<T> }) => {
      if (error.result) return error.result;
      throw error;
    });
  }

  async actor(): Promise<Actor | null> {
    const actor = await this.context.actor();
    if (this.context.staleSession) clearCookie(this.request, this.reply, SESSION_COOKIE);
    return actor;
  }

  async chrome(query?: string): Promise<Chrome> {
    const actor = await this.actor();
    return {
      viewer: actor ? { username: actor.username, maintainer: actor.grants.length > 0 } : null,
      csrf: csrfToken(this.request, this.reply),
      flash: takeFlash(this.request, this.reply),
      query,
    };
  }

  /** Whether the page's script asked (fetch) for a JSON answer instead of a redirect. */
  wantsJson(): boolean {
    return (this.request.headers.accept ?? '').startsWith('application/json');
  }

  async render(title: string, body: (chrome: Chrome) => ComponentChildren, options: { status?: number; query?: string } = {}): Promise<FastifyReply> {
    const chrome = await this.chrome(options.query);
    const html = `<!doctype html>${renderToString(
      <Layout chrome={chrome} title={title}>
        {body(chrome)}
      </Layout>,
    )}`;
    return securityHeaders(this.reply)
      .code(options.status ?? 200)
      .header('cache-control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  }

  /** POST-redirect-GET: after a change, the browser loads the page that shows it. */
  redirect(to: string, message?: string): FastifyReply {
    if (message) flash(this.request, this.reply, message);
    return this.reply.code(303).header('location', to).send();
  }

  /** Sends anonymous visitors to sign in first, coming back here afterwards. */
  toLogin(back: string): FastifyReply {
    return this.redirect(`/login?next=${encodeURIComponent(back)}`, 'Sign in first.');
  }

  /** A page saying what went wrong, with the status the API's error code stands for. */
  async error(error: ApiError | { code: string; message: string }, back?: string): Promise<FastifyReply> {
    if (error.code === 'UNAUTHENTICATED' && back) return this.toLogin(back);
    const status = statusOf(error.code);
    const title = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Something went wrong';
    return this.render(
      title,
      () => (
        <section class="narrow">
          <h1>{title}</h1>
          <p role="alert" class="error">
            {error.code === 'INTERNAL_SERVER_ERROR' ? 'Something went wrong on our side; it was logged.' : error.message}
          </p>
          <p>
            <a href={back ?? '/'}>Back</a>
          </p>
        </section>
      ),
      { status },
    );
  }

  notFound(what: string): Promise<FastifyReply> {
    return this.error({ code: 'NOT_FOUND', message: `${what} does not exist.` }, '/');
  }
}

/** A form post's text fields (strings only; anything else is dropped). */
export function formOf(request: FastifyRequest): Record<string, string> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') fields[key] = value[0];
  }
  return fields;
}

/** A query-string parameter as one string. */
export function param(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** A local path to go back to after signing in (never another site). */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
