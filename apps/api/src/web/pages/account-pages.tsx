import type { FastifyInstance } from 'fastify';
import { Csrf } from '../components/layout';
import { day } from '../components/items';
import { Page, formOf, type WebDeps } from '../page';
import { SESSION_COOKIE, clearCookie } from '../session';

interface SettingsData {
  viewer: {
    user: { username: string; createdAt: string };
    email?: string;
    emailVerified?: boolean;
    roles: { role: string; upstream: { name: string } | null; component: { name: string } | null }[];
    accessTokens: { id: string; name: string | null; kind: string; createdAt: string; lastUsedAt: string | null; expiresAt: string | null }[];
  } | null;
}

interface Notice {
  form: string;
  message: string;
  error?: boolean;
  /** A new personal token's secret, shown once. */
  secret?: string;
}

/** `/settings` and `/notifications`. */
export function registerAccountPages(fastify: FastifyInstance, deps: WebDeps): void {
  const settings = async (page: Page, notice?: Notice, status = 200) => {
    const email = page.features.has('Viewer', 'email') ? 'email emailVerified' : '';
    const result = await page.gql<SettingsData>(`query Settings { viewer { user { username createdAt } ${email} roles { role upstream { name } component { name } } accessTokens { id name kind createdAt lastUsedAt expiresAt } } }`);
    const viewer = result.data?.viewer;
    if (!viewer) return page.toLogin('/settings');
    const noticeFor = (form: string) =>
      notice?.form === form ? (
        <p role={notice.error ? 'alert' : 'status'} class={notice.error ? 'error' : 'flash'}>
          {notice.message}
        </p>
      ) : null;
    const canVerify = page.features.has('Mutation', 'requestEmailVerification');
    return page.render(
      'Settings',
      (chrome) => (
        <>
          <h1>Settings</h1>
          <p>
            Signed in as <strong>{viewer.user.username}</strong> since {day(viewer.user.createdAt)}
            {viewer.roles.length > 0 && (
              <>
                ; {viewer.roles.map((r) => (r.role === 'ADMIN' ? 'admin' : `maintainer of ${r.upstream?.name ?? r.component?.name}`)).join(', ')}
              </>
            )}
            .
          </p>
          <section aria-labelledby="email-heading" class="panel">
            <h2 id="email-heading">E-mail</h2>
            {viewer.email !== undefined ? (
              <>
                <p>
                  {viewer.email} · {viewer.emailVerified ? 'verified' : 'not verified yet'}
                </p>
                {!viewer.emailVerified && canVerify && (
                  <form method="post" action="/settings/verify-email">
                    <Csrf token={chrome.csrf} />
                    <button type="submit">Send a verification mail</button>
                  </form>
                )}
                {noticeFor('verify')}
              </>
            ) : (
              <p class="hint">The address you registered with gets your notifications once they are sent; changing and verifying it comes here.</p>
            )}
          </section>
          <section aria-labelledby="notify-heading" class="panel">
            <h2 id="notify-heading">Notifications</h2>
            <p class="hint">
              What you follow and how you are told: see <a href="/notifications">your notifications</a>.
            </p>
          </section>
          <section aria-labelledby="password-heading" class="panel">
            <h2 id="password-heading">Password</h2>
            {noticeFor('password')}
            <form method="post" action="/settings/password" class="stack">
              <Csrf token={chrome.csrf} />
              <label for="current-password">Current password</label>
              <input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required />
              <label for="new-password">New password</label>
              <input id="new-password" name="newPassword" type="password" autocomplete="new-password" required minLength={10} />
              <button type="submit">Change password</button>
            </form>
          </section>
          <section aria-labelledby="tokens-heading" class="panel">
            <h2 id="tokens-heading">Access tokens</h2>
            <p class="hint">For scripts and tools using the GraphQL API: send one as “Authorization: Bearer …”.</p>
            {noticeFor('tokens')}
            {notice?.secret && (
              <p class="secret">
                <label for="new-token">Your new token (shown once)</label>
                <input id="new-token" readOnly value={notice.secret} />
              </p>
            )}
            <table class="tokens">
              <caption class="visually-hidden">Your live tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {viewer.accessTokens.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name ?? (t.kind === 'SESSION' ? 'Browser session' : '—')}</td>
                    <td>{t.kind === 'SESSION' ? 'session' : 'personal'}</td>
                    <td>{day(t.createdAt)}</td>
                    <td>{t.lastUsedAt ? day(t.lastUsedAt) : 'never'}</td>
                    <td>
                      <form method="post" action="/settings/tokens/revoke" class="inline">
                        <Csrf token={chrome.csrf} />
                        <input type="hidden" name="id" value={t.id} />
                        <button type="submit" class="link" aria-label={`Revoke ${t.name ?? t.kind.toLowerCase()} token created ${day(t.createdAt)}`}>
                          Revoke
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <form method="post" action="/settings/tokens" class="inline-form">
              <Csrf token={chrome.csrf} />
              <label for="token-name">Token name</label>
              <input id="token-name" name="name" required maxLength={100} />
              <label for="token-days">Expires in days</label>
              <input id="token-days" name="expiresInDays" inputMode="numeric" pattern="[0-9]*" size={4} />
              <button type="submit">Create token</button>
            </form>
            <form method="post" action="/settings/sessions/revoke">
              <Csrf token={chrome.csrf} />
              <button type="submit">Sign out everywhere</button>
            </form>
          </section>
        </>
      ),
      { status },
    );
  };

  fastify.get('/settings', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (!(await page.actor())) return page.toLogin('/settings');
    return settings(page);
  });

  fastify.post('/settings/password', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (!(await page.actor())) return page.toLogin('/settings');
    const form = formOf(request);
    const result = await page.gql(`mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { ok } }`, { input: { currentPassword: form.currentPassword ?? '', newPassword: form.newPassword ?? '' } });
    if (result.errors[0]) return settings(page, { form: 'password', message: result.errors[0].message, error: true }, 400);
    return page.redirect('/settings', 'Password changed; your other sessions ended.');
  });

  fastify.post('/settings/tokens', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (!(await page.actor())) return page.toLogin('/settings');
    const form = formOf(request);
    const days = form.expiresInDays?.trim() ? Number(form.expiresInDays) : null;
    const result = await page.gql<{ createAccessToken: { token: string } }>(`mutation ($input: CreateAccessTokenInput!) { createAccessToken(input: $input) { token } }`, {
      input: { name: form.name ?? '', expiresInDays: days !== null && Number.isInteger(days) ? days : days === null ? null : -1 },
    });
    if (!result.data) return settings(page, { form: 'tokens', message: result.errors[0]?.message ?? 'Could not create the token', error: true }, 400);
    // Shown once, on this answer only: a redirect would have to carry the secret.
    return settings(page, { form: 'tokens', message: 'Token created: copy it now, it is not shown again.', secret: result.data.createAccessToken.token });
  });

  fastify.post('/settings/tokens/revoke', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (!(await page.actor())) return page.toLogin('/settings');
    const result = await page.gql(`mutation ($input: RevokeAccessTokenInput!) { revokeAccessToken(input: $input) { accessToken { id } } }`, { input: { id: formOf(request).id ?? '' } });
    if (result.errors[0]) return settings(page, { form: 'tokens', message: result.errors[0].message, error: true }, 400);
    return page.redirect('/settings', 'Token revoked.');
  });

  fastify.post('/settings/sessions/revoke', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (!(await page.actor())) return page.toLogin('/settings');
    await page.gql(`mutation { revokeSessions { revoked } }`);
    clearCookie(request, reply, SESSION_COOKIE);
    return page.redirect('/login', 'Signed out everywhere.');
  });

  fastify.post('/settings/verify-email', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (!(await page.actor())) return page.toLogin('/settings');
    if (!page.features.has('Mutation', 'requestEmailVerification')) return page.redirect('/settings');
    const result = await page.gql(`mutation { requestEmailVerification(input: {}) { __typename } }`);
    if (result.errors[0]) return settings(page, { form: 'verify', message: result.errors[0].message, error: true }, 400);
    return page.redirect('/settings', 'A verification mail is on its way.');
  });

  fastify.post('/notifications/read', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (!(await page.actor())) return page.toLogin('/notifications');
    const result = await page.gql(`mutation { markNotificationsRead(input: { all: true }) { __typename } }`);
    if (result.errors[0]) return page.error(result.errors[0], '/notifications');
    return page.redirect('/notifications', 'All marked as read.');
  });

  fastify.get('/notifications', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (!(await page.actor())) return page.toLogin('/notifications');
    if (!page.features.has('Viewer', 'notifications')) {
      return page.render('Notifications', () => (
        <>
          <h1>Notifications</h1>
          <p class="empty">No notification yet. Comments, status changes and upstream news of the items you follow will be listed here.</p>
        </>
      ));
    }
    const result = await page.gql<{
      viewer: { notifications: { nodes: { id: string; reason: string; read: boolean; createdAt: string; item: { number: number; title: string }; event: { summary: string } }[] } } | null;
    }>(`query { viewer { notifications(first: 50) { nodes { id reason read createdAt item { number title } event { summary } } } } }`);
    const list = result.data?.viewer?.notifications;
    if (!list) return page.error(result.errors[0] ?? { code: 'UNAUTHENTICATED', message: 'Sign in first.' }, '/notifications');
    const canMark = page.features.has('Mutation', 'markNotificationsRead');
    return page.render('Notifications', (chrome) => (
      <>
        <h1>Notifications</h1>
        {canMark && list.nodes.some((n) => !n.read) && (
          <form method="post" action="/notifications/read">
            <Csrf token={chrome.csrf} />
            <button type="submit">Mark all as read</button>
          </form>
        )}
        {list.nodes.length === 0 ? (
          <p class="empty">No notification yet.</p>
        ) : (
          <ul class="items">
            {list.nodes.map((n) => (
              <li key={n.id} class={n.read ? 'read' : 'unread'}>
                <a href={`/items/${n.item.number}`}>
                  #{n.item.number} {n.item.title}
                </a>
                <span class="meta">
                  {n.event.summary} · {day(n.createdAt)} · {n.read ? 'read' : 'new'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </>
    ));
  });
}
