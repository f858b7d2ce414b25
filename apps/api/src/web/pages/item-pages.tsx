import type { FastifyInstance, FastifyReply } from 'fastify';
import { votesWord } from '../components/items';
import { Page, formOf, safeNext, type WebDeps } from '../page';
import { ItemPage, itemQuery, type ItemView, type ViewerRoles } from './item-view';

const COMPONENTS = `query { components(first: 100) { nodes { slug name retired } } }`;
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
  if (actor && actor.grants.length > 0) {
    const list = await page.gql<{ components: { nodes: { slug: string; name: string; retired: boolean }[] } }>(COMPONENTS);
    components = (list.data?.components.nodes ?? []).filter((c) => !c.retired);
  }
  return page.render(`#${item.number} ${item.title}`, (chrome) => <ItemPage item={item} viewer={result.data!.viewer} csrf={chrome.csrf} components={components} problem={problem} draft={draft} />, { status });
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

  post('forward', async (page, item, form) => {
    const input: Record<string, unknown> = { itemId: item.id };
    if (form.reference?.trim()) input.reference = form.reference.trim();
    const result = await page.gql(`mutation ($input: ForwardInput!) { forward(input: $input) { item { id } } }`, { input });
    return { errors: result.errors, message: 'Forward recorded.' };
  });
}
