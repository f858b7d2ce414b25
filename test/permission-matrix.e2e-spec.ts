import { GraphQLSchemaHost } from '@nestjs/graphql';
import { randomBytes } from 'node:crypto';
import { createActor, type GrantSpec, type TestActor } from './support/actors';
import { fileBug } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

type Role = 'anonymous' | 'reporter' | 'owner maintainer' | 'other maintainer' | 'admin';
/**
 * BAD_USER_INPUT: allowed past the policy, then refused by the mutation's own check. NOT_FOUND:
 * an embargoed security report, which does not exist for those who may not see it.
 */
type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND';
const ROLES: Role[] = ['anonymous', 'reporter', 'owner maintainer', 'other maintainer', 'admin'];

/** The operation to try, built fresh for each role (`me` is the one trying, null when anonymous). */
type Build = (app: TestApp, me: TestActor | null) => Promise<{ query: string; variables?: Record<string, unknown> }>;

const unique = () => randomBytes(3).toString('hex');
const SIGNED_IN: Outcome[] = ['UNAUTHENTICATED', 'ok', 'ok', 'ok', 'ok'];
const MAINTAINERS: Outcome[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'ok'];
const ADMINS: Outcome[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok'];
const ANYONE: Outcome[] = ['ok', 'ok', 'ok', 'ok', 'ok'];

/** A fresh bug on `xen` (owned by xen-project, the "owner" maintainers' upstream). */
async function xenBug(app: TestApp, setup?: string) {
  const reporter = await createActor(app);
  const bug = await fileBug(app, reporter, { componentSlug: 'xen' });
  if (setup) await app.sql(setup, [bug.number]);
  return bug;
}

/** A reply by mail from a stranger, held on a fresh xen bug. */
async function heldMail(app: TestApp): Promise<string> {
  const bug = await xenBug(app);
  const [held] = await app.sql<{ id: number }>(`INSERT INTO held_mail (item_id, sender, body) SELECT id, 'stranger@example.org', 'Same here' FROM item WHERE number = $1 RETURNING id`, [bug.number]);
  return Buffer.from(`HeldMail:${held.id}`).toString('base64url');
}

const MATRIX: [mutation: string, expected: Outcome[], build: Build][] = [
  ['register', ANYONE, async () => ({ query: `mutation { register(input: { username: "u${unique()}", email: "x@example.org", password: "long enough password" }) { token } }` })],
  ['login', ANYONE, async (app) => {
    const name = `u${unique()}`;
    await app.gql(`mutation { register(input: { username: "${name}", email: "x@example.org", password: "long enough password" }) { token } }`);
    return { query: `mutation { login(input: { username: "${name}", password: "long enough password" }) { token } }` };
  }],
  ['logout', SIGNED_IN, async () => ({ query: `mutation { logout { ok } }` })],
  ['revokeSessions', SIGNED_IN, async () => ({ query: `mutation { revokeSessions { revoked } }` })],
  // Test actors have no password, so a signed-in attempt gets past the policy to "wrong current password".
  ['changePassword', ['UNAUTHENTICATED', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT'], async () => ({ query: `mutation { changePassword(input: { currentPassword: "test actors have none", newPassword: "a new long password" }) { ok } }` })],
  ['createAccessToken', SIGNED_IN, async () => ({ query: `mutation { createAccessToken(input: { name: "bot" }) { token } }` })],
  ['revokeAccessToken', ['UNAUTHENTICATED', 'ok', 'ok', 'ok', 'ok'], async (app, me) => {
    const made = me ? await app.gql<{ createAccessToken: { accessToken: { id: string } } }>(`mutation { createAccessToken(input: { name: "bot" }) { accessToken { id } } }`, {}, { token: me.token }) : null;
    const id = made?.body.data?.createAccessToken.accessToken.id ?? Buffer.from('AccessToken:1').toString('base64url');
    return { query: `mutation ($id: ID!) { revokeAccessToken(input: { id: $id }) { accessToken { id } } }`, variables: { id } };
  }],
  ['grantRole', ADMINS, async (app) => {
    const target = await createActor(app);
    return { query: `mutation { grantRole(input: { username: "${target.username}", role: MAINTAINER, upstreamSlug: "xen-project" }) { grants { role } } }` };
  }],
  ['revokeRole', ADMINS, async (app) => {
    const target = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
    return { query: `mutation { revokeRole(input: { username: "${target.username}", role: MAINTAINER, upstreamSlug: "debian" }) { grants { role } } }` };
  }],
  ['createUpstream', ADMINS, async () => ({ query: `mutation { createUpstream(input: { slug: "u-${unique()}", name: "U", forwarding: WEBHOOK, trackerKind: GITHUB, webhookUrl: "https://hooks.example.org/u", webhookSecret: "sixteen or more characters" }) { upstream { slug } } }` })],
  ['updateUpstream', ADMINS, async () => ({ query: `mutation { updateUpstream(input: { slug: "xen-project", ircChannel: "#xen", trackerKind: NONE, webhookSecret: "sixteen or more characters" }) { upstream { slug } } }` })],
  ['retireUpstream', ADMINS, async (app) => {
    const slug = `u-${unique()}`;
    await app.sql(`INSERT INTO upstream (slug, name, forwarding) VALUES ($1, 'U', 'MANUAL')`, [slug]);
    return { query: `mutation { retireUpstream(input: { slug: "${slug}" }) { upstream { slug } } }` };
  }],
  ['createComponent', ADMINS, async () => ({ query: `mutation { createComponent(input: { slug: "xen/c-${unique()}", name: "C", parentSlug: "xen", packageName: "xen-c" }) { component { slug } } }` })],
  ['updateComponent', ADMINS, async () => ({ query: `mutation { updateComponent(input: { slug: "installer", description: "The host installer.", packageName: "xs-installer" }) { component { slug } } }` })],
  ['createRelease', ADMINS, async () => ({ query: `mutation { createRelease(input: { slug: "r-${unique()}", name: "R" }) { release { slug } } }` })],
  ['updateRelease', ADMINS, async () => ({ query: `mutation { updateRelease(input: { slug: "xcp-1.6", name: "XCP 1.6" }) { release { slug } } }` })],
  ['fileBug', SIGNED_IN, async () => ({ query: `mutation { fileBug(input: { title: "Something is broken", description: "" }) { bug { id } } }` })],
  ['suggestFeature', SIGNED_IN, async () => ({ query: `mutation { suggestFeature(input: { title: "Something is missing", description: "" }) { feature { id } } }` })],
  // The "reporter" role here did not file the bug: only its own reporter may edit it (tested in item-editing).
  ['editItem', MAINTAINERS, async (app) => ({ query: `mutation ($id: ID!) { editItem(input: { itemId: $id, title: "A clearer title for this" }) { item { id } } }`, variables: { id: (await xenBug(app)).id } })],
  ['addComment', SIGNED_IN, async (app) => ({ query: `mutation ($id: ID!) { addComment(input: { itemId: $id, body: "me too" }) { comment { id } } }`, variables: { id: (await xenBug(app)).id } })],
  ['vote', SIGNED_IN, async (app) => ({ query: `mutation ($id: ID!) { vote(input: { itemId: $id }) { item { voteCount } } }`, variables: { id: (await xenBug(app)).id } })],
  ['unvote', SIGNED_IN, async (app) => ({ query: `mutation ($id: ID!) { unvote(input: { itemId: $id }) { item { voteCount } } }`, variables: { id: (await xenBug(app)).id } })],
  ['triage', MAINTAINERS, async (app) => ({ query: `mutation ($id: ID!) { triage(input: { itemId: $id, importance: HIGH }) { item { id } } }`, variables: { id: (await xenBug(app)).id } })],
  ['markDuplicate', MAINTAINERS, async (app) => ({
    query: `mutation ($a: ID!, $b: ID!) { markDuplicate(input: { itemId: $a, duplicateOfId: $b }) { item { id } } }`,
    variables: { a: (await xenBug(app)).id, b: (await xenBug(app)).id },
  })],
  ['unmarkDuplicate', MAINTAINERS, async (app) => {
    const [a, b] = [await xenBug(app), await xenBug(app)];
    await app.sql(`UPDATE item SET status = 'DUPLICATE', duplicate_of_id = (SELECT id FROM item WHERE number = $2) WHERE number = $1`, [a.number, b.number]);
    return { query: `mutation ($a: ID!) { unmarkDuplicate(input: { itemId: $a }) { item { id } } }`, variables: { a: a.id } };
  }],
  ['forward', MAINTAINERS, async (app) => ({ query: `mutation ($id: ID!) { forward(input: { itemId: $id, reference: "msg-1" }) { item { id } } }`, variables: { id: (await xenBug(app)).id } })],
  ['alsoAffects', MAINTAINERS, async (app) => ({ query: `mutation ($id: ID!) { alsoAffects(input: { itemId: $id, upstreamSlug: "debian" }) { forward { state } } }`, variables: { id: (await xenBug(app)).id } })],
  ['redeliver', MAINTAINERS, async (app) => {
    const bug = await xenBug(app);
    const [delivery] = await app.sql<{ id: number }>(
      `WITH f AS (INSERT INTO forward (item_id, upstream_id, kind, state) SELECT id, route_upstream_id, 'ROUTED', 'PENDING' FROM item WHERE number = $1 RETURNING id)
       INSERT INTO delivery (event, channel, destination, subject, payload, message_id, state, attempts, max_attempts, forward_id)
       SELECT 'item.forwarded', 'MAIL', 'xen-devel@lists.xenproject.org', 's', 'b', '<m@x>', 'FAILED', 3, 3, f.id FROM f RETURNING id::int`,
      [bug.number],
    );
    return { query: `mutation ($id: ID!) { redeliver(input: { deliveryId: $id }) { delivery { state } } }`, variables: { id: Buffer.from(`Delivery:${delivery.id}`).toString('base64url') } };
  }],
  ['recordUpstreamOutcome', MAINTAINERS, async (app) => ({
    query: `mutation ($id: ID!) { recordUpstreamOutcome(input: { itemId: $id, state: UPSTREAM_FIXED }) { item { id } } }`,
    variables: { id: (await xenBug(app, `INSERT INTO forward (item_id, upstream_id, kind, state) SELECT id, route_upstream_id, 'ROUTED', 'FORWARDED' FROM item WHERE number = $1`)).id },
  })],
  // Each assigns themselves: a maintainer takes the item.
  ['assign', MAINTAINERS, async (app, me) => ({
    query: `mutation ($id: ID!, $u: String) { assign(input: { itemId: $id, username: $u }) { item { id } } }`,
    variables: { id: (await xenBug(app)).id, u: me?.username ?? 'nobody' },
  })],
  ['disclose', ['NOT_FOUND', 'NOT_FOUND', 'ok', 'NOT_FOUND', 'ok'], async (app) => ({
    query: `mutation ($id: ID!) { disclose(input: { itemId: $id }) { item { id } } }`,
    variables: { id: (await xenBug(app, `UPDATE item SET visibility = 'SECURITY' WHERE number = $1`)).id },
  })],
  // Each edits a comment of their own (that nobody else, admins included, may edit is in moderation's tests).
  ['editComment', SIGNED_IN, async (app, me) => {
    const author = me ?? (await createActor(app));
    const bug = await xenBug(app);
    const made = await app.gql<{ addComment: { comment: { id: string } } }>(`mutation ($id: ID!) { addComment(input: { itemId: $id, body: "first words" }) { comment { id } } }`, { id: bug.id }, { token: author.token });
    return { query: `mutation ($id: ID!) { editComment(input: { commentId: $id, body: "better words" }) { comment { id } } }`, variables: { id: made.body.data!.addComment.comment.id } };
  }],
  ['hideComment', MAINTAINERS, async (app) => {
    const author = await createActor(app);
    const bug = await xenBug(app);
    const made = await app.gql<{ addComment: { comment: { id: string } } }>(`mutation ($id: ID!) { addComment(input: { itemId: $id, body: "buy cheap licences" }) { comment { id } } }`, { id: bug.id }, { token: author.token });
    return { query: `mutation ($id: ID!) { hideComment(input: { commentId: $id, hidden: true, reason: "spam" }) { comment { id } } }`, variables: { id: made.body.data!.addComment.comment.id } };
  }],
  // xen-project keeps no tracker to read back: past the policy, the link itself is refused.
  ['linkUpstreamRecord', ['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'FORBIDDEN', 'BAD_USER_INPUT'], async (app) => ({
    query: `mutation ($id: ID!) { linkUpstreamRecord(input: { itemId: $id, url: "https://github.com/xen-project/xen/issues/1" }) { forward { id } } }`,
    variables: { id: (await xenBug(app)).id },
  })],
  // A record the upstream's tracker kind cannot read: the check records why, without a request.
  ['checkUpstreamRecord', MAINTAINERS, async (app) => {
    const bug = await xenBug(app, `INSERT INTO forward (item_id, upstream_id, kind, state, url) SELECT id, route_upstream_id, 'ROUTED', 'FORWARDED', 'https://github.com/xen-project/xen/issues/1' FROM item WHERE number = $1`);
    const [forward] = await app.sql<{ id: number }>(`SELECT f.id FROM forward f JOIN item i ON i.id = f.item_id WHERE i.number = $1`, [bug.number]);
    return { query: `mutation ($id: ID!) { checkUpstreamRecord(input: { forwardId: $id }) { forward { id } } }`, variables: { id: Buffer.from(`Forward:${forward.id}`).toString('base64url') } };
  }],
  ['approveHeldMail', MAINTAINERS, async (app) => ({ query: `mutation ($id: ID!) { approveHeldMail(input: { heldMailId: $id }) { heldMail { state } } }`, variables: { id: await heldMail(app) } })],
  ['dropHeldMail', MAINTAINERS, async (app) => ({ query: `mutation ($id: ID!) { dropHeldMail(input: { heldMailId: $id }) { heldMail { state } } }`, variables: { id: await heldMail(app) } })],
  ['routeItem', MAINTAINERS, async (app) => ({ query: `mutation ($id: ID!) { routeItem(input: { itemId: $id, upstreamSlug: "centos", reason: "dom0 kernel" }) { item { id } } }`, variables: { id: (await xenBug(app)).id } })],
  ['resetRoute', MAINTAINERS, async (app) => ({
    query: `mutation ($id: ID!) { resetRoute(input: { itemId: $id }) { item { id } } }`,
    variables: { id: (await xenBug(app, `UPDATE item SET route_manual = true WHERE number = $1`)).id },
  })],
  // Following and the inbox: anyone signed in, for themselves only.
  ['updateSubscription', SIGNED_IN, async (app) => ({ query: `mutation ($id: ID!) { updateSubscription(input: { subscribableId: $id, state: SUBSCRIBED }) { subscribable { id } } }`, variables: { id: (await xenBug(app)).id } })],
  ['markNotificationsRead', SIGNED_IN, async () => ({ query: `mutation { markNotificationsRead(input: { all: true }) { viewer { unreadNotificationCount } } }` })],
  // An account's mail: verification and the mail preference for the signed-in, resets for anyone (with a token, for its holder).
  ['requestEmailVerification', SIGNED_IN, async () => ({ query: `mutation { requestEmailVerification(input: {}) { sent } }` })],
  ['verifyEmail', ['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT'], async () => ({ query: `mutation { verifyEmail(input: { token: "hwt_not-issued" }) { viewer { emailVerified } } }` })],
  ['requestPasswordReset', ANYONE, async () => ({ query: `mutation { requestPasswordReset(input: { email: "someone@example.org" }) { sent } }` })],
  ['resetPassword', ['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT'], async () => ({ query: `mutation { resetPassword(input: { token: "hwt_not-issued", password: "a long new password" }) { token } }` })],
  ['updateMailPreference', SIGNED_IN, async () => ({ query: `mutation { updateMailPreference(input: { mail: DAILY_DIGEST }) { viewer { mailPreference } } }` })],
  // Integrators' webhooks: admins any scope, maintainers their own upstream's (xen-project here).
  ['createWebhook', MAINTAINERS, async () => ({ query: `mutation { createWebhook(input: { url: "https://bot.example.org/hook", secret: "a long enough secret", upstreamSlug: "xen-project" }) { webhook { id } } }` })],
  ['deleteWebhook', ['UNAUTHENTICATED', 'NOT_FOUND', 'ok', 'NOT_FOUND', 'ok'], async (app) => {
    const [row] = await app.sql<{ id: number }>(`INSERT INTO webhook (url, secret, upstream_id) SELECT 'https://bot.example.org/hook', 'a long enough secret', id FROM upstream WHERE slug = 'xen-project' RETURNING id`);
    return { query: `mutation ($id: ID!) { deleteWebhook(input: { webhookId: $id }) { deletedWebhookId } }`, variables: { id: Buffer.from(`Webhook:${row.id}`).toString('base64url') } };
  }],
  // Admins close accounts (someone else's: a fresh user each time).
  ['deactivateUser', ADMINS, async (app) => ({ query: `mutation ($u: String!) { deactivateUser(input: { username: $u }) { user { username } } }`, variables: { u: (await createActor(app)).username } })],
];

/** A failed POST to an integrator's webhook scoped to xen-project (the "owner" maintainers' upstream). */
async function webhookDelivery(app: TestApp): Promise<string> {
  const [row] = await app.sql<{ id: number }>(
    `WITH w AS (INSERT INTO webhook (url, secret, upstream_id) SELECT 'https://bot.example.org/hook', 'a long enough secret', id FROM upstream WHERE slug = 'xen-project' RETURNING id),
          d AS (INSERT INTO delivery (event, channel, destination, payload, message_id, signing_key, state, attempts, max_attempts)
                SELECT 'item.commented', 'WEBHOOK', 'https://bot.example.org/hook', '{}', gen_random_uuid()::text, 'webhook:' || w.id, 'FAILED', 3, 3 FROM w RETURNING id)
     INSERT INTO webhook_delivery (webhook_id, delivery_id) SELECT w.id, d.id FROM w, d RETURNING delivery_id::int AS id`,
  );
  return Buffer.from(`Delivery:${row.id}`).toString('base64url');
}

/** A fresh bug on `packaging/debian` (owned by debian, the "other" maintainers' upstream). */
async function debianBug(app: TestApp) {
  return fileBug(app, await createActor(app), { componentSlug: 'packaging/debian' });
}

/**
 * Duplicates across upstreams: marking needs rights over the item marked (the duplicate); undoing
 * needs rights over the duplicate or over its original (whose votes and timeline it changed).
 */
const ACROSS_UPSTREAMS: [operation: string, expected: Outcome[], build: Build][] = [
  // Those who manage the webhook (as for deleteWebhook: for anyone else it does not exist).
  ["redeliver of an integrator webhook's delivery", ['UNAUTHENTICATED', 'NOT_FOUND', 'ok', 'NOT_FOUND', 'ok'], async (app) => ({
    query: `mutation ($id: ID!) { redeliver(input: { deliveryId: $id }) { delivery { state } } }`,
    variables: { id: await webhookDelivery(app) },
  })],
  ['markDuplicate of a debian item onto a xen one', ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'ok'], async (app) => ({
    query: `mutation ($a: ID!, $b: ID!) { markDuplicate(input: { itemId: $a, duplicateOfId: $b }) { item { id } } }`,
    variables: { a: (await debianBug(app)).id, b: (await xenBug(app)).id },
  })],
  ['unmarkDuplicate of a debian item marked onto a xen one', ['UNAUTHENTICATED', 'FORBIDDEN', 'ok', 'ok', 'ok'], async (app) => {
    const [a, b] = [await debianBug(app), await xenBug(app)];
    await app.sql(`UPDATE item SET status = 'DUPLICATE', duplicate_of_id = (SELECT id FROM item WHERE number = $2) WHERE number = $1`, [a.number, b.number]);
    return { query: `mutation ($a: ID!) { unmarkDuplicate(input: { itemId: $a }) { item { id } } }`, variables: { a: a.id } };
  }],
];

const GRANTS: Record<Role, GrantSpec[] | null> = {
  anonymous: null,
  reporter: [],
  'owner maintainer': [{ role: 'MAINTAINER', upstreamSlug: 'xen-project' }],
  'other maintainer': [{ role: 'MAINTAINER', upstreamSlug: 'debian' }],
  admin: [{ role: 'ADMIN' }],
};

describe('the permission matrix', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('has a row for every mutation the schema offers', () => {
    const mutations = Object.keys(app.app.get(GraphQLSchemaHost).schema.getMutationType()!.getFields()).sort();
    expect(MATRIX.map(([name]) => name).sort()).toEqual(mutations);
  });

  describe.each([...MATRIX, ...ACROSS_UPSTREAMS])('%s', (_, expected, build) => {
    it.each(ROLES.map((role, i) => [role, expected[i]] as const))('as %s: %s', async (role, outcome) => {
      const grants = GRANTS[role];
      const me = grants === null ? null : await createActor(app, { grants });
      const { query, variables } = await build(app, me);
      const response = await app.gql(query, variables, { token: me?.token });
      const codes = errorCodes(response);
      expect(codes).toEqual(outcome === 'ok' ? [] : [outcome]);
    });
  });
});
