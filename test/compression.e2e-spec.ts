import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from './support/test-app';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP request with the bytes exactly as they came (no automatic decompression). */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function decode(answer: RawAnswer): Buffer {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(answer.body);
  if (encoding === 'gzip') return gunzipSync(answer.body);
  return answer.body;
}

const INTROSPECTION = JSON.stringify({ query: '{ __schema { types { name description fields { name description } } } }' });

describe('compression', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it.each(['br', 'gzip'])('compresses a large GraphQL answer with %s', async (encoding) => {
    const plain = await raw(app.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: INTROSPECTION });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const packed = await raw(app.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': encoding }, body: INTROSPECTION });
    expect(packed.status).toBe(200);
    expect(packed.headers['content-encoding']).toBe(encoding);
    expect(packed.headers.vary).toMatch(/accept-encoding/i);
    expect(packed.body.length).toBeLessThan(plain.body.length / 4);
    expect(JSON.parse(decode(packed).toString())).toEqual(JSON.parse(plain.body.toString()));
  });

  it('prefers br when the client takes both, as browsers say', async () => {
    const packed = await raw(app.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate, br, zstd' }, body: INTROSPECTION });
    expect(packed.headers['content-encoding']).toBe('br');
  });

  it('leaves an answer under 1 KB as it is', async () => {
    const small = await raw(app.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': 'br, gzip' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ data: { __typename: 'Query' } });
  });

  it.each(['br', 'gzip'])('serves GraphiQL\'s bundle with %s', async (encoding) => {
    const plain = await raw(`${app.url}/graphiql/graphiql.js`, {});
    const packed = await raw(`${app.url}/graphiql/graphiql.js`, { headers: { 'accept-encoding': encoding } });
    expect(packed.status).toBe(200);
    expect(packed.headers['content-encoding']).toBe(encoding);
    expect(packed.headers['content-type']).toMatch(/javascript/);
    expect(plain.body.length).toBeGreaterThan(1_000_000);
    expect(packed.body.length).toBeLessThan(plain.body.length / 4);
    expect(decode(packed).equals(plain.body)).toBe(true);
    const again = await raw(`${app.url}/graphiql/graphiql.js`, { headers: { 'accept-encoding': encoding } });
    expect(again.body.equals(packed.body)).toBe(true);
  });

  it('takes br;q=0 as a refusal of br', async () => {
    const answer = await raw(`${app.url}/graphiql/react-dom.js`, { headers: { 'accept-encoding': 'gzip;q=1, br;q=0' } });
    expect(answer.headers['content-encoding']).toBe('gzip');
  });
});
