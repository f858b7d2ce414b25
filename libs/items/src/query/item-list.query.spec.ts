import type { ItemOrder } from './item-query';
import { chooseReadStrategy, everyWordRequired, type ItemWhere } from './item-list.query';

describe('everyWordRequired', () => {
  it.each([
    ['live migration', true],
    ['"live migration" crash', true],
    ['xen-api timeout', true],
    ['orphaned vdi', true],
    ['live migration or suspend', false],
    ['live OR suspend', false],
    ['crash -windows', false],
    ['-"live migration" crash', false],
  ])('%s: %s', (text, expected) => {
    expect(everyWordRequired(text)).toBe(expected);
  });
});

describe('chooseReadStrategy', () => {
  const where = (componentIds: number[]): ItemWhere => ({ where: 'TRUE', others: 'TRUE', textParam: null, componentIds, upstreamIds: [] });
  const newest: ItemOrder = { field: 'CREATED_AT', direction: 'DESC' };

  it('reads one ordered list without a subtree', () => {
    expect(chooseReadStrategy({}, newest, {}, where([]), undefined).name).toBe('ordered');
  });

  it('merges per component for a small subtree in an order with a per-component index', () => {
    const shares = { components: new Map([[1, 0.01], [2, 0.01]]), upstreams: new Map() };
    expect(chooseReadStrategy({ components: ['x'] }, newest, {}, where([1, 2]), shares).name).toBe('per-component');
    expect(chooseReadStrategy({ components: ['x'] }, { field: 'NUMBER', direction: 'ASC' }, {}, where([1, 2]), shares).name).toBe('ordered');
  });

  it('walks the whole order for a large subtree', () => {
    const shares = { components: new Map([[1, 0.3], [2, 0.3]]), upstreams: new Map() };
    expect(chooseReadStrategy({ components: ['x'] }, newest, {}, where([1, 2]), shares).name).toBe('ordered');
  });

  it('searches by blocks unless a filter keeps a small part or the words need not all match', () => {
    const relevance: ItemOrder = { field: 'RELEVANCE', direction: 'DESC' };
    expect(chooseReadStrategy({ text: 'live migration' }, relevance, {}, where([]), undefined).name).toBe('relevance-by-blocks');
    expect(chooseReadStrategy({ text: 'live or suspend' }, relevance, {}, where([]), undefined).name).toBe('relevance-direct');
    expect(chooseReadStrategy({ text: 'live', reporter: 'alice' }, relevance, {}, where([]), undefined).name).toBe('relevance-direct');
  });
});
