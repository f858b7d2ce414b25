import { Csrf, SafeHtml } from '../components/layout';
import { IMPORTANCES, STATUSES, day, kindWord, votesWord, words } from '../components/items';
import { renderMarkdown } from '../markdown';
import type { SchemaFeatures } from '../schema-features';

export interface ForwardView {
  state: string;
  reference: string | null;
  forwardedAt: string | null;
  url?: string | null;
  remoteStatus?: string | null;
  lastCheckedAt?: string | null;
  upstream: { slug: string; name: string; trackerUrl: string | null };
}

export interface ItemView {
  id: string;
  number: number;
  kind: 'BUG' | 'FEATURE';
  title: string;
  description: string;
  status: string;
  closed: boolean;
  importance: string;
  voteCount: number;
  viewerHasVoted: boolean;
  createdAt: string;
  updatedAt: string;
  reporter: { username: string };
  component: { slug: string; name: string; parent: { slug: string; parent: { slug: string; parent: { slug: string } | null } | null } | null } | null;
  route: { reason: string; manual: boolean; upstream: { slug: string; name: string } } | null;
  forward?: ForwardView | null;
  forwards?: ForwardView[];
  duplicateOf: { number: number; title: string } | null;
  affectedReleases?: { name: string }[];
  fixedIn?: { name: string } | null;
  plannedFor?: { name: string } | null;
  assignee?: { username: string } | null;
  tags?: string[];
  attachments?: { filename: string; size: number; url: string; contentType: string }[];
  heat?: number;
  visibility?: 'PUBLIC' | 'SECURITY';
  viewerSubscription?: string | null;
  timeline: { nodes: { type: string; summary: string; createdAt: string; actor: { username: string } | null }[] };
  comments: { nodes: { id: string; body: string; createdAt: string; author: { username: string } }[] };
}

export interface ViewerRoles {
  user: { username: string };
  roles: { role: string; upstream: { slug: string } | null; component: { slug: string } | null }[];
}

/** The item page's query, with what the schema offers today (forwards per upstream, assignee, tags, attachments once they land). */
export function itemQuery(features: SchemaFeatures): string {
  const forwardFields = `state reference forwardedAt upstream { slug name trackerUrl }${features.has('Forward', 'url') ? ' url' : ''}${features.has('Forward', 'remoteStatus') ? ' remoteStatus lastCheckedAt' : ''}`;
  const optional = [
    features.has('Item', 'forwards') ? `forwards { ${forwardFields} }` : `forward { ${forwardFields} }`,
    features.has('Item', 'assignee') ? 'assignee { username }' : '',
    features.has('Item', 'tags') ? 'tags' : '',
    features.has('Item', 'attachments') ? 'attachments { filename size url contentType }' : '',
    features.has('Item', 'heat') ? 'heat' : '',
    features.has('Item', 'visibility') ? 'visibility' : '',
    features.has('Item', 'viewerSubscription') ? 'viewerSubscription' : '',
  ].join(' ');
  return `query Item($number: Int!) {
    item(number: $number) {
      id number kind title description status closed importance voteCount viewerHasVoted createdAt updatedAt
      reporter { username }
      component { slug name parent { slug parent { slug parent { slug } } } }
      route { reason manual upstream { slug name } }
      duplicateOf { number title }
      ${optional}
      ... on Bug { affectedReleases { name } fixedIn { name } }
      ... on FeatureSuggestion { plannedFor { name } }
      timeline(first: 100) { nodes { type summary createdAt actor { username } } }
      comments(first: 100) { nodes { id body createdAt author { username } } }
    }
    viewer { user { username } roles { role upstream { slug } component { slug } } }
  }`;
}

/** Whether the viewer maintains this item (the API decides; this only chooses which forms to show). */
export function maintainsItem(viewer: ViewerRoles | null, item: ItemView): boolean {
  if (!viewer) return false;
  const lineage: string[] = [];
  for (let c: { slug: string; parent?: unknown } | null = item.component; c; c = (c.parent as { slug: string; parent?: unknown } | null) ?? null) lineage.push(c.slug);
  return viewer.roles.some(
    (g) => g.role === 'ADMIN' || (g.role === 'MAINTAINER' && ((g.upstream && g.upstream.slug === item.route?.upstream.slug) || (g.component && lineage.includes(g.component.slug)))),
  );
}

