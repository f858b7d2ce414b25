import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug, writtenCounts, type FiledItem } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

/** Moderation: authors edit their comments (the text before kept), maintainers hide spam. */
describe('moderation', () => {
  let app: TestApp;
  let author: TestActor;
  let maintainer: TestActor;
  let admin: TestActor;
  let stranger: TestActor;
  let bug: FiledItem;

  beforeAll(async () => {
    app = await startTestApp();
    author = await createActor(app);
    maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xen-project' }] });
    admin = await createAdmin(app);
    stranger = await createActor(app);
    bug = await fileBug(app, author, { componentSlug: 'xen' });
  });
  afterAll(() => app.close());

  async function comment(body: string, by = author): Promise<string> {
    const made = await app.gql<{ addComment: { comment: { id: string } } }>(`mutation ($id: ID!, $b: String!) { addComment(input: { itemId: $id, body: $b }) { comment { id } } }`, { id: bug.id, b: body }, { token: by.token });
    return made.body.data!.addComment.comment.id;
  }

  async function read(id: string, viewer: TestActor | null) {
    const response = await app.gql<{ node: { body: string; hidden: boolean; editedAt: string | null } }>(`query ($id: ID!) { node(id: $id) { ... on Comment { body hidden editedAt } } }`, { id }, { token: viewer?.token });
    return response.body.data!.node;
  }

  const searchFinds = async (words: string) =>
    (await app.gql<{ search: { totalCount: number } }>(`query ($q: String!) { search(query: $q) { totalCount } }`, { q: words })).body.data!.search.totalCount;

  it('lets an author edit a comment, keeping the text before for maintainers', async () => {
    const id = await comment('xenopsd crashes after the patch');
    const edited = await app.gql<{ editComment: { comment: { body: string; editedAt: string | null } } }>(
      `mutation ($id: ID!) { editComment(input: { commentId: $id, body: "xenopsd crashes after the hotfix XS82E001" }) { comment { body editedAt } } }`,
      { id },
      { token: author.token },
    );
    expect(edited.body.data!.editComment.comment).toEqual({ body: 'xenopsd crashes after the hotfix XS82E001', editedAt: expect.any(String) });
    const timeline = (viewer: TestActor | null) =>
      app.gql<{ item: { timeline: { nodes: { type: string; summary: string; previousText: string | null }[] } } }>(
        `query ($n: Int!) { item(number: $n) { timeline(last: 1) { nodes { type summary previousText } } } }`, { n: bug.number }, { token: viewer?.token });
    expect((await timeline(maintainer)).body.data!.item.timeline.nodes).toEqual([{ type: 'COMMENT_EDITED', summary: `${author.username} edited a comment`, previousText: 'xenopsd crashes after the patch' }]);
    expect((await timeline(stranger)).body.data!.item.timeline.nodes[0].previousText).toBeNull();
    expect((await timeline(null)).body.data!.item.timeline.nodes[0].previousText).toBeNull();
    expect(await searchFinds('XS82E001')).toBe(1);
  });

  it('lets nobody but its author edit a comment, admins included, and writes nothing then', async () => {
    const id = await comment('my own words');
    const before = await writtenCounts(app);
    for (const other of [stranger, maintainer, admin]) {
      const refused = await app.gql(`mutation ($id: ID!) { editComment(input: { commentId: $id, body: "their words" }) { comment { id } } }`, { id }, { token: other.token });
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    }
    expect(errorCodes(await app.gql(`mutation ($id: ID!) { editComment(input: { commentId: $id, body: "x" }) { comment { id } } }`, { id }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.gql(`mutation ($id: ID!) { editComment(input: { commentId: $id, body: "   " }) { comment { id } } }`, { id }, { token: author.token }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await app.gql(`mutation { editComment(input: { commentId: "Q29tbWVudDo5OTk5OQ", body: "x" }) { comment { id } } }`, {}, { token: author.token }))).toEqual(['NOT_FOUND']);
    expect(await writtenCounts(app)).toEqual(before);
    expect((await read(id, null)).body).toBe('my own words');
  });

  it('lets maintainers hide a comment: empty and hidden for everyone but its author, maintainers and admins; out of search', async () => {
    const id = await comment('Buy cheap licences at spamvendor dot example');
    expect(await searchFinds('spamvendor')).toBe(1);
    const refused = await app.gql(`mutation ($id: ID!) { hideComment(input: { commentId: $id, hidden: true }) { comment { id } } }`, { id }, { token: stranger.token });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const hidden = await app.gql<{ hideComment: { comment: { hidden: boolean } } }>(
      `mutation ($id: ID!) { hideComment(input: { commentId: $id, hidden: true, reason: "spam" }) { comment { hidden } } }`, { id }, { token: maintainer.token });
    expect(hidden.body.data!.hideComment.comment.hidden).toBe(true);
    expect(await read(id, null)).toEqual({ body: '', hidden: true, editedAt: null });
    expect(await read(id, stranger)).toEqual({ body: '', hidden: true, editedAt: null });
    for (const viewer of [author, maintainer, admin]) expect((await read(id, viewer)).body).toBe('Buy cheap licences at spamvendor dot example');
    expect(await searchFinds('spamvendor')).toBe(0);
    const events = await app.gql<{ item: { timeline: { nodes: { type: string; summary: string }[] } } }>(`query ($n: Int!) { item(number: $n) { timeline(last: 1) { nodes { type summary } } } }`, { n: bug.number });
    expect(events.body.data!.item.timeline.nodes).toEqual([{ type: 'COMMENT_HIDDEN', summary: `${maintainer.username} hid a comment: spam` }]);

    const shown = await app.gql(`mutation ($id: ID!) { hideComment(input: { commentId: $id, hidden: false }) { comment { id } } }`, { id }, { token: admin.token });
    expect(errorCodes(shown)).toEqual([]);
    expect(await read(id, null)).toEqual({ body: 'Buy cheap licences at spamvendor dot example', hidden: false, editedAt: null });
    expect(await searchFinds('spamvendor')).toBe(1);
  });
});
