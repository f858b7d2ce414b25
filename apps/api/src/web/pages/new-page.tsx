import type { FastifyInstance } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import { Csrf } from '../components/layout';
import { Page, formOf, param, type WebDeps } from '../page';

const CATALOGUE = `query { components(first: 100) { nodes { slug name retired owner { name } } } releases { slug name } }`;

interface Catalogue {
  components: { nodes: { slug: string; name: string; retired: boolean; owner: { name: string } }[] };
  releases: { slug: string; name: string }[];
}

export interface Draft {
  kind: 'BUG' | 'FEATURE';
  title: string;
  description: string;
  componentSlug: string;
  releaseSlug: string;
  security: boolean;
  tags: string;
}

interface Assist {
  similar: { number: number; title: string; status: string; voteCount: number }[] | null;
  suggestions: { component: { slug: string; name: string }; score: number; reason: string }[] | null;
  route: { upstream: { name: string; slug: string }; reason: string } | null;
  routeError?: string;
}

function draftOf(fields: Record<string, string | undefined>): Draft {
  return {
    kind: fields.kind === 'FEATURE' ? 'FEATURE' : 'BUG',
    title: (fields.title ?? '').slice(0, 300),
    description: (fields.description ?? '').slice(0, 50_100),
    componentSlug: (fields.componentSlug ?? '').slice(0, 100),
    releaseSlug: (fields.releaseSlug ?? '').slice(0, 100),
    security: fields.security === 'yes',
    tags: (fields.tags ?? '').slice(0, 300),
  };
}

/** What helps while writing: similar open reports, likely components (once the API suggests them), and the route. */
async function assist(page: Page, draft: Draft): Promise<Assist> {
  const hasSuggestions = page.features.has('Query', 'suggestComponents');
  // What the helpers read: a title within the API's limit, the description's start.
  const text = draft.title.trim().slice(0, 200);
  const parts: string[] = [];
  const variables: Record<string, unknown> = {};
  if (text.length >= 3) {
    parts.push(`similar: similarItems(title: $title, description: $description, first: 5) { number title status voteCount }`);
    if (hasSuggestions) parts.push(`suggestions: suggestComponents(title: $title, description: $description, first: 3) { component { slug name } score reason }`);
    variables.title = text;
    variables.description = draft.description.slice(0, 2000) || null;
  }
  if (draft.componentSlug) {
    parts.push(`route: previewRoute(componentSlug: $component, kind: $kind) { upstream { name slug } reason }`);
    variables.component = draft.componentSlug;
    variables.kind = draft.kind;
  }
  if (parts.length === 0) return { similar: null, suggestions: null, route: null };
  const declared = [variables.title !== undefined ? '$title: String!, $description: String' : '', variables.component !== undefined ? '$component: String!, $kind: ItemKind!' : '']
    .filter(Boolean)
    .join(', ');
  const result = await page.gql<Partial<Assist>>(`query Assist(${declared}) { ${parts.join(' ')} }`, variables);
  const routeError = result.errors.find((e) => e.code === 'NOT_FOUND' || e.code === 'BAD_USER_INPUT')?.message;
  return { similar: result.data?.similar ?? null, suggestions: result.data?.suggestions ?? null, route: result.data?.route ?? null, routeError };
}

function SimilarBody({ assist }: { assist: Assist }) {
  if (!assist.similar) return <p class="hint">Type a title: open reports that look the same show here, so you can vote on one instead.</p>;
  if (assist.similar.length === 0) return <p>No similar open report: yours looks new.</p>;
  return (
    <ul class="items compact">
      {assist.similar.map((item) => (
        <li key={item.number}>
          <a href={`/items/${item.number}`}>
            #{item.number} {item.title}
          </a>{' '}
          <span class="meta">{item.voteCount === 1 ? '1 vote' : `${item.voteCount} votes`}</span>
        </li>
      ))}
    </ul>
  );
}

function SuggestionsBody({ assist, available }: { assist: Assist; available: boolean }) {
  if (!available) return <p class="hint">Not sure which part of XenServer is at fault? Leave the component as “I don't know”: the XenServer maintainers route it for you.</p>;
  if (!assist.suggestions) return <p class="hint">Type a title: the components it probably belongs to show here.</p>;
  if (assist.suggestions.length === 0) return <p>No suggestion: choose below, or leave “I don't know”.</p>;
  return (
    <ul class="suggestions">
      {assist.suggestions.map((s) => (
        <li key={s.component.slug}>
          {/* Without JavaScript it posts the draft back with this component chosen; the script just picks it. */}
          <button type="submit" form="new-form" name="useComponent" value={s.component.slug} formNoValidate class="link" data-use-component={s.component.slug}>
            {s.component.name}
          </button>{' '}
          <span class="meta">({s.component.slug})</span>
          <br />
          <span class="hint">{s.reason}</span>
        </li>
      ))}
    </ul>
  );
}