function forwardsOf(item: ItemView): ForwardView[] {
  if (item.forwards) return item.forwards;
  return item.forward ? [item.forward] : [];
}

export interface ItemPageProps {
  item: ItemView;
  viewer: ViewerRoles | null;
  csrf: string;
  components: { slug: string; name: string }[];
  releases: { slug: string; name: string }[];
  /** Which optional parts of the API exist (assignees, tags, releases, following...). */
  can: { assign: boolean; tags: boolean; releases: boolean; follow: boolean; forwardTo: boolean };
  /** A failed form's message and which form it came from. */
  problem?: { form: string; message: string };
  draft?: Record<string, string>;
}

export function ItemPage({ item, viewer, csrf, components, releases, can, problem, draft }: ItemPageProps) {
  const maintainer = maintainsItem(viewer, item);
  const mayEdit = maintainer || viewer?.user.username === item.reporter.username;
  const forwards = forwardsOf(item);
  const entries = [
    ...item.timeline.nodes.filter((e) => e.type !== 'COMMENTED').map((e) => ({ at: e.createdAt, event: e })),
    ...item.comments.nodes.map((c) => ({ at: c.createdAt, comment: c })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const problemFor = (form: string) =>
    problem?.form === form ? (
      <p role="alert" class="error">
        {problem.message}
      </p>
    ) : null;
  const action = (what: string) => `/items/${item.number}/${what}`;
  const shown = new Set(['vote', 'comment', ...(viewer && item.attachments ? ['attach'] : []), ...(viewer && can.follow ? ['follow'] : []), ...(mayEdit ? ['edit'] : []), ...(maintainer ? ['triage', 'duplicate', 'forward', 'assign'] : [])]);

  return (
    <article class="item">
      <p class="crumbs">
        <a href="/items?q=is%3Aopen">Items</a> / #{item.number}
      </p>
      <h1>{item.title}</h1>
      {item.visibility === 'SECURITY' && (
        <p class="notice">Security report under embargo: only its reporter, its maintainers and admins can see it.</p>
      )}
      {problem && !shown.has(problem.form) && (
        <p role="alert" class="error">
          {problem.message}
        </p>
      )}
      <div class="item-head">
        <dl class="facts">
          <div>
            <dt>Kind</dt>
            <dd>{kindWord(item.kind)}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              <span class={`badge status-${item.status.toLowerCase()}`}>{words(item.status)}</span>
              {item.duplicateOf && (
                <>
                  {' '}
                  of <a href={`/items/${item.duplicateOf.number}`}>#{item.duplicateOf.number} {item.duplicateOf.title}</a>
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>Importance</dt>
            <dd>{words(item.importance)}</dd>
          </div>
          <div>
            <dt>Component</dt>
            <dd>{item.component ? <a href={`/components/${item.component.slug}`}>{item.component.name}</a> : 'Not chosen yet'}</dd>
          </div>
          {item.assignee !== undefined && (
            <div>
              <dt>Assignee</dt>
              <dd>{item.assignee ? item.assignee.username : 'Nobody'}</dd>
            </div>
          )}
          {item.tags && item.tags.length > 0 && (
            <div>
              <dt>Tags</dt>
              <dd>
                {item.tags.map((t) => (
                  <a class="chip" key={t} href={`/items?q=${encodeURIComponent(`tag:${t}`)}`}>
                    {t}
                  </a>
                ))}
              </dd>
            </div>
          )}
          {item.affectedReleases && item.affectedReleases.length > 0 && (
            <div>
              <dt>Affects</dt>
              <dd>{item.affectedReleases.map((r) => r.name).join(', ')}</dd>
            </div>
          )}
          {item.fixedIn && (
            <div>
              <dt>Fixed in</dt>
              <dd>{item.fixedIn.name}</dd>
            </div>
          )}
          {item.plannedFor && (
            <div>
              <dt>Planned for</dt>
              <dd>{item.plannedFor.name}</dd>
            </div>
          )}
          {item.heat !== undefined && (
            <div>
              <dt>Heat</dt>
              <dd>{item.heat}</dd>
            </div>
          )}
          <div>
            <dt>Reported</dt>
            <dd>
              by {item.reporter.username} on {day(item.createdAt)}
            </dd>
          </div>
        </dl>
        <form method="post" action={action('vote')} class="vote" data-vote="">
          <Csrf token={csrf} />
          <input type="hidden" name="intent" value={item.viewerHasVoted ? 'unvote' : 'vote'} />
          <button type="submit" aria-pressed={item.viewerHasVoted ? 'true' : 'false'} aria-describedby="vote-count">
            Vote
          </button>
          <span id="vote-count" class="vote-count" aria-live="polite">
            {votesWord(item.voteCount)}
          </span>
          {problemFor('vote')}
        </form>
        {viewer && can.follow && (
          <form method="post" action={action('follow')} class="follow">
            <Csrf token={csrf} />
            <input type="hidden" name="state" value={item.viewerSubscription === 'SUBSCRIBED' ? 'UNSUBSCRIBED' : 'SUBSCRIBED'} />
            <button type="submit" aria-pressed={item.viewerSubscription === 'SUBSCRIBED' ? 'true' : 'false'}>
              Follow
            </button>
            {problemFor('follow')}
          </form>
        )}
      </div>

      <section aria-labelledby="route-heading" class="route">
        <h2 id="route-heading">Where it goes</h2>
        {item.route ? (
          <p>
            Routed to <a href={`/upstreams/${item.route.upstream.slug}`}>{item.route.upstream.name}</a>: {item.route.reason}
            {item.route.manual && ' (set by a maintainer)'}
          </p>
        ) : (
          <p>Not routed.</p>
        )}
        {forwards.length > 0 && (
          <ul class="forwards">
            {forwards.map((f) => (
              <li key={f.upstream.slug}>
                {f.upstream.name}: <strong>{words(f.state)}</strong>
                {f.reference && <> (reference {f.reference})</>}
                {f.remoteStatus && <>, upstream says “{f.remoteStatus}”</>}
                {f.url && (
                  <>
                    {' '}
                    <a href={f.url} rel="nofollow noopener noreferrer">
                      their record
                    </a>
                  </>
                )}
                {!f.url && f.upstream.trackerUrl && (
                  <>
                    {' '}
                    <a href={f.upstream.trackerUrl} rel="nofollow noopener noreferrer">
                      their tracker
                    </a>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="description-heading">
        <h2 id="description-heading">Description</h2>
        <SafeHtml class="markdown" html={renderMarkdown(item.description)} />
        {item.attachments && (
          <>
            <h3>Attachments</h3>
            {item.attachments.length > 0 ? (
              <ul class="attachments">
                {item.attachments.map((a) => (
                  <li key={a.url}>
                    <a href={viewer ? a.url.replace(/^\/attachments\//, '/files/') : a.url}>{a.filename}</a> <span class="meta">({a.size < 1024 ? `${a.size} bytes` : `${Math.ceil(a.size / 1024)} KB`}, {a.contentType.split(';')[0]})</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="empty">No file attached.</p>
            )}
            {viewer && (
              <form method="post" action={`${action('attach')}?_csrf=${encodeURIComponent(csrf)}`} encType="multipart/form-data" class="inline-form">
                {problemFor('attach')}
                <label for="attachment">Attach a file</label>
                <input id="attachment" name="file" type="file" required />
                <button type="submit">Upload</button>
              </form>
            )}
          </>
        )}
      </section>

      {mayEdit && (
        <details class="panel" open={problem?.form === 'edit'}>
          <summary>Edit title and description</summary>
          {problemFor('edit')}
          <form method="post" action={action('edit')} class="stack">
            <Csrf token={csrf} />
            <label for="edit-title">Title</label>
            <input id="edit-title" name="title" required maxLength={200} value={draft?.title ?? item.title} />
            <label for="edit-description">Description</label>
            <textarea id="edit-description" name="description" rows={8}>
              {draft?.description ?? item.description}
            </textarea>
            <button type="submit">Save changes</button>
          </form>
        </details>
      )}

      {maintainer && (
        <section aria-labelledby="triage-heading" class="panel">
          <h2 id="triage-heading">Triage</h2>
          {problemFor('triage')}
          <form method="post" action={action('triage')} class="grid-form">
            <Csrf token={csrf} />
            <input type="hidden" name="currentStatus" value={item.status} />
            <input type="hidden" name="currentImportance" value={item.importance} />
            <input type="hidden" name="kind" value={item.kind} />
            <label for="triage-status">Status</label>
            <select id="triage-status" name="status">
              {STATUSES.filter((s) => s !== 'DUPLICATE' && s !== 'EXPIRED').map((s) => (
                <option key={s} value={s} selected={s === item.status}>
                  {words(s)}
                </option>
              ))}
            </select>
            <label for="triage-importance">Importance</label>
            <select id="triage-importance" name="importance">
              {IMPORTANCES.map((i) => (
                <option key={i} value={i} selected={i === item.importance}>
                  {words(i)}
                </option>
              ))}
            </select>
            <label for="triage-component">Move to component</label>
            <select id="triage-component" name="componentSlug">
              <option value="">(keep {item.component ? item.component.slug : 'none'})</option>
              {components.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name} ({c.slug})
                </option>
              ))}
            </select>
            {can.tags && (
              <>
                <label for="triage-add-tags">Add tags</label>
                <input id="triage-add-tags" name="addTags" placeholder="regression, windows" maxLength={300} />
                <label for="triage-remove-tags">Remove tags</label>
                <input id="triage-remove-tags" name="removeTags" maxLength={300} />
              </>
            )}
            {can.releases && (
              <>
                <label for="triage-release">{item.kind === 'FEATURE' ? 'Planned for' : 'Fixed in'}</label>
                <select id="triage-release" name="releaseSlug">
                  <option value="">(no change)</option>
                  {releases.map((r) => (
                    <option key={r.slug} value={r.slug}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </>
            )}
            <label for="triage-comment">Triage note</label>
            <textarea id="triage-comment" name="comment" rows={2} />
            <button type="submit" class="primary">
              Save triage
            </button>
          </form>
          {problemFor('duplicate')}
          <form method="post" action={action('duplicate')} class="inline-form">
            <Csrf token={csrf} />
            <label for="duplicate-of">Duplicate of #</label>
            <input id="duplicate-of" name="number" inputMode="numeric" pattern="[0-9]+" size={6} required />
            <button type="submit">Mark duplicate</button>
          </form>
          {can.assign && (
            <>
              {problemFor('assign')}
              <form method="post" action={action('assign')} class="inline-form">
                <Csrf token={csrf} />
                <label for="assignee">Assignee</label>
                <input id="assignee" name="username" maxLength={39} value={item.assignee?.username ?? ''} autocomplete="off" />
                <button type="submit">Assign</button>
              </form>
            </>
          )}
          {problemFor('forward')}
          {forwards
            .filter((f) => f.state === 'PENDING')
            .map((f) => (
              <form key={f.upstream.slug} method="post" action={action('forward')} class="inline-form">
                <Csrf token={csrf} />
                {can.forwardTo && <input type="hidden" name="upstreamSlug" value={f.upstream.slug} />}
                <label for={`forward-${f.upstream.slug}`}>{`${f.upstream.name}'s reference`}</label>
                <input id={`forward-${f.upstream.slug}`} name="reference" maxLength={200} />
                <button type="submit">Record forward</button>
              </form>
            ))}
        </section>
      )}

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol class="timeline">
          {entries.map((entry, index) =>
            'comment' in entry && entry.comment ? (
              <li key={entry.comment.id} class="comment">
                <p class="who">
                  <strong>{entry.comment.author.username}</strong> commented on {day(entry.comment.createdAt)}
                </p>
                <SafeHtml class="markdown" html={renderMarkdown(entry.comment.body)} />
              </li>
            ) : (
              'event' in entry &&
              entry.event && (
                <li key={`e${index}`} class="event">
                  {entry.event.summary} <span class="when">{day(entry.event.createdAt)}</span>
                </li>
              )
            ),
          )}
        </ol>
      </section>

      <section aria-labelledby="comment-heading">
        <h2 id="comment-heading">Add a comment</h2>
        {viewer ? (
          <form method="post" action={action('comment')} class="stack">
            <Csrf token={csrf} />
            {problemFor('comment')}
            <label for="comment">Comment</label>
            <textarea id="comment" name="body" rows={5} required aria-describedby="comment-hint">
              {draft?.body ?? ''}
            </textarea>
            <p class="hint" id="comment-hint">
              Markdown works: **bold**, `code`, lists, links.
            </p>
            <button type="submit" class="primary">
              Post comment
            </button>
          </form>
        ) : (
          <p>
            <a href={`/login?next=${encodeURIComponent(`/items/${item.number}`)}`}>Sign in</a> to comment, vote or follow.
          </p>
        )}
      </section>
    </article>
  );
}
