import { createActor, createAdmin, type TestActor } from './support/actors';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const CREATE = `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id url createdAt upstream { slug } component { slug } } } }`;
const DELETE = `mutation ($input: DeleteWebhookInput!) { deleteWebhook(input: $input) { deletedWebhookId } }`;
const SECRET = 'a long enough secret';

describe("integrators' webhooks", () => {
  let app: TestApp;
  let admin: TestActor;
  let xapiMaintainer: TestActor;
  let subtreeMaintainer: TestActor;
  let user: TestActor;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await createAdmin(app);
    xapiMaintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xapi-project' }] });
    subtreeMaintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', componentSlug: 'xapi' }] });
    user = await createActor(app);
  });
  afterAll(() => app.close());

  const create = (who: TestActor | null, input: Record<string, unknown>) =>
    app.gql<{ createWebhook: { webhook: { id: string; url: string; upstream: { slug: string } | null; component: { slug: string } | null } } }>(CREATE, { input: { secret: SECRET, ...input } }, who ? { token: who.token } : {});

  it('lets admins make them for any scope, maintainers for their upstream or component subtree', async () => {
    const everything = await create(admin, { url: 'https://bot.example.org/all' });
    expect(everything.body.data!.createWebhook.webhook).toMatchObject({ url: 'https://bot.example.org/all', upstream: null, component: null });
    const upstream = await create(xapiMaintainer, { url: 'https://bot.example.org/xapi', upstreamSlug: 'xapi-project' });
    expect(upstream.body.data!.createWebhook.webhook).toMatchObject({ upstream: { slug: 'xapi-project' }, component: null });
    const subtree = await create(subtreeMaintainer, { url: 'https://bot.example.org/xenopsd', componentSlug: 'xapi/xenopsd' });
    expect(subtree.body.data!.createWebhook.webhook).toMatchObject({ upstream: null, component: { slug: 'xapi/xenopsd' } });
    // The secret is write-only: no field answers it.
    expect(JSON.stringify([everything.body, upstream.body, subtree.body])).not.toContain(SECRET);

    expect(errorCodes(await create(null, { url: 'https://bot.example.org/x' }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await create(user, { url: 'https://bot.example.org/x', upstreamSlug: 'xapi-project' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await create(xapiMaintainer, { url: 'https://bot.example.org/x' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await create(xapiMaintainer, { url: 'https://bot.example.org/x', upstreamSlug: 'debian' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await create(subtreeMaintainer, { url: 'https://bot.example.org/x', componentSlug: 'xen' }))).toEqual(['FORBIDDEN']);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const [{ n: before }] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM webhook`);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ url: 'not a url' }, 'BAD_USER_INPUT', 'url'],
      [{ url: 'ftp://bot.example.org/x' }, 'BAD_USER_INPUT', 'url'],
      [{ url: 'https://user:pw@bot.example.org/x' }, 'BAD_USER_INPUT', 'url'],
      [{ url: 'https://bot.example.org/x', secret: 'short' }, 'BAD_USER_INPUT', 'secret'],
      [{ url: 'https://bot.example.org/x', upstreamSlug: 'nope' }, 'NOT_FOUND', 'upstreamSlug'],
      [{ url: 'https://bot.example.org/x', componentSlug: 'nope' }, 'NOT_FOUND', 'componentSlug'],
      [{ url: 'https://bot.example.org/x', upstreamSlug: 'debian', componentSlug: 'xen' }, 'BAD_USER_INPUT', 'componentSlug'],
    ];
    for (const [input, code, field] of cases) {
      const response = await create(admin, input);
      expect([errorCodes(response)[0], response.body.errors?.[0].extensions?.field]).toEqual([code, field]);
    }
    expect(await app.sql(`SELECT count(*)::int AS n FROM webhook`)).toEqual([{ n: before }]);
  });

  it('deletes: admins any, maintainers their own scope; others see NOT_FOUND', async () => {
    const made = (await create(xapiMaintainer, { url: 'https://bot.example.org/delete-me', upstreamSlug: 'xapi-project' })).body.data!.createWebhook.webhook;
    expect(errorCodes(await app.gql(DELETE, { input: { webhookId: made.id } }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.gql(DELETE, { input: { webhookId: made.id } }, { token: user.token }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await app.gql(DELETE, { input: { webhookId: made.id } }, { token: subtreeMaintainer.token }))).toEqual(['NOT_FOUND']);
    const deleted = await app.gql(DELETE, { input: { webhookId: made.id } }, { token: xapiMaintainer.token });
    expect(deleted.body.data).toEqual({ deleteWebhook: { deletedWebhookId: made.id } });
    expect(errorCodes(await app.gql(DELETE, { input: { webhookId: made.id } }, { token: admin.token }))).toEqual(['NOT_FOUND']);
    const other = (await create(subtreeMaintainer, { url: 'https://bot.example.org/other', componentSlug: 'xapi' })).body.data!.createWebhook.webhook;
    expect(errorCodes(await app.gql(DELETE, { input: { webhookId: other.id } }, { token: admin.token }))).toEqual([]);
    expect(errorCodes(await app.gql(DELETE, { input: { webhookId: 'nope' } }, { token: admin.token }))).toEqual(['BAD_USER_INPUT']);
  });
});
