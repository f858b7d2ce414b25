import { GraphQLSchemaHost } from '@nestjs/graphql';
import { buildSchema, findBreakingChanges, type GraphQLSchema } from 'graphql';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { possibleTypesFileText, schemaFileText } from '../apps/api/src/graphql/schema-file';
import { CONTRACT_GAPS } from './support/contract-gaps';
import { startTestApp, type TestApp } from './support/test-app';

const root = join(__dirname, '..');
const schemaFile = join(root, 'schema.gql');
const possibleTypesFile = join(root, 'possible-types.json');
const contractCopy = join(root, 'docs', 'contract.graphql');
const sharedContract = join(root, '..', 'shared', 'api', 'contract.graphql');

describe('the GraphQL schema', () => {
  let app: TestApp;
  let emitted: GraphQLSchema;

  beforeAll(async () => {
    app = await startTestApp();
    emitted = app.app.get(GraphQLSchemaHost).schema;
    if (process.env.UPDATE_SCHEMA === '1') {
      writeFileSync(schemaFile, schemaFileText(emitted));
      writeFileSync(possibleTypesFile, possibleTypesFileText(emitted));
    }
  });
  afterAll(() => app.close());

  it('is committed as schema.gql exactly as the code emits it (npm run schema updates it)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(schemaFileText(emitted));
  });

  it('is committed as possible-types.json for Apollo Client\'s cache, exactly as the schema says (npm run schema updates it)', () => {
    const committed = JSON.parse(readFileSync(possibleTypesFile, 'utf8')) as Record<string, string[]>;
    expect(readFileSync(possibleTypesFile, 'utf8')).toBe(possibleTypesFileText(emitted));
    expect(committed.Node).toEqual(expect.arrayContaining(['Bug', 'FeatureSuggestion', 'AccessToken']));
    expect(committed.Item).toEqual(['Bug', 'FeatureSuggestion']);
  });

  it('keeps the copy of the public contract in docs/ equal to the shared one', () => {
    if (!existsSync(sharedContract)) return; // a clone without the shared folder beside it
    expect(readFileSync(contractCopy, 'utf8')).toBe(readFileSync(sharedContract, 'utf8'));
  });

  it('breaks nothing of the public contract, but for the listed gaps still being built', () => {
    const contract = buildSchema(readFileSync(contractCopy, 'utf8'));
    const breaking = findBreakingChanges(contract, emitted).map((c) => c.description).sort();
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(join(__dirname, 'support', 'contract-gaps.json'), `${JSON.stringify(breaking, null, 2)}\n`);
    expect(breaking).toEqual([...CONTRACT_GAPS].sort());
  });
});
