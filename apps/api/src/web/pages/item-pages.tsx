import type { FastifyInstance, FastifyReply } from 'fastify';
import { votesWord } from '../components/items';
import { Page, formOf, safeNext, type WebDeps } from '../page';
import { ItemPage, itemQuery, type ItemView, type ViewerRoles } from './item-view';

const COMPONENTS = `query { components(first: 100) { nodes { slug name retired } } releases { slug name } }`;
const ITEM_ID = `query ($number: Int!) { item(number: $number) { id } }`;

/** `#12`, `12`: an item number in a URL or a form (null when it is not one). */
export function itemNumber(value: string | undefined): number | null {
  if (!value) return null;
  const match = /^#?(\d{1,9})$/.exec(value.trim());
  return match ? Number(match[1]) : null;
}

async function showItem(page: Page, number: number, status = 200, problem?: { form: string; message: string }, draft?: Record<string, string>): Promise<FastifyReply> {
  const result = await page.gql<{ item: ItemView | null; viewer: ViewerRoles | null }>(itemQuery(page.features), { number });
  if (!result.data) return page.error(result.errors[0]);
  const item = result.data.item;
  if (!item) return page.notFound(`Item #${number}`);
  const actor = await page.actor();
  let components: { slug: string; name: string }[] = [];
  let releases: { slug: string; name: string }[] = [];
  if (actor && actor.grants.length > 0) {
    const list = await page.gql<{ components: { nodes: { slug: string; name: string; retired: boolean }[] }; releases: { slug: string; name: string }[] }>(COMPONENTS);
    components = (list.data?.components.nodes ?? []).filter((c) => !c.retired);
    releases = list.data?.releases ?? [];
  }
  const f = page.features;
  const can = {
    assign: f.has('Mutation', 'assign'),
    tags: f.has('TriageInput', 'addTags'),
    releases: f.has('TriageInput', item.kind === 'FEATURE' ? 'plannedForSlug' : 'fixedInSlug'),
    follow: f.has('Mutation', 'updateSubscription') && f.has('Item', 'viewerSubscription'),
    forwardTo: f.has('ForwardInput', 'upstreamSlug'),
  };
  return page.render(`#${item.number} ${item.title}`, (chrome) => <ItemPage item={item} viewer={result.data!.viewer} csrf={chrome.csrf} components={components} releases={releases} can={can} problem={problem} draft={draft} />, {
    status,
  });
}

