import type { TestActor } from './actors';
import type { TestApp } from './test-app';

export const ITEM_FIELDS = `id number kind title description status closed importance voteCount createdAt updatedAt`;

export interface FiledItem {
  id: string;
  number: number;
  [field: string]: unknown;
}

/** Files a bug through the API and returns it; fails the test on any error. */
export async function fileBug(app: TestApp, actor: TestActor, input: { title?: string; description?: string; componentSlug?: string; affectedReleaseSlugs?: string[] } = {}): Promise<FiledItem> {
  const response = await app.gql<{ fileBug: { bug: FiledItem } }>(
    `mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { ${ITEM_FIELDS} } } }`,
    { input: { title: 'Something breaks somewhere', description: 'Steps to reproduce: ...', ...input } },
    { token: actor.token },
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.fileBug.bug;
}

/** Suggests a feature through the API and returns it. */
export async function suggestFeature(app: TestApp, actor: TestActor, input: { title?: string; description?: string; componentSlug?: string } = {}): Promise<FiledItem> {
  const response = await app.gql<{ suggestFeature: { feature: FiledItem } }>(
    `mutation ($input: SuggestFeatureInput!) { suggestFeature(input: $input) { feature { ${ITEM_FIELDS} } } }`,
    { input: { title: 'It would be nice to have this', description: 'Because ...', ...input } },
    { token: actor.token },
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.suggestFeature.feature;
}

/** How many items, comments and timeline events exist: compared before and after a failed mutation. */
export async function writtenCounts(app: TestApp): Promise<Record<string, number>> {
  const [row] = await app.sql<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM item) AS items, (SELECT count(*)::int FROM comment) AS comments,
            (SELECT count(*)::int FROM timeline_event) AS events, (SELECT count(*)::int FROM vote) AS votes, (SELECT count(*)::int FROM forward) AS forwards,
            (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM item_number_seq)::int AS counter,
            (SELECT coalesce(sum(vote_count), 0)::int FROM item) AS vote_counts,
            (SELECT coalesce(max(updated_at)::text, '') FROM item) AS last_update`,
  );
  return row;
}
