import type { TestActor } from './actors';
import type { TestApp } from './test-app';

export const UPDATE_SUBSCRIPTION = `mutation ($input: UpdateSubscriptionInput!) { updateSubscription(input: $input) { subscribable { id viewerSubscription } } }`;
export const COMMENT = `mutation ($input: CommentInput!) { addComment(input: $input) { comment { id } } }`;
export const TRIAGE = `mutation ($input: TriageInput!) { triage(input: $input) { item { status } } }`;

export interface InboxEntry {
  id: string;
  reason: string;
  read: boolean;
  item: { number: number };
  event: { type: string; actor: { username: string } | null };
}

/** Someone's inbox through the API, newest first; fails the test on any error. */
export async function inboxOf(app: TestApp, actor: TestActor, args: { unreadOnly?: boolean; first?: number } = {}): Promise<{ entries: InboxEntry[]; unread: number; total: number }> {
  const response = await app.gql<{ viewer: { unreadNotificationCount: number; notifications: { totalCount: number; nodes: InboxEntry[] } } }>(
    `query ($unreadOnly: Boolean, $first: Int) { viewer { unreadNotificationCount notifications(unreadOnly: $unreadOnly, first: $first) { totalCount nodes { id reason read item { number } event { type actor { username } } } } } }`,
    args,
    { token: actor.token },
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  const viewer = response.body.data!.viewer;
  return { entries: viewer.notifications.nodes, unread: viewer.unreadNotificationCount, total: viewer.notifications.totalCount };
}

/** Sets how `actor` follows something (an item, component or upstream ID); fails the test on any error. */
export async function follow(app: TestApp, actor: TestActor, subscribableId: string, state: 'SUBSCRIBED' | 'UNSUBSCRIBED' | 'IGNORED'): Promise<void> {
  const response = await app.gql(UPDATE_SUBSCRIPTION, { input: { subscribableId, state } }, { token: actor.token });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
}

/** The global ID of a component or upstream by slug. */
export async function catalogueId(app: TestApp, kind: 'component' | 'upstream', slug: string): Promise<string> {
  const response = await app.gql<Record<string, { id: string }>>(`query ($slug: String!) { ${kind}(slug: $slug) { id } }`, { slug });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data![kind].id;
}

/** Makes a webhook as `actor` (its input as `createWebhook` takes it); fails the test on any error. Answers its global and database ids. */
export async function createWebhook(app: TestApp, actor: TestActor, input: { url: string; secret?: string; upstreamSlug?: string; componentSlug?: string }): Promise<{ id: string; dbId: number }> {
  const response = await app.gql<{ createWebhook: { webhook: { id: string } } }>(
    `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }`,
    { input },
    { token: actor.token },
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  const id = response.body.data!.createWebhook.webhook.id;
  return { id, dbId: Number(Buffer.from(id, 'base64url').toString().split(':')[1]) };
}
