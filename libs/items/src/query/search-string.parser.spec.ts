import { parseSearch, tokenize } from './search-string.parser';

describe('the search string parser', () => {
  it('keeps quoted phrases whole', () => {
    expect(tokenize('is:open "live migration" crash component:"xapi"')).toEqual(['is:open', '"live migration"', 'crash', 'component:"xapi"']);
  });

  it.each([
    ['is:open', { closed: false }],
    ['is:closed', { closed: true }],
    ['is:bug', { kind: 'BUG' }],
    ['is:feature', { kind: 'FEATURE' }],
    ['status:triaged', { status: ['TRIAGED'] }],
    ['status:fix-committed,in_progress', { status: ['FIX_COMMITTED', 'IN_PROGRESS'] }],
    ['importance:high', { importance: ['HIGH'] }],
    ['component:xapi', { components: ['xapi'] }],
    ['component:xapi/xenopsd component:xen', { components: ['xapi/xenopsd', 'xen'] }],
    ['upstream:debian', { upstreams: ['debian'] }],
    ['forward:pending', { forwardState: ['PENDING'] }],
    ['reporter:Alice', { reporter: 'Alice' }],
    ['votes:>10', { minVotes: 11 }],
    ['votes:>=10', { minVotes: 10 }],
    ['votes:<5', { maxVotes: 4 }],
    ['votes:<=5', { maxVotes: 5 }],
    ['votes:7', { minVotes: 7, maxVotes: 7 }],
    ['votes:2..9', { minVotes: 2, maxVotes: 9 }],
    ['crash "live migration"', { text: 'crash "live migration"' }],
    ['IS:OPEN', { closed: false }],
    ['is:inbox', { closed: false, hasComponent: false }],
    ['no:component', { hasComponent: false }],
    ['no:assignee', { hasAssignee: false }],
    ['assignee:alice', { assignee: 'alice' }],
    ['tag:regression tag:XSA', { tags: ['regression', 'xsa'] }],
    ['tag:regression,live-migration', { tags: ['regression', 'live-migration'] }],
  ])('reads %s', (query, filter) => {
    expect(parseSearch(query).filter).toEqual(filter);
  });

  it('reads sorts', () => {
    expect(parseSearch('sort:votes-desc').order).toEqual({ field: 'VOTES', direction: 'DESC' });
    expect(parseSearch('sort:created-asc').order).toEqual({ field: 'CREATED_AT', direction: 'ASC' });
    expect(parseSearch('sort:importance').order).toEqual({ field: 'IMPORTANCE', direction: 'DESC' });
    expect(parseSearch('xenopsd sort:relevance').order).toEqual({ field: 'RELEVANCE', direction: 'DESC' });
    expect(parseSearch('is:open').order).toBeNull();
  });

  it('combines everything', () => {
    expect(parseSearch('is:open is:bug component:xapi votes:>10 sort:votes-desc "live migration" fails')).toEqual({
      filter: { closed: false, kind: 'BUG', components: ['xapi'], minVotes: 11, text: '"live migration" fails' },
      order: { field: 'VOTES', direction: 'DESC' },
    });
  });

  it.each([
    ['label:bug', 'label'],
    ['no:owner', 'no'],
    ['is:pinned', 'is'],
    ['status:sleeping', 'status'],
    ['importance:urgent', 'importance'],
    ['forward:lost', 'forward'],
    ['votes:many', 'votes'],
    ['sort:popularity', 'sort'],
    ['sort:relevance', 'sort'],
    ['component:Bad_Slug', 'component'],
    ['reporter:', 'reporter'],
    ['reporter:"a b"', 'reporter'],
    ['tag:Not_A_Tag', 'tag'],
    ['assignee:"a b"', 'assignee'],
  ])('refuses %s naming the qualifier %s', (query, field) => {
    expect(() => parseSearch(query)).toThrow(expect.objectContaining({ kind: 'invalid', field }));
  });
});