/** The item page and what its forms post: vote, comment, edit, triage, duplicate, forward. */
export function registerItemPages(fastify: FastifyInstance, deps: WebDeps): void {
  fastify.get<{ Params: { number: string } }>('/items/:number', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const number = itemNumber(request.params.number);
    if (number === null) return page.notFound(`Item ${request.params.number}`);
    return showItem(page, number);
  });

  /**
   * One form post on an item: signs anonymous visitors in first, runs the mutation, then either
   * redirects back (or answers JSON to the page's script) or shows the page again with the error.
   */
  const post = (name: string, run: (page: Page, item: { id: string; number: number }, form: Record<string, string>) => Promise<{ errors: { message: string; code: string }[]; message?: string; json?: unknown }>) =>
    fastify.post<{ Params: { number: string } }>(`/items/:number/${name}`, async (request, reply) => {
      const page = new Page(deps, request, reply);
      const number = itemNumber(request.params.number);
      if (number === null) return page.notFound(`Item ${request.params.number}`);
      const back = `/items/${number}`;
      if (!(await page.actor())) {
        if (page.wantsJson()) return reply.code(401).send({ error: 'Sign in first.', login: `/login?next=${encodeURIComponent(back)}` });
        return page.toLogin(back);
      }
      const found = await page.gql<{ item: { id: string } | null }>(ITEM_ID, { number });
      if (!found.data?.item) return page.notFound(`Item #${number}`);
      const form = formOf(request);
      const outcome = await run(page, { id: found.data.item.id, number }, form);
      const error = outcome.errors[0];
      if (page.wantsJson()) return reply.code(error ? 400 : 200).send(error ? { error: error.message, code: error.code } : (outcome.json ?? { ok: true }));
      if (error) {
        if (error.code === 'UNAUTHENTICATED') return page.toLogin(back);
        const status = error.code === 'FORBIDDEN' ? 403 : error.code === 'CONFLICT' ? 409 : error.code === 'NOT_FOUND' ? 404 : 400;
        return showItem(page, number, status, { form: name, message: error.message }, form);
      }
      return page.redirect(form.back ? safeNext(form.back) : back, outcome.message);
    });

  // Attaching a file: the multipart body goes, unread, to the API's own upload route, signed in
  // with the page's session, so the upload has the API's limits, checks and errors.
  void fastify.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null, undefined));
    scope.post<{ Params: { number: string } }>('/items/:number/attach', async (request, reply) => {
      const page = new Page(deps, request, reply);
      const number = itemNumber(request.params.number);
      if (number === null) return page.notFound(`Item ${request.params.number}`);
      const back = `/items/${number}`;
      const token = page.sessionToken();
      if (!token || !(await page.actor())) return page.toLogin(back);
      const type = request.headers['content-type'] ?? '';
      const headers: Record<string, string> = { 'content-type': type, authorization: `Bearer ${token}` };
      if (request.headers['content-length']) headers['content-length'] = request.headers['content-length'];
      const answer = await fastify.inject({ method: 'POST', url: `/items/${number}/attachments`, headers, payload: request.raw });
      if (answer.statusCode === 201) return page.redirect(back, 'File attached.');
      let message = 'The file could not be attached.';
      try {
        message = (JSON.parse(answer.body) as { errors?: { message: string }[] }).errors?.[0]?.message ?? message;
      } catch {
        // not JSON: keep the general message
      }
      return showItem(page, number, answer.statusCode >= 400 && answer.statusCode < 500 ? answer.statusCode : 500, { form: 'attach', message });
    });
  });

  // Downloading as the signed-in person: the attachment route reads a bearer token, so a page's
  // link goes through here and takes the session along (an embargoed item's files included).
  fastify.get<{ Params: { id: string; name: string } }>('/files/:id/:name', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const token = (await page.actor()) ? page.sessionToken() : undefined;
    const answer = await fastify.inject({
      method: 'GET',
      url: `/attachments/${encodeURIComponent(request.params.id)}/${encodeURIComponent(request.params.name)}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (answer.statusCode !== 200) return page.error({ code: answer.statusCode === 404 ? 'NOT_FOUND' : 'INTERNAL_SERVER_ERROR', message: 'This file does not exist, or is not yours to see.' });
    for (const name of ['content-type', 'content-length', 'content-disposition', 'x-content-type-options', 'content-security-policy', 'cache-control']) {
      const value = answer.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    return reply.code(200).send(answer.rawPayload);
  });

  post('vote', async (page, item, form) => {
    const mutation = form.intent === 'unvote' ? 'unvote' : 'vote';
    const result = await page.gql<Record<string, { item: { voteCount: number; viewerHasVoted: boolean } }>>(
      `mutation ($input: VoteInput!) { ${mutation}(input: $input) { item { voteCount viewerHasVoted } } }`,
      { input: { itemId: item.id } },
    );
    const after = result.data?.[mutation]?.item;
    return {
      errors: result.errors,
      message: mutation === 'vote' ? 'Your vote counts.' : 'Your vote was taken back.',
      json: after && { voteCount: after.voteCount, viewerHasVoted: after.viewerHasVoted, label: votesWord(after.voteCount) },
    };
  });

  post('comment', async (page, item, form) => {
    const result = await page.gql(`mutation ($input: CommentInput!) { addComment(input: $input) { comment { id } } }`, { input: { itemId: item.id, body: form.body ?? '' } });
    return { errors: result.errors, message: 'Comment posted.' };
  });

  post('edit', async (page, item, form) => {
    const result = await page.gql(`mutation ($input: EditItemInput!) { editItem(input: $input) { item { id } } }`, {
      input: { itemId: item.id, title: form.title, description: form.description },
    });
    return { errors: result.errors, message: 'Saved.' };
  });

  post('triage', async (page, item, form) => {
    const input: Record<string, unknown> = { itemId: item.id };
    // Only what changed: the form shows the current values, and setting a status to itself is no change.
    if (form.status && form.status !== form.currentStatus) input.status = form.status;
    if (form.importance && form.importance !== form.currentImportance) input.importance = form.importance;
    if (form.componentSlug) input.componentSlug = form.componentSlug;
    if (form.comment?.trim()) input.comment = form.comment;
    const tags = (value: string | undefined) => (value ?? '').split(/[\s,]+/).filter(Boolean);
    if (page.features.has('TriageInput', 'addTags') && tags(form.addTags).length) input.addTags = tags(form.addTags);
    if (page.features.has('TriageInput', 'removeTags') && tags(form.removeTags).length) input.removeTags = tags(form.removeTags);
    if (form.releaseSlug) {
      if (page.features.has('TriageInput', 'fixedInSlug') && form.kind !== 'FEATURE') input.fixedInSlug = form.releaseSlug;
      if (page.features.has('TriageInput', 'plannedForSlug') && form.kind === 'FEATURE') input.plannedForSlug = form.releaseSlug;
    }
    const result = await page.gql<{ triage: { item: { status: string; importance: string } } }>(
      `mutation ($input: TriageInput!) { triage(input: $input) { item { status importance } } }`,
      { input },
    );
    return { errors: result.errors, message: `#${item.number} triaged.`, json: result.data?.triage.item };
  });

  post('duplicate', async (page, item, form) => {
    const original = itemNumber(form.number);
    if (original === null) return { errors: [{ code: 'BAD_USER_INPUT', message: 'Give the number of the original item, such as 12.' }] };
    const found = await page.gql<{ item: { id: string } | null }>(ITEM_ID, { number: original });
    if (!found.data?.item) return { errors: [{ code: 'NOT_FOUND', message: `Item #${original} does not exist.` }] };
    const result = await page.gql(`mutation ($input: MarkDuplicateInput!) { markDuplicate(input: $input) { item { id } } }`, {
      input: { itemId: item.id, duplicateOfId: found.data.item.id },
    });
    return { errors: result.errors, message: `#${item.number} is now a duplicate of #${original}.` };
  });

  post('assign', async (page, item, form) => {
    const result = await page.gql(`mutation ($input: AssignInput!) { assign(input: $input) { item { id } } }`, { input: { itemId: item.id, username: form.username?.trim() || null } });
    return { errors: result.errors, message: form.username?.trim() ? `Assigned to ${form.username.trim()}.` : 'Nobody is assigned now.' };
  });

  post('follow', async (page, item, form) => {
    const state = form.state === 'SUBSCRIBED' ? 'SUBSCRIBED' : 'UNSUBSCRIBED';
    const result = await page.gql(`mutation ($input: UpdateSubscriptionInput!) { updateSubscription(input: $input) { __typename } }`, { input: { subscribableId: item.id, state } });
    return { errors: result.errors, message: state === 'SUBSCRIBED' ? 'You follow this item now.' : 'You no longer follow this item.' };
  });

  post('forward', async (page, item, form) => {
    const input: Record<string, unknown> = { itemId: item.id };
    if (form.upstreamSlug && page.features.has('ForwardInput', 'upstreamSlug')) input.upstreamSlug = form.upstreamSlug;
    if (form.reference?.trim()) input.reference = form.reference.trim();
    const result = await page.gql(`mutation ($input: ForwardInput!) { forward(input: $input) { item { id } } }`, { input });
    return { errors: result.errors, message: 'Forward recorded.' };
  });
}
