import { createActor, createAdmin, type TestActor } from './support/actors';
import { writtenCounts } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

/** Embargoed security reports: who sees them, as routes change, and their disclosure. */
describe('embargoed security reports', () => {
  let app: TestApp;
  let reporter: TestActor;
  let admin: TestActor;
  let xenMaintainer: TestActor;
  let componentMaintainer: TestActor;
  let debianMaintainer: TestActor;
  let stranger: TestActor;

  beforeAll(async () => {
    app = await startTestApp();
    reporter = await createActor(app);
    admin = await createAdmin(app);
    xenMaintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xen-project' }] });
    componentMaintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', componentSlug: 'xen' }] });
    debianMaintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
    stranger = await createActor(app);
  });
  afterAll(() => app.close());

  async function fileSecret(componentSlug = 'xen') {
    const response = await app.gql<{ fileBug: { bug: { id: string; number: number; visibility: string; tags: string[]; timeline: { nodes: { type: string; summary: string }[] } } } }>(
      `mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { id number visibility tags timeline { nodes { type summary } } } } }`,
      { input: { title: 'Guest can read host memory through a grant copy', description: 'PoC to follow.', componentSlug, visibility: 'SECURITY', tags: ['XSA', 'memory-leak', 'xsa'] } },
      { token: reporter.token },
    );
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.fileBug.bug;
  }

  async function sees(actor: TestActor | null, number: number): Promise<boolean> {
    const response = await app.gql<{ item: { number: number } | null }>(`query ($n: Int!) { item(number: $n) { number } }`, { n: number }, { token: actor?.token });
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.item !== null;
  }

  it('is filed embargoed, with its tags, and seen by its reporter, its maintainers and admins only', async () => {
    const bug = await fileSecret();
    expect(bug).toMatchObject({ visibility: 'SECURITY', tags: ['memory-leak', 'xsa'] });
    expect(bug.timeline.nodes[0]).toEqual({ type: 'FILED', summary: `${reporter.username} reported this security issue (embargoed)` });
    const who = { reporter, admin, xenMaintainer, componentMaintainer, debianMaintainer, stranger, anonymous: null };
    const seen = Object.fromEntries(await Promise.all(Object.entries(who).map(async ([name, actor]) => [name, await sees(actor, bug.number)])));
    expect(seen).toEqual({ reporter: true, admin: true, xenMaintainer: true, componentMaintainer: true, debianMaintainer: false, stranger: false, anonymous: false });
  });

  it('follows its route: re-routed to another upstream, its maintainers see it and the former ones no longer', async () => {
    const bug = await fileSecret('xen');
    const routed = await app.gql(`mutation ($id: ID!) { routeItem(input: { itemId: $id, upstreamSlug: "debian", reason: "Debian's kernel package" }) { item { id } } }`, { id: bug.id }, { token: xenMaintainer.token });
    expect(errorCodes(routed)).toEqual([]);
    expect(await sees(debianMaintainer, bug.number)).toBe(true);
    expect(await sees(xenMaintainer, bug.number)).toBe(false);
    // Still on the xen component: its component maintainers keep seeing it.
    expect(await sees(componentMaintainer, bug.number)).toBe(true);
    expect(await sees(reporter, bug.number)).toBe(true);
  });

  it('is made public by disclose, with a DISCLOSED event; a public item cannot be disclosed again', async () => {
    const bug = await fileSecret();
    const refused = await app.gql(`mutation ($id: ID!) { disclose(input: { itemId: $id }) { item { id } } }`, { id: bug.id }, { token: reporter.token });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const disclosed = await app.gql<{ disclose: { item: { visibility: string; timeline: { nodes: { type: string; summary: string }[] } } } }>(
      `mutation ($id: ID!) { disclose(input: { itemId: $id }) { item { visibility timeline(last: 1) { nodes { type summary } } } } }`,
      { id: bug.id },
      { token: xenMaintainer.token },
    );
    expect(disclosed.body.data!.disclose.item).toEqual({ visibility: 'PUBLIC', timeline: { nodes: [{ type: 'DISCLOSED', summary: `${xenMaintainer.username} disclosed this security report: it is public now` }] } });
    expect(await sees(null, bug.number)).toBe(true);
    const before = await writtenCounts(app);
    const again = await app.gql(`mutation ($id: ID!) { disclose(input: { itemId: $id }) { item { id } } }`, { id: bug.id }, { token: admin.token });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(await writtenCounts(app)).toEqual(before);
  });

  it('refuses bad tags and embargoed feature suggestions, writing nothing', async () => {
    const before = await writtenCounts(app);
    const badTag = await app.gql(`mutation { fileBug(input: { title: "Tagged wrongly here", description: "", tags: ["not a tag"] }) { bug { id } } }`, {}, { token: reporter.token });
    expect(badTag.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tags' });
    const tooMany = await app.gql(`mutation ($tags: [String!]) { fileBug(input: { title: "Tagged too much here", description: "", tags: $tags }) { bug { id } } }`, { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, { token: reporter.token });
    expect(tooMany.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const long = await app.gql(`mutation ($tags: [String!]) { fileBug(input: { title: "Tagged too long here", description: "", tags: $tags }) { bug { id } } }`, { tags: ['a'.repeat(51)] }, { token: reporter.token });
    expect(long.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const badVisibility = await app.gql(`mutation { fileBug(input: { title: "Secret feature here", description: "", visibility: HIDDEN }) { bug { id } } }`, {}, { token: reporter.token });
    expect(errorCodes(badVisibility)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(await writtenCounts(app)).toEqual(before);
  });
});
