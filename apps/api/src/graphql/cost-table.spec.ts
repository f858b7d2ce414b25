import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { costModelTable } from './cost-table';

const root = join(__dirname, '..', '..', '..', '..');

describe('the README\'s cost model', () => {
  it('lists the figures the cost model uses, and what its examples cost on the schema', () => {
    const schema = buildSchema(readFileSync(join(root, 'schema.gql'), 'utf8'));
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = costModelTable(schema);
    // On a mismatch, the expected table is printed: it goes into the README's "The cost model".
    expect(readme.includes(table) ? table : readme.slice(readme.indexOf('### The cost model'), readme.indexOf('A request costs at least'))).toBe(table);
  });
});
