import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug, type FiledItem } from './support/items';
import { startTestApp, type TestApp } from './support/test-app';

const MARK = `mutation ($input: MarkDuplicateInput!) { markDuplicate(input: $input) { item { id } } }`;
const UNMARK = `mutation ($input: UnmarkDuplicateInput!) { unmarkDuplicate(input: $input) { item { id } } }`;
const VOTE = `mutation ($input: VoteInput!) { vote(input: $input) { item { id } } }`;
const UNVOTE = `mutation ($input: VoteInput!) { unvote(input: $input) { item { id } } }`;

/**
 * Refusals the mix may earn honestly, whatever the order the operations land in: marking an item
 * that is already another's duplicate, or one whose original is its own duplicate, unmarking one
 * that is not a duplicate. Anything else (a deadlock, a lost race reported as BUSY, an internal
 * error) is a failure.
 */
const LEGITIMATE = new Set(['ALREADY_DUPLICATE', 'DUPLICATE_CYCLE', 'NOT_DUPLICATE']);

/** A small deterministic generator, so a failing mix can be run again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('duplicates and votes under concurrency', () => {
  let app: TestApp;
  let admin: TestActor;
  let items: FiledItem[];
  const voters: TestActor[] = [];

  beforeAll(async () => {
    app = await startTestApp({ config: { DB_POOL_SIZE: 20 } });
    admin = await createAdmin(app, 'root');
    const reporter = await createActor(app);
    items = [];
    for (let i = 0; i < 6; i++) items.push(await fileBug(app, reporter, { componentSlug: 'xen' }));
    for (let i = 0; i < 12; i++) voters.push(await createActor(app, { username: `mixer-${i}` }));
  });
  afterAll(() => app.close());

  it('runs 200 overlapping markDuplicate, unmarkDuplicate and vote operations from 20 clients with no error and exact counts', async () => {
    const next = random(20261201);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
    const operations = Array.from({ length: 200 }, () => {
      const roll = next();
      const a = pick(items);
      if (roll < 0.3) {
        const b = pick(items.filter((i) => i !== a));
        return { name: 'markDuplicate', query: MARK, input: { itemId: a.id, duplicateOfId: b.id }, token: admin.token };
      }
      if (roll < 0.5) return { name: 'unmarkDuplicate', query: UNMARK, input: { itemId: a.id }, token: admin.token };
      if (roll < 0.85) return { name: 'vote', query: VOTE, input: { itemId: a.id }, token: pick(voters).token };
      return { name: 'unvote', query: UNVOTE, input: { itemId: a.id }, token: pick(voters).token };
    });
    const failures: string[] = [];
    const refusals: Record<string, number> = {};
    let done = 0;
    const client = async () => {
      for (let op = operations.shift(); op; op = operations.shift()) {
        const response = await app.gql(op.query, { input: op.input }, { token: op.token });
        done++;
        for (const error of response.body.errors ?? []) {
          const reason = String(error.extensions?.reason ?? '');
          if (error.extensions?.code === 'CONFLICT' && LEGITIMATE.has(reason)) refusals[reason] = (refusals[reason] ?? 0) + 1;
          else failures.push(`${op.name}: ${String(error.extensions?.code)} ${reason} ${error.message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, client));
    expect(done).toBe(200);
    expect(failures).toEqual([]);
    // The mix did exercise the duplicate paths, refusals included.
    expect(Object.values(refusals).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // The counts kept by the use cases against the truth computed from the votes themselves.
    const rows = await app.sql<{ number: number; vote_count: number; truth: number }>(
      `SELECT i.number, i.vote_count,
              CASE WHEN i.duplicate_of_id IS NULL
                   THEN (SELECT count(DISTINCT v.user_id) FROM vote v JOIN item g ON g.id = v.item_id WHERE g.id = i.id OR g.duplicate_of_id = i.id)
                   ELSE (SELECT count(*) FROM vote v WHERE v.item_id = i.id) END::int AS truth
         FROM item i WHERE i.number = ANY($1) ORDER BY i.number`,
      [items.map((i) => i.number)],
    );
    expect(rows.map((r) => r.vote_count)).toEqual(rows.map((r) => r.truth));
    // Duplicates collapse to roots: no duplicate points at another duplicate.
    const chains = await app.sql(`SELECT d.number FROM item d JOIN item o ON o.id = d.duplicate_of_id WHERE o.duplicate_of_id IS NOT NULL AND d.number = ANY($1)`, [items.map((i) => i.number)]);
    expect(chains).toEqual([]);
    // What the API answers agrees with the table.
    const api = await app.gql<{ items: { nodes: { number: number; voteCount: number }[] } }>(`{ items(first: 10, orderBy: { field: NUMBER, direction: ASC }) { nodes { number voteCount } } }`);
    expect(api.body.errors).toBeUndefined();
    const byNumber = new Map(api.body.data!.items.nodes.map((n) => [n.number, n.voteCount]));
    for (const row of rows) expect(byNumber.get(row.number)).toBe(row.truth);
  });
});
