import type { DomainError } from '@headwaters/core';
import { itemsError } from '../items.reasons';
import { FORWARD_STATES, IMPORTANCES, ITEM_STATUSES, type ForwardState, type Importance, type ItemStatus } from '../item.record';
import type { ItemFilter, ItemOrder, ItemOrderField } from './item-query';
import { TAG } from '../tags';

/** A search string for people, understood: the filter it means and the order it asks for. */
export interface ParsedSearch {
  filter: ItemFilter;
  order: ItemOrder | null;
}

const SORTS: Record<string, ItemOrderField> = {
  created: 'CREATED_AT',
  updated: 'UPDATED_AT',
  votes: 'VOTES',
  importance: 'IMPORTANCE',
  number: 'NUMBER',
  relevance: 'RELEVANCE',
  heat: 'HEAT',
};

const QUALIFIERS = ['is', 'no', 'status', 'importance', 'component', 'upstream', 'forward', 'reporter', 'assignee', 'tag', 'votes', 'sort'] as const;
const SLUG = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;

function bad(qualifier: string, message: string): DomainError {
  return itemsError('INVALID_SEARCH', `query: ${message}`, qualifier);
}

/** Splits on spaces, keeping "quoted phrases" (and qualifier:"quoted values") whole. */
export function tokenize(query: string): string[] {
  const tokens: string[] = [];
  const pattern = /(-?[A-Za-z]+:"[^"]*"?)|(-?"[^"]*"?)|(\S+)/g;
  for (const match of query.matchAll(pattern)) tokens.push(match[0]);
  return tokens;
}

function enumValues<T extends string>(qualifier: string, raw: string, allowed: readonly T[]): T[] {
  const values = raw.split(',').filter(Boolean).map((v) => v.toUpperCase().replace(/-/g, '_'));
  if (values.length === 0) throw bad(qualifier, `${qualifier}: needs a value (one of ${allowed.map((a) => a.toLowerCase()).join(', ')})`);
  for (const value of values) {
    if (!(allowed as readonly string[]).includes(value)) {
      throw bad(qualifier, `${qualifier}:${raw.toLowerCase()} is not known; use one of ${allowed.map((a) => a.toLowerCase().replace(/_/g, '-')).join(', ')}`);
    }
  }
  return values as T[];
}

function votes(raw: string, filter: ItemFilter): void {
  const range = /^(\d{1,9})\.\.(\d{1,9})$/.exec(raw);
  const compare = /^(>=|<=|>|<)?(\d{1,9})$/.exec(raw);
  if (range) {
    filter.minVotes = Number(range[1]);
    filter.maxVotes = Number(range[2]);
  } else if (compare) {
    const n = Number(compare[2]);
    switch (compare[1]) {
      case '>': filter.minVotes = n + 1; break;
      case '>=': filter.minVotes = n; break;
      case '<': filter.maxVotes = n - 1; break;
      case '<=': filter.maxVotes = n; break;
      default: filter.minVotes = n; filter.maxVotes = n;
    }
  } else {
    throw bad('votes', `votes:${raw} is not a count; write votes:>10, votes:>=3, votes:<5, votes:7 or votes:2..9`);
  }
}

/**
 * Parses a search string like GitHub's: `is:open component:xapi votes:>10 sort:votes-desc
 * "live migration" crash`. Qualifiers: is:open|closed|bug|feature, status:, importance:,
 * component:, upstream:, forward:, reporter:, votes:, sort:<field>-<asc|desc>; several values of
 * one qualifier are comma-separated; the rest is full-text. Unknown qualifiers and bad values are
 * BAD_USER_INPUT naming the qualifier.
 */
