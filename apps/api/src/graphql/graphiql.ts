import type { FastifyInstance } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ASSETS: Record<string, { module: string; file: string; type: string }> = {
  'react.js': { module: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { module: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { module: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { module: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Headwaters GraphQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: window.location.origin + '/graphql' });
    const root = ReactDOM.createRoot(document.getElementById('graphiql'));
    root.render(React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: true,
      defaultQuery: '# Welcome to Headwaters, the XenServer tracker.\\n# Sign in with the login mutation and put the token in the headers tab:\\n# { "Authorization": "Bearer <token>" }\\n\\nquery Catalogue {\\n  upstreams { slug name forwarding }\\n}\\n',
    }));
  </script>
</body>
</html>`;

/**
 * GraphiQL for people with a browser at GET /graphql (the same address tools POST to), served
 * from the installed packages: these machines are offline, so nothing comes from a CDN.
 */
export function registerGraphiql(fastify: FastifyInstance): void {
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const [name, asset] of Object.entries(ASSETS)) {
    const path = join(packageDir(asset.module), asset.file);
    assets.set(name, { body: readFileSync(path), type: asset.type });
  }
  const compressed = new Map<string, Buffer>();
  fastify.get<{ Params: { name: string } }>('/graphiql/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.code(404).send({ message: 'Not found' });
    reply.type(asset.type).header('cache-control', 'public, max-age=86400').header('vary', 'accept-encoding');
    const encoding = preferredEncoding(request.headers['accept-encoding']);
    if (!encoding) return reply.send(asset.body);
    // Compressed once, at the best ratio, on first demand: the bundle is 3.5 MB, the same for everyone.
    const key = `${request.params.name}:${encoding}`;
    let body = compressed.get(key);
    if (!body) {
      body = encoding === 'br' ? brotliCompressSync(asset.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 8, [constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length } }) : gzipSync(asset.body, { level: 9 });
      compressed.set(key, body);
    }
    return reply.header('content-encoding', encoding).send(body);
  });
  // With a callback, not async: every request passes here, and an async hook costs each a promise.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET' || request.url.split('?')[0] !== '/graphql') return done();
    const query = request.query as Record<string, unknown> | undefined;
    const accept = request.headers.accept ?? '';
    // Answered here: the request goes no further (done is not called).
    if (query?.query === undefined && accept.includes('text/html')) return void reply.type('text/html; charset=utf-8').send(PAGE);
    done();
  });
}

/** The folder of an installed package, without relying on what its `exports` allow. */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || !dir.endsWith(name)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of ${name}`);
    dir = parent;
  }
  return dir;
}

/** br or gzip when the client takes it (br first), else null. */
function preferredEncoding(header: string | string[] | undefined): 'br' | 'gzip' | null {
  const accepted = new Map<string, number>();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  if ((accepted.get('br') ?? 0) > 0) return 'br';
  if ((accepted.get('gzip') ?? 0) > 0) return 'gzip';
  return null;
}
