import { createHash, randomBytes } from 'node:crypto';
import { createActor, type TestActor } from './support/actors';
import { fileBug, type FiledItem } from './support/items';
import { startTestApp, type TestApp } from './support/test-app';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const MAX = 700_000;

/** POSTs one multipart upload, as a browser or curl -F would. */
async function upload(app: TestApp, number: number, file: { name: string; bytes: Buffer; type?: string; field?: string }, token?: string) {
  const form = new FormData();
  form.append(file.field ?? 'file', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const response = await fetch(`${app.url}/items/${number}/attachments`, { method: 'POST', body: form, headers });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> & { errors?: { extensions: { code: string } }[] } };
}

async function stored(app: TestApp) {
  const [row] = await app.sql<{ attachments: number; chunks: number; events: number }>(
    `SELECT (SELECT count(*)::int FROM attachment) AS attachments, (SELECT count(*)::int FROM attachment_chunk) AS chunks,
            (SELECT count(*)::int FROM timeline_event WHERE type = 'ATTACHED') AS events`,
  );
  return row;
}

describe('attachments', () => {
  let app: TestApp;
  let reporter: TestActor;
  let other: TestActor;
  let bug: FiledItem;

  beforeAll(async () => {
    app = await startTestApp({ config: { ATTACHMENT_MAX_BYTES: MAX } });
    reporter = await createActor(app);
    other = await createActor(app);
    bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
  });
  afterAll(() => app.close());

  it('stores a file whose type comes from its bytes, and serves it as a download', async () => {
    const response = await upload(app, bug.number, { name: '../../screen shot.png', bytes: PNG, type: 'text/html' }, other.token);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), url: expect.stringMatching(/^\/attachments\/\d+\/screen%20shot\.png$/) });

    const listed = await app.gql<{ item: { attachments: Record<string, unknown>[]; timeline: { nodes: { type: string; summary: string }[] } } }>(
      `query ($n: Int!) { item(number: $n) { attachments { id filename contentType size url createdAt uploader { username } } timeline(first: 20) { nodes { type summary } } } }`,
      { n: bug.number },
    );
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data!.item.attachments).toEqual([
      { id: response.body.id, filename: 'screen shot.png', contentType: 'image/png', size: PNG.length, url: response.body.url, createdAt: expect.any(String), uploader: { username: other.username } },
    ]);
    expect(listed.body.data!.item.timeline.nodes).toContainEqual({ type: 'ATTACHED', summary: `${other.username} attached screen shot.png` });

    const download = await fetch(`${app.url}${response.body.url as string}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="screen shot.png"; filename*=UTF-8''screen%20shot.png`);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toBe('sandbox');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);

    const node = await app.gql<{ node: { filename: string } | null }>(`query ($id: ID!) { node(id: $id) { ... on Attachment { filename } } }`, { id: response.body.id });
    expect(node.body.data!.node).toEqual({ filename: 'screen shot.png' });
  });

  it('streams a file of several chunks in and out unchanged', async () => {
    const bytes = randomBytes(600_000);
    const response = await upload(app, bug.number, { name: 'bugtool.tar.gz', bytes }, reporter.token);
    expect(response.status).toBe(201);
    const id = Number(/\/attachments\/(\d+)\//.exec(response.body.url as string)![1]);
    const chunks = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM attachment_chunk WHERE attachment_id = $1`, [id]);
    expect(chunks[0].n).toBe(3);
    const download = await fetch(`${app.url}/attachments/${id}`);
    expect(download.headers.get('content-length')).toBe('600000');
    const body = Buffer.from(await download.arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('serves HTML and scripts as plain text that browsers neither sniff nor run', async () => {
    const response = await upload(app, bug.number, { name: 'report.html', bytes: Buffer.from('<html><script>alert(document.cookie)</script></html>'), type: 'text/html' }, reporter.token);
    const download = await fetch(`${app.url}${response.body.url as string}`);
    expect(download.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="report\.html"/);
  });

  it('refuses a file over ATTACHMENT_MAX_BYTES with 413 and writes nothing', async () => {
    const before = await stored(app);
    const justOver = await upload(app, bug.number, { name: 'big.log', bytes: Buffer.alloc(MAX + 1, 0x61) }, reporter.token);
    expect(justOver.status).toBe(413);
    expect(justOver.type).toMatch(/^application\/json/);
    expect(justOver.body.errors![0].extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'file' });
    const farOver = await upload(app, bug.number, { name: 'huge.log', bytes: Buffer.alloc(MAX * 2, 0x61) }, reporter.token);
    expect(farOver.status).toBe(413);
    expect(farOver.body.errors![0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await stored(app)).toEqual(before);
    // The server still answers on after refusing.
    expect((await upload(app, bug.number, { name: 'small.log', bytes: Buffer.from('ok\n') }, reporter.token)).status).toBe(201);
  });

  it('answers bad uploads with clear errors and writes nothing', async () => {
    const before = await stored(app);
    const anonymous = await upload(app, bug.number, { name: 'a.log', bytes: Buffer.from('x') });
    expect([anonymous.status, anonymous.body.errors![0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    const badToken = await upload(app, bug.number, { name: 'a.log', bytes: Buffer.from('x') }, 'not-a-token');
    expect([badToken.status, badToken.body.errors![0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    const noItem = await upload(app, 999_999, { name: 'a.log', bytes: Buffer.from('x') }, reporter.token);
    expect([noItem.status, noItem.body.errors![0].extensions.code]).toEqual([404, 'NOT_FOUND']);
    const wrongField = await upload(app, bug.number, { name: 'a.log', bytes: Buffer.from('x'), field: 'upload' }, reporter.token);
    expect([wrongField.status, wrongField.body.errors![0].extensions]).toEqual([400, expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'file' })]);
    const json = await fetch(`${app.url}/items/${bug.number}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${reporter.token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    expect(await stored(app)).toEqual(before);
  });

  it('answers 404 for an attachment that does not exist', async () => {
    for (const path of ['/attachments/999999', '/attachments/abc', '/attachments/0/x.log']) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('NOT_FOUND');
    }
  });
});