export function parseSearch(query: string): ParsedSearch {
  if (query.length > 1000) throw bad('query', 'the search string is longer than 1000 characters');
  const filter: ItemFilter = {};
  let order: ItemOrder | null = null;
  const text: string[] = [];
  const add = <K extends 'components' | 'upstreams'>(key: K, value: string) => {
    filter[key] = [...(filter[key] ?? []), value];
  };
  for (const token of tokenize(query)) {
    const qualified = /^([A-Za-z]+):(.*)$/.exec(token);
    if (!qualified) {
      text.push(token);
      continue;
    }
    const qualifier = qualified[1].toLowerCase();
    const value = qualified[2].replace(/^"|"$/g, '');
    if (!(QUALIFIERS as readonly string[]).includes(qualifier)) {
      throw bad(qualifier, `${qualifier}: is not a known qualifier; use ${QUALIFIERS.map((q) => `${q}:`).join(', ')} or put the words in quotes`);
    }
    if (value === '') throw bad(qualifier, `${qualifier}: needs a value`);
    switch (qualifier) {
      case 'is':
        for (const v of value.toLowerCase().split(',')) {
          if (v === 'open') filter.closed = false;
          else if (v === 'closed') filter.closed = true;
          else if (v === 'bug') filter.kind = 'BUG';
          else if (v === 'feature') filter.kind = 'FEATURE';
          else if (v === 'inbox') {
            // The triage inbox: open items nobody has put on a component yet.
            filter.closed = false;
            filter.hasComponent = false;
          } else throw bad('is', `is:${v} is not known; use is:open, is:closed, is:bug, is:feature or is:inbox`);
        }
        break;
      case 'no':
        if (value.toLowerCase() === 'component') filter.hasComponent = false;
        else if (value.toLowerCase() === 'assignee') filter.hasAssignee = false;
        else throw bad('no', `no:${value} is not known; use no:component or no:assignee`);
        break;
      case 'assignee':
        if (!/^[A-Za-z0-9_-]{1,39}$/.test(value)) throw bad('assignee', `assignee:${value} is not a valid username`);
        filter.assignee = value;
        break;
      case 'tag':
        // tag:a tag:b and tag:a,b both mean items carrying every one of them.
        for (const tag of value.toLowerCase().split(',').filter(Boolean)) {
          if (!TAG.test(tag)) throw bad('tag', `tag:${tag} is not a tag (a-z, 0-9 and -, 1 to 50 characters)`);
          filter.tags = [...(filter.tags ?? []), tag];
        }
        break;
      case 'status':
        filter.status = [...(filter.status ?? []), ...enumValues<ItemStatus>('status', value, ITEM_STATUSES)];
        break;
      case 'importance':
        filter.importance = [...(filter.importance ?? []), ...enumValues<Importance>('importance', value, IMPORTANCES)];
        break;
      case 'forward':
        filter.forwardState = [...(filter.forwardState ?? []), ...enumValues<ForwardState>('forward', value, FORWARD_STATES)];
        break;
      case 'component':
      case 'upstream':
        for (const slug of value.toLowerCase().split(',')) {
          if (!SLUG.test(slug)) throw bad(qualifier, `${qualifier}:${slug} is not a valid slug`);
          add(qualifier === 'component' ? 'components' : 'upstreams', slug);
        }
        break;
      case 'reporter':
        if (!/^[A-Za-z0-9_-]{1,39}$/.test(value)) throw bad('reporter', `reporter:${value} is not a valid username`);
        filter.reporter = value;
        break;
      case 'votes':
        votes(value, filter);
        break;
      case 'sort': {
        const sort = /^([a-z]+)(?:-(asc|desc))?$/.exec(value.toLowerCase());
        const field = sort ? SORTS[sort[1]] : undefined;
        if (!sort || !field) throw bad('sort', `sort:${value} is not known; use sort:<${Object.keys(SORTS).join('|')}>-<asc|desc>`);
        order = { field, direction: sort[2] === 'asc' ? 'ASC' : 'DESC' };
        break;
      }
    }
  }
  const words = text.join(' ').trim();
  if (words) filter.text = words;
  if (order && (order as ItemOrder).field === 'RELEVANCE' && !filter.text) throw bad('sort', 'sort:relevance needs words to search for');
  return { filter, order };
}
