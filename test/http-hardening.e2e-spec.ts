import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createActor, type TestActor } from './support/actors';
import { fileBug, suggestFeature, writtenCounts } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

/** Sends raw bytes and resolves with what the server answered and whether it closed the connection. */
function raw(url: string, bytes: string, waitMs: number): Promise<{ answer: string; closed: boolean; closedAfterMs: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let answer = '';
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer, closed, closedAfterMs: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(bytes);
  });
}

describe('HTTP hardening', () => {
  let app: TestApp;
  let alice: TestActor;
  const lines: string[] = [];

  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    app = await startTestApp({ logStream, config: { LOG_LEVEL: 'debug', HTTP_REQUEST_TIMEOUT_MS: 600, HTTP_IDLE_TIMEOUT_MS: 400, HTTP_KEEP_ALIVE_TIMEOUT_MS: 300 } });
    alice = await createActor(app);
  });
  afterAll(() => app.close());

  it('cuts off a body shorter than its Content-Length', async () => {
    const body = '{"query":"{ __typename }"}';
    const result = await raw(app.graphqlUrl, `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 50}\r\n\r\n${body}`, 5000);
    expect(result.closed).toBe(true);
    expect(result.closedAfterMs).toBeLessThan(3000);
    expect(result.answer).not.toMatch(/"data"/);
  });

  it('cuts off a request that dribbles in slower than the request timeout', async () => {
    const { hostname, port } = new URL(app.url);
    const socket = connect(Number(port), hostname);
    const started = Date.now();
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
    socket.on('error', () => undefined);
    socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n');
    const drip = setInterval(() => socket.writable && socket.write(' '), 150);
    const after = await closed;
    clearInterval(drip);
    expect(after).toBeLessThan(3000);
  });

  it('closes an idle keep-alive connection', async () => {
    const result = await raw(app.url, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n', 5000);
    expect(result.answer).toMatch(/^HTTP\/1.1 200/);
    expect(result.closed).toBe(true);
  });

  it.each([
    ['a form post', 'application/x-www-form-urlencoded', 'query=%7B__typename%7D'],
    ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{__typename}\r\n--x--'],
    ['text', 'text/plain', '{"query":"{ __typename }"}'],
    ['JSON in UTF-16', 'application/json; charset=utf-16', Buffer.from('{"query":"{ __typename }"}', 'utf16le')],
    ['JSON in Latin-1', 'application/json;charset="iso-8859-1"', '{"query":"{ __typename }"}'],
  ])('refuses %s with 415, running nothing', async (_, type, body) => {
    const before = await writtenCounts(app);
    const response = await fetch(app.graphqlUrl, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${alice.token}` }, body });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
    expect(await writtenCounts(app)).toEqual(before);
  });

  it('refuses a compressed body with 415, naming its Content-Encoding, running nothing; identity is no encoding', async () => {
    const before = await writtenCounts(app);
    const operation = JSON.stringify({ query: 'mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { number } } }', variables: { input: { title: 'Sent compressed', description: 'd' } } });
    const response = await fetch(app.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${alice.token}` }, body: gzipSync(operation) });
    expect(response.status).toBe(415);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(body.errors[0].message).toMatch(/Content-Encoding gzip/);
    expect(await writtenCounts(app)).toEqual(before);
    const plain = await fetch(app.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'identity' }, body: '{"query":"{ __typename }"}' });
    expect(plain.status).toBe(200);
  });

  it('takes JSON in UTF-8, said or not', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8']) {
      const response = await fetch(app.graphqlUrl, { method: 'POST', headers: { 'content-type': type }, body: '{"query":"{ __typename }"}' });
      expect(response.status).toBe(200);
    }
  });

  it('refuses a FeatureSuggestion ID where the item is a Bug, and the reverse, naming the field', async () => {
    const bug = await fileBug(app, alice, { title: 'A bug, not a feature' });
    const feature = await suggestFeature(app, alice, { title: 'A feature, not a bug' });
    const retype = (id: string, type: string) => Buffer.from(`${type}:${Buffer.from(id, 'base64url').toString().split(':')[1]}`).toString('base64url');
    const before = await writtenCounts(app);
    for (const [id, field] of [[retype(bug.id, 'FeatureSuggestion'), 'itemId'], [retype(feature.id, 'Bug'), 'itemId']]) {
      const vote = await app.gql(`mutation ($id: ID!) { vote(input: { itemId: $id }) { item { id } } }`, { id }, { token: alice.token });
      expect(errorCodes(vote)).toEqual(['BAD_USER_INPUT']);
      expect(vote.body.errors![0].extensions).toMatchObject({ field, reason: 'INVALID_ID' });
    }
    const duplicate = await app.gql(`mutation ($a: ID!, $b: ID!) { markDuplicate(input: { itemId: $a, duplicateOfId: $b }) { item { id } } }`, { a: bug.id, b: retype(feature.id, 'Bug') }, { token: alice.token });
    expect(duplicate.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'duplicateOfId' });
    expect(await writtenCounts(app)).toEqual(before);
    const right = await app.gql(`mutation ($id: ID!) { vote(input: { itemId: $id }) { item { id } } }`, { id: feature.id }, { token: alice.token });
    expect(right.body.errors).toBeUndefined();
  });

  it('logs request URLs at debug level with their variables and tokens redacted', async () => {
    const secret = 'hw_secret_token_value_123';
    const query = encodeURIComponent('query ($t: String!) { search(query: $t) { totalCount } }');
    await fetch(`${app.graphqlUrl}?query=${query}&variables=${encodeURIComponent(JSON.stringify({ t: secret }))}&token=${secret}`);
    await new Promise((r) => setTimeout(r, 50));
    const logged = lines.join('');
    expect(logged).toMatch(/incoming request/);
    expect(logged).toMatch(/variables=%5Bredacted%5D|variables=\[redacted\]/);
    expect(logged).not.toContain(secret);
  });
});