function RoutingBody({ assist, draft }: { assist: Assist; draft: Draft }) {
  if (assist.route) {
    return (
      <p>
        It will go to <strong>{assist.route.upstream.name}</strong>: {assist.route.reason}
      </p>
    );
  }
  if (assist.routeError) return <p class="error">{assist.routeError}</p>;
  if (!draft.componentSlug) return <p>No component chosen: the XenServer maintainers (xenserver.org) triage it and route it to the project that owns it.</p>;
  return <p class="hint">Choose a component to see where it goes.</p>;
}

/** The three helper regions' contents, for the page's script while typing. */
function assistFragments(assist: Assist, draft: Draft, available: boolean): Record<string, string> {
  return {
    similar: renderToString(<SimilarBody assist={assist} />),
    suggestions: renderToString(<SuggestionsBody assist={assist} available={available} />),
    routing: renderToString(<RoutingBody assist={assist} draft={draft} />),
  };
}

interface Offers {
  suggestions: boolean;
  security: boolean;
  tags: boolean;
}

function NewPage({ csrf, draft, catalogue, assist: help, offers, error }: { csrf: string; draft: Draft; catalogue: Catalogue; assist: Assist; offers: Offers; error?: { message: string; field?: string } }) {
  const available = offers.suggestions;
  const owners = new Map<string, { slug: string; name: string }[]>();
  for (const c of catalogue.components.nodes) {
    if (c.retired) continue;
    owners.set(c.owner.name, [...(owners.get(c.owner.name) ?? []), c]);
  }
  const invalid = (field: string) => (error?.field === field ? { 'aria-invalid': true, 'aria-describedby': 'form-error' } : {});
  return (
    <>
      <h1>File a report</h1>
      <div class="with-aside">
        <form method="post" action="/new" class="stack" id="new-form" data-assist="">
          <Csrf token={csrf} />
          {error && (
            <p role="alert" class="error" id="form-error">
              {error.message}
            </p>
          )}
          <fieldset role="radiogroup" aria-labelledby="kind-legend" class="kind">
            <legend id="kind-legend">Kind</legend>
            <label>
              <input type="radio" name="kind" value="BUG" checked={draft.kind === 'BUG'} /> Bug
            </label>
            <label>
              <input type="radio" name="kind" value="FEATURE" checked={draft.kind === 'FEATURE'} /> Feature suggestion
            </label>
          </fieldset>
          <label for="title">Title</label>
          <input id="title" name="title" required maxLength={200} value={draft.title} autocomplete="off" {...invalid('title')} />
          <label for="description">Description</label>
          <textarea id="description" name="description" rows={10} aria-describedby="description-hint" {...invalid('description')}>
            {draft.description}
          </textarea>
          <p class="hint" id="description-hint">
            What you did, what happened, what you expected; versions and logs. Markdown works.
          </p>
          <label for="component">Component</label>
          <select id="component" name="componentSlug" {...invalid('componentSlug')}>
            <option value="">I don't know</option>
            {[...owners].map(([owner, list]) => (
              <optgroup key={owner} label={owner}>
                {list.map((c) => (
                  <option key={c.slug} value={c.slug} selected={c.slug === draft.componentSlug}>
                    {c.name} ({c.slug})
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <label for="release">Affected release (bugs)</label>
          <select id="release" name="releaseSlug">
            <option value="">Not sure</option>
            {catalogue.releases.map((r) => (
              <option key={r.slug} value={r.slug} selected={r.slug === draft.releaseSlug}>
                {r.name}
              </option>
            ))}
          </select>
          {offers.tags && (
            <>
              <label for="tags">Tags (bugs)</label>
              <input id="tags" name="tags" value={draft.tags} maxLength={300} aria-describedby="tags-hint" {...invalid('tags')} />
              <p class="hint" id="tags-hint">
                Optional, separated by commas: windows, regression.
              </p>
            </>
          )}
          {offers.security && (
            <label class="check">
              <input type="checkbox" name="security" value="yes" checked={draft.security} /> This bug is a security vulnerability: keep it private (embargoed) until it is fixed
            </label>
          )}
          <div class="actions">
            <button type="submit" name="preview" value="1" class="secondary" data-assist-check="">
              Check for similar reports
            </button>
            <button type="submit" class="primary">
              File
            </button>
          </div>
        </form>
        <aside class="assist">
          <section role="region" aria-labelledby="similar-heading">
            <h2 id="similar-heading">Similar reports</h2>
            <div data-region="similar" aria-live="polite">
              <SimilarBody assist={help} />
            </div>
          </section>
          <section role="region" aria-labelledby="suggestions-heading">
            <h2 id="suggestions-heading">Suggested components</h2>
            <div data-region="suggestions" aria-live="polite">
              <SuggestionsBody assist={help} available={available} />
            </div>
          </section>
          <section role="region" aria-labelledby="routing-heading">
            <h2 id="routing-heading">Routing</h2>
            <div data-region="routing" aria-live="polite">
              <RoutingBody assist={help} draft={draft} />
            </div>
          </section>
        </aside>
      </div>
    </>
  );
}

/** What only bugs take, when the API has it: tags, and an embargo for security reports. */
function bugExtras(page: Page, draft: Draft): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  const tags = draft.tags.split(/[\s,]+/).filter(Boolean);
  if (tags.length && page.features.has('FileBugInput', 'tags')) extras.tags = tags;
  if (draft.security && page.features.has('FileBugInput', 'visibility')) extras.visibility = 'SECURITY';
  return extras;
}

/** `/new`: file a bug or suggest a feature, helped while typing. */
export function registerNewPage(fastify: FastifyInstance, deps: WebDeps): void {
  const show = async (page: Page, draft: Draft, status = 200, error?: { message: string; field?: string }) => {
    const [catalogue, help] = await Promise.all([page.gql<Catalogue>(CATALOGUE), assist(page, draft)]);
    if (!catalogue.data) return page.error(catalogue.errors[0]);
    const offers = { suggestions: page.features.has('Query', 'suggestComponents'), security: page.features.has('FileBugInput', 'visibility'), tags: page.features.has('FileBugInput', 'tags') };
    return page.render('File a report', (chrome) => <NewPage csrf={chrome.csrf} draft={draft} catalogue={catalogue.data!} assist={help} offers={offers} error={error} />, { status });
  };

  fastify.get('/new', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (!(await page.actor())) return page.toLogin('/new');
    return show(page, draftOf({ kind: param(request, 'kind'), title: param(request, 'title'), componentSlug: param(request, 'component') }));
  });

  fastify.get('/new/assist', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const draft = draftOf({ kind: param(request, 'kind'), title: param(request, 'title'), description: param(request, 'description'), componentSlug: param(request, 'componentSlug') });
    const help = await assist(page, draft);
    return reply.header('cache-control', 'private, no-store').send(assistFragments(help, draft, page.features.has('Query', 'suggestComponents')));
  });

  fastify.post('/new', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (!(await page.actor())) return page.toLogin('/new');
    const form = formOf(request);
    const draft = draftOf(form.useComponent ? { ...form, componentSlug: form.useComponent } : form);
    if (form.preview || form.useComponent) return show(page, draft);
    const base = { title: draft.title, description: draft.description, componentSlug: draft.componentSlug || null };
    const result =
      draft.kind === 'FEATURE'
        ? await page.gql<{ suggestFeature: { feature: { number: number; route: { upstream: { name: string } } | null } } }>(
            `mutation ($input: SuggestFeatureInput!) { suggestFeature(input: $input) { feature { number route { upstream { name } } } } }`,
            { input: base },
          )
        : await page.gql<{ fileBug: { bug: { number: number; route: { upstream: { name: string } } | null } } }>(
            `mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { number route { upstream { name } } } } }`,
            { input: { ...base, affectedReleaseSlugs: draft.releaseSlug ? [draft.releaseSlug] : [], ...bugExtras(page, draft) } },
          );
    const error = result.errors[0];
    const data = result.data as Record<string, { bug?: { number: number; route: { upstream: { name: string } } | null }; feature?: { number: number; route: { upstream: { name: string } } | null } }> | null;
    const filed = data && (data.fileBug?.bug ?? data.suggestFeature?.feature);
    if (error || !filed) {
      if (error?.code === 'UNAUTHENTICATED') return page.toLogin('/new');
      return show(page, draft, error ? (error.code === 'RATE_LIMITED' ? 429 : 400) : 500, { message: error?.message ?? 'Filing failed', field: error?.field });
    }
    return page.redirect(`/items/${filed.number}`, `Filed #${filed.number}${filed.route ? `: routed to ${filed.route.upstream.name}` : ''}.`);
  });
}
