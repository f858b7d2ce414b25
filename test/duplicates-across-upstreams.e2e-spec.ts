import { createActor, type TestActor } from './support/actors';
import { fileBug, writtenCounts, type FiledItem } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const MARK = `mutation ($input: MarkDuplicateInput!) { markDuplicate(input: $input) { item { status duplicateOf { number } } original { number voteCount } } }`;
const UNMARK = `mutation ($input: UnmarkDuplicateInput!) { unmarkDuplicate(input: $input) { item { status duplicateOf { number } } original { number voteCount } } }`;
const VOTE = `mutation ($input: VoteInput!) { vote(input: $input) { item { voteCount } } }`;

/**
 * The rule: marking A a duplicate of B needs triage rights over A, the item it closes (a Debian
 * maintainer may say "this is xapi's known bug", as in Launchpad); the marking also counts A's
 * voters on B and writes on B's timeline, so B's maintainers may undo it as A's may. Nobody else.
 */
describe('duplicates across upstreams', () => {
  let app: TestApp;
  let debian: TestActor;
  let xapi: TestActor;
  let centos: TestActor;
  let reporter: TestActor;

  beforeAll(async () => {
    app = await startTestApp();
    debian = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
    xapi = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xapi-project' }] });
    centos = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'centos' }] });
    reporter = await createActor(app);
  });
  afterAll(() => app.close());

  async function pair(): Promise<{ ownItem: FiledItem; original: FiledItem }> {
    await app.gql(`mutation { updateComponent(input: { slug: "xapi", ownerSlug: "xapi-project" }) { component { slug } } }`, {}, { token: (await createActor(app, { grants: [{ role: 'ADMIN' }] })).token });
    const ownItem = await fileBug(app, reporter, { componentSlug: 'packaging/debian' });
    const original = await fileBug(app, reporter, { componentSlug: 'xapi/xenopsd' });
    return { ownItem, original };
  }

  it("lets a maintainer mark their item a duplicate of another upstream's, and the original's maintainers undo it", async () => {
    const { ownItem, original } = await pair();
    await app.gql(VOTE, { input: { itemId: ownItem.id } }, { token: reporter.token });
    const marked = await app.gql(MARK, { input: { itemId: ownItem.id, duplicateOfId: original.id } }, { token: debian.token });
    expect(marked.body.data).toEqual({ markDuplicate: { item: { status: 'DUPLICATE', duplicateOf: { number: original.number } }, original: { number: original.number, voteCount: 1 } } });
    const undone = await app.gql(UNMARK, { input: { itemId: ownItem.id } }, { token: xapi.token });
    expect(undone.body.data).toEqual({ unmarkDuplicate: { item: { status: 'NEW', duplicateOf: null }, original: { number: original.number, voteCount: 0 } } });
  });

  it("lets the duplicate's own maintainers undo it too", async () => {
    const { ownItem, original } = await pair();
    expect(errorCodes(await app.gql(MARK, { input: { itemId: ownItem.id, duplicateOfId: original.id } }, { token: debian.token }))).toEqual([]);
    expect(errorCodes(await app.gql(UNMARK, { input: { itemId: ownItem.id } }, { token: debian.token }))).toEqual([]);
  });

  it("refuses the original's maintainers marking someone else's item, and a third upstream's undoing it, writing nothing", async () => {
    const { ownItem, original } = await pair();
    const before = await writtenCounts(app);
    expect(errorCodes(await app.gql(MARK, { input: { itemId: ownItem.id, duplicateOfId: original.id } }, { token: xapi.token }))).toEqual(['FORBIDDEN']);
    expect(await writtenCounts(app)).toEqual(before);
    expect(errorCodes(await app.gql(MARK, { input: { itemId: ownItem.id, duplicateOfId: original.id } }, { token: debian.token }))).toEqual([]);
    const marked = await writtenCounts(app);
    expect(errorCodes(await app.gql(UNMARK, { input: { itemId: ownItem.id } }, { token: centos.token }))).toEqual(['FORBIDDEN']);
    expect(await writtenCounts(app)).toEqual(marked);
  });
});
