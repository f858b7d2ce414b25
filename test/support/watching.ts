import type { TestActor } from './actors';
import type { TestApp } from './test-app';

export const FORWARD_FIELDS = `id state reference url remoteStatus lastCheckedAt checkError upstream { slug }`;

export interface ForwardView {
  id: string;
  state: string;
  reference: string | null;
  url: string | null;
  remoteStatus: string | null;
  lastCheckedAt: string | null;
  checkError: string | null;
  upstream: { slug: string };
}

const LINK = `mutation ($input: LinkUpstreamRecordInput!) { linkUpstreamRecord(input: $input) { forward { ${FORWARD_FIELDS} } item { number } } }`;
const CHECK = `mutation ($input: CheckUpstreamRecordInput!) { checkUpstreamRecord(input: $input) { forward { ${FORWARD_FIELDS} } } }`;
const TIMELINE = `query ($n: Int!) { item(number: $n) { timeline(first: 100) { nodes { type summary actor { username } } } } }`;

/** Links the item's forward (to `upstreamSlug`, or its routed upstream) to a record; fails the test on an error. */
export async function linkRecord(app: TestApp, actor: TestActor, itemId: string, url: string, upstreamSlug?: string): Promise<ForwardView> {
  const response = await app.gql<{ linkUpstreamRecord: { forward: ForwardView } }>(LINK, { input: { itemId, url, ...(upstreamSlug ? { upstreamSlug } : {}) } }, { token: actor.token });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.linkUpstreamRecord.forward;
}

export function linkRecordRaw(app: TestApp, actor: TestActor | null, input: Record<string, unknown>) {
  return app.gql<{ linkUpstreamRecord: { forward: ForwardView } }>(LINK, { input }, actor ? { token: actor.token } : {});
}

/** Reads the forward's record now. */
export async function checkRecord(app: TestApp, actor: TestActor, forwardId: string): Promise<ForwardView> {
  const response = await app.gql<{ checkUpstreamRecord: { forward: ForwardView } }>(CHECK, { input: { forwardId } }, { token: actor.token });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.checkUpstreamRecord.forward;
}

export function checkRecordRaw(app: TestApp, actor: TestActor | null, forwardId: string) {
  return app.gql<{ checkUpstreamRecord: { forward: ForwardView } }>(CHECK, { input: { forwardId } }, actor ? { token: actor.token } : {});
}

export async function timelineOf(app: TestApp, number: number): Promise<{ type: string; summary: string; actor: { username: string } | null }[]> {
  const response = await app.gql<{ item: { timeline: { nodes: { type: string; summary: string; actor: { username: string } | null }[] } } }>(TIMELINE, { n: number });
  return response.body.data!.item.timeline.nodes;
}

/** The watch columns of a forward, straight from the database. */
export async function watchColumns(app: TestApp, url: string): Promise<{ check_failures: number; next_check_at: Date; remote_etag: string | null; last_checked_at: Date | null }> {
  const [row] = await app.sql<{ check_failures: number; next_check_at: Date; remote_etag: string | null; last_checked_at: Date | null }>(`SELECT check_failures, next_check_at, remote_etag, last_checked_at FROM forward WHERE url = $1`, [url]);
  return row;
}

/** Waits until `condition` holds (jobs run in the worker), at most `timeoutMs`. */
export async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, 50));
  }
}
