import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { securityHeaders } from './page';

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const CLIENT_DIR = join(__dirname, 'client');

/**
 * The pages' script: built next to this file by the build; when the server runs from its
 * sources (the tests), compiled here from the TypeScript with the same compiler.
 */
function clientScript(): string {
  const built = join(CLIENT_DIR, 'site.js');
  if (existsSync(built)) return readFileSync(built, 'utf8');
  const swc = require('@swc/core') as typeof import('@swc/core');
  return swc.transformFileSync(join(CLIENT_DIR, 'site.ts'), {
    isModule: false,
    sourceMaps: false,
    jsc: { target: 'es2020', parser: { syntax: 'typescript' }, minify: { compress: true, mangle: true } },
    minify: true,
  }).code;
}

function asset(body: string | Buffer, type: string): Asset {
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { body: buffer, type, etag: `"${createHash('sha1').update(buffer).digest('base64url').slice(0, 16)}"` };
}

/** Serves the pages' stylesheet, script and icon from this process (nothing comes from another host). */
export function registerAssets(fastify: FastifyInstance): Map<string, Asset> {
  const assets = new Map<string, Asset>([
    ['site.css', asset(readFileSync(join(CLIENT_DIR, 'site.css')), 'text/css; charset=utf-8')],
    ['site.js', asset(clientScript(), 'text/javascript; charset=utf-8')],
    ['icon.svg', asset(readFileSync(join(CLIENT_DIR, 'icon.svg')), 'image/svg+xml')],
  ]);
  fastify.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const found = assets.get(request.params.name);
    if (!found) return reply.code(404).type('text/plain').send('Not found');
    securityHeaders(reply).header('cache-control', 'public, max-age=3600').header('etag', found.etag);
    if (request.headers['if-none-match'] === found.etag) return reply.code(304).send();
    return reply.type(found.type).send(found.body);
  });
  fastify.get('/favicon.ico', async (_request, reply) => reply.redirect('/assets/icon.svg', 301));
  return assets;
}
