import { createActor, type TestActor } from './support/actors';
import { fileBug, writtenCounts, type FiledItem } from './support/items';
import { errorCodes, startTestApp, type GraphqlResponse, type TestApp } from './support/test-app';

const EDIT = `mutation ($input: EditItemInput!) { editItem(input: $input) { item { id title description updatedAt } } }`;
const TIMELINE = `query ($n: Int!) { item(number: $n) { title timeline(first: 20) { nodes { type summary actor { username } } } } }`;

interface Edited {
  editItem: { item: { id: string; title: string; description: string; updatedAt: string } };
}

describe('editing an item', () => {
  let app: TestApp;
  let reporter: TestActor;
  let stranger: TestActor;
  let maintainer: TestActor;
  let bug: FiledItem;

  const edit = (input: Record<string, unknown>, actor: TestActor | null): Promise<GraphqlResponse<Edited>> =>
    app.gql<Edited>(EDIT, { input: { itemId: bug.id, ...input } }, actor ? { token: actor.token } : {});
  const timeline = async () => {
    const response = await app.gql<{ item: { title: string; timeline: { nodes: { type: string; summary: string; actor: { username: string } | null }[] } } }>(TIMELINE, { n: bug.number });
    return response.body.data!.item;
  };
  const searchNumbers = async (q: string) => {
    const response = await app.gql<{ search: { nodes: { number: number }[] } }>(`query ($q: String!) { search(query: $q, first: 10) { nodes { number } } }`, { q });
    return response.body.data!.search.nodes.map((n) => n.number);
  };

  beforeAll(async () => {
    app = await startTestApp();
    reporter = await createActor(app, { username: 'reporter' });
    stranger = await createActor(app, { username: 'stranger' });
    maintainer = await createActor(app, { username: 'maintainer', grants: [{ role: 'MAINTAINER', upstreamSlug: 'xen-project' }] });
    bug = await fileBug(app, reporter, { title: 'Hypervisor panics on boot', description: 'Seen with a Broadwell CPU.', componentSlug: 'xen' });
  });
  afterAll(() => app.close());

  it("lets the reporter retitle their bug: the timeline keeps the old title, and search follows", async () => {
    const response = await edit({ title: '  Hypervisor   panics on boot with x2APIC  ' }, reporter);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.editItem.item.title).toBe('Hypervisor panics on boot with x2APIC');
    expect(response.body.data!.editItem.item.description).toBe('Seen with a Broadwell CPU.');
    const item = await timeline();
    const retitled = item.timeline.nodes.find((e) => e.type === 'RETITLED');
    expect(retitled).toMatchObject({ summary: 'reporter changed the title from "Hypervisor panics on boot" to "Hypervisor panics on boot with x2APIC"', actor: { username: 'reporter' } });
    expect(await searchNumbers('x2apic')).toEqual([bug.number]);
  });

  it("lets a maintainer of the item's upstream edit the description, keeping the text before", async () => {
    const response = await edit({ description: 'Seen with Broadwell and Skylake CPUs when x2APIC is on.' }, maintainer);
    expect(response.body.errors).toBeUndefined();
    const item = await timeline();
    expect(item.timeline.nodes.find((e) => e.type === 'DESCRIPTION_EDITED')).toMatchObject({ summary: 'maintainer edited the description', actor: { username: 'maintainer' } });
    const [event] = await app.sql<{ data: { previous: string } }>(`SELECT data FROM timeline_event WHERE type = 'DESCRIPTION_EDITED'`);
    expect(event.data.previous).toBe('Seen with a Broadwell CPU.');
    expect(await searchNumbers('skylake')).toEqual([bug.number]);
    expect(await searchNumbers('broadwell')).toEqual([bug.number]);
  });

  it('records nothing when the text is the same', async () => {
    const before = await writtenCounts(app);
    const response = await edit({ title: 'Hypervisor panics on boot with x2APIC' }, reporter);
    expect(response.body.errors).toBeUndefined();
    expect(await writtenCounts(app)).toEqual(before);
  });

  it.each([
    ['anonymous', null, {}, 'UNAUTHENTICATED', undefined],
    ['someone else', 'stranger', {}, 'FORBIDDEN', undefined],
    ['a title too short', 'reporter', { title: 'Bad' }, 'BAD_USER_INPUT', 'title'],
    ['a blank title', 'reporter', { title: '      ' }, 'BAD_USER_INPUT', 'title'],
    ['a description too long', 'reporter', { description: 'x'.repeat(50_001) }, 'BAD_USER_INPUT', 'description'],
    ['nothing to change', 'reporter', { title: null, description: null }, 'BAD_USER_INPUT', 'title'],
  ] as const)('refuses %s, writing nothing', async (_case, who, input, code, field) => {
    const actor = who === 'stranger' ? stranger : who === 'reporter' ? reporter : null;
    const before = await writtenCounts(app);
    const response = await edit({ title: 'A perfectly good new title', ...input }, actor);
    expect(errorCodes(response)).toEqual([code]);
    if (field) expect(response.body.errors![0].extensions).toMatchObject({ field });
    expect(await writtenCounts(app)).toEqual(before);
    expect((await timeline()).title).toBe('Hypervisor panics on boot with x2APIC');
  });

  it('refuses an unknown item (NOT_FOUND) and a malformed id (BAD_USER_INPUT), naming itemId', async () => {
    const unknown = await app.gql(EDIT, { input: { itemId: Buffer.from('Bug:999999').toString('base64url'), title: 'Another good title' } }, { token: reporter.token });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.body.errors![0].extensions).toMatchObject({ field: 'itemId' });
    const malformed = await app.gql(EDIT, { input: { itemId: 'not an id', title: 'Another good title' } }, { token: reporter.token });
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.body.errors![0].extensions).toMatchObject({ field: 'itemId' });
  });
});
