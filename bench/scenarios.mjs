// The benchmark scenarios: each is a GraphQL operation (with inputs varied per request) and the
// matching route of the floor server, which runs the same SQL without GraphQL or Nest.

const COMPONENTS = [['xapi'], ['xen'], ['xencenter'], ['xapi/xenopsd'], ['packaging']];
const WORDS = ['"live migration"', 'memory leak', 'xenopsd crash', 'storage timeout', 'network bond', 'snapshot corrupts'];

export const ITEM_QUERY = `query ($n: Int!) { item(number: $n) {
  id number title description status importance voteCount viewerHasVoted createdAt updatedAt
  component { slug name owner { slug name } }
  route { upstream { slug name } reason manual }
  forward { state reference }
  reporter { username }
  comments(first: 5) { totalCount nodes { body createdAt author { username } } }
} }`;

const PAGE_FIELDS = `nodes { id number title status importance voteCount createdAt component { slug } reporter { username } } pageInfo { endCursor hasNextPage }`;
export const SUBTREE_QUERY = `query ($c: [String!]) { items(first: 25, filter: { components: $c, closed: false }, orderBy: { field: IMPORTANCE, direction: DESC }) { ${PAGE_FIELDS} } }`;
export const VOTES_QUERY = `query { items(first: 25, filter: { closed: false }, orderBy: { field: VOTES, direction: DESC }) { ${PAGE_FIELDS} } }`;
export const SEARCH_QUERY = `query ($q: String!) { search(query: $q, first: 25) { ${PAGE_FIELDS} } }`;
export const FILE_MUTATION = `mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { id number route { upstream { slug } reason } } } }`;
export const VOTE_MUTATION = `mutation ($input: VoteInput!) { vote(input: $input) { item { id voteCount } } }`;
export const UNVOTE_MUTATION = `mutation ($input: VoteInput!) { unvote(input: $input) { item { id voteCount } } }`;

const random = (n) => 1 + Math.floor(Math.random() * n);
const globalId = (id) => Buffer.from(`Bug:${id}`).toString('base64url');

/**
 * Scenarios for a dataset of `items`; `tokens` are bearer tokens of bench users, `open` ids of
 * open items to vote on. `body()` gives
 * the GraphQL request body, `floor()` the floor server's path and body, for each request.
 */
export function scenarios(items, tokens, open = []) {
  let turn = 0;
  const token = () => tokens[turn++ % tokens.length];
  return [
    { name: 'item by number, nested', read: true, body: () => ({ query: ITEM_QUERY, variables: { n: random(items) } }), floor: () => ({ path: '/item', body: { n: random(items) } }) },
    {
      name: '25 open items of a subtree by importance', read: true,
      body: () => ({ query: SUBTREE_QUERY, variables: { c: COMPONENTS[turn++ % COMPONENTS.length] } }),
      floor: () => ({ path: '/subtree', body: { c: COMPONENTS[turn++ % COMPONENTS.length] } }),
    },
    { name: '25 open items by votes', read: true, body: () => ({ query: VOTES_QUERY }), floor: () => ({ path: '/votes', body: {} }) },
    {
      name: 'text search', read: true,
      body: () => ({ query: SEARCH_QUERY, variables: { q: `${WORDS[turn++ % WORDS.length]} is:open` } }),
      floor: () => ({ path: '/search', body: { q: `${WORDS[turn++ % WORDS.length]} is:open` } }),
    },
    {
      name: 'file a bug', read: false, auth: true, token,
      body: () => ({ query: FILE_MUTATION, variables: { input: { title: `Benchmark report ${random(1e9)}`, description: 'Filed by the benchmark.', componentSlug: 'xapi/xenopsd' } } }),
      floor: () => ({ path: '/file', body: { title: `Benchmark report ${random(1e9)}`, description: 'Filed by the benchmark.', componentSlug: 'xapi/xenopsd' } }),
    },
    {
      // Alternates vote and unvote on random items, so counts stay realistic.
      name: 'vote', read: false, auth: true, token,
      body: () => ({ query: turn % 2 ? VOTE_MUTATION : UNVOTE_MUTATION, variables: { input: { itemId: globalId(open[random(open.length) - 1]) } } }),
      floor: () => ({ path: turn % 2 ? '/vote' : '/unvote', body: { id: open[random(open.length) - 1] } }),
    },
  ];
}
