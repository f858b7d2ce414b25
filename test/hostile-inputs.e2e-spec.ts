import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema, getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputField, type GraphQLInputType, type GraphQLObjectType,
} from 'graphql';
import { createAdmin, type TestActor } from './support/actors';
import { fileBug, suggestFeature } from './support/items';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Every argument and input field of every query and mutation, fed hostile values: generated from
 * the committed schema (schema.gql, which a test keeps equal to the code's), so fields others add
 * are covered as soon as they exist. Expected of every answer: no 5xx, no INTERNAL_SERVER_ERROR,
 * only the documented codes, and a refusal of a malformed value (NUL, overlong, wrong type, out of
 * range, impossible date) as BAD_USER_INPUT naming the field it was given for.
 */
const schema = buildSchema(readFileSync(join(__dirname, '..', 'schema.gql'), 'utf8'));
const ALLOWED = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'CONFLICT', 'RATE_LIMITED', 'QUERY_TOO_COMPLEX', 'GRAPHQL_VALIDATION_FAILED']);
const BUG = '<bug id>';
const FEATURE = '<feature id>';
const cursor = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

interface Hostile {
  label: string;
  value: unknown;
  /** Refused before anything runs, as BAD_USER_INPUT naming this very field. */
  mustNameField: boolean;
}

interface Case {
  operation: 'query' | 'mutation';
  field: string;
  /** Where the hostile value goes: the argument, then input fields. */
  path: string[];
  hostile: Hostile;
  document: string;
  variables: Record<string, unknown>;
}

function baseValue(type: GraphQLInputType, name: string, depth = 0): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [baseValue(nullable.ofType, name, depth)];
  if (isInputObjectType(nullable)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(nullable.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined && depth < 4) value[field.name] = baseValue(field.type, field.name, depth + 1);
    }
    return value;
  }
  if (isEnumType(nullable)) return nullable.getValues()[0].value;
  switch (nullable.name) {
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'ID':
      return /duplicateOf/i.test(name) ? FEATURE : BUG;
    case 'DateTime':
      return '2020-01-01T00:00:00Z';
    default:
      if (/email/i.test(name)) return 'someone@example.org';
      if (/password/i.test(name)) return 'a long enough password';
      if (/slug/i.test(name)) return 'xapi';
      if (/url|homepage/i.test(name)) return 'https://example.org/';
      return 'Hostile input test';
  }
}

function hostileValues(type: GraphQLInputType, name: string): Hostile[] {
  const named = getNamedType(type);
  const list = isListType(getNullableType(type));
  const wrap = (value: unknown) => (list ? [value] : value);
  const values: Hostile[] = [];
  if (isEnumType(named)) {
    values.push({ label: 'an unknown enum value', value: wrap('NOT_A_VALUE'), mustNameField: true });
  } else if (isInputObjectType(named)) {
    values.push({ label: 'a string for an object', value: 'x', mustNameField: true }, { label: 'an unknown field', value: wrap({ noSuchField: 1 }), mustNameField: true });
  } else if (isScalarType(named)) {
    switch (named.name) {
      case 'Int':
        values.push(
          { label: '2^31', value: wrap(2 ** 31), mustNameField: true },
          { label: 'a string for an Int', value: wrap('12'), mustNameField: true },
          { label: 'a fraction', value: wrap(1.5), mustNameField: true },
          { label: '-1', value: wrap(-1), mustNameField: false },
          { label: '2^31 - 1', value: wrap(2 ** 31 - 1), mustNameField: false },
        );
        break;
      case 'Boolean':
        values.push({ label: 'a string for a Boolean', value: wrap('yes'), mustNameField: true });
        break;
      case 'DateTime':
        values.push(
          { label: 'the 30th of February', value: wrap('2019-02-30'), mustNameField: true },
          { label: 'year 275760', value: wrap('+275760-09-13T00:00:00Z'), mustNameField: true },
          { label: 'a date before 1970', value: wrap('1969-12-31T23:59:59Z'), mustNameField: true },
          { label: 'not a date', value: wrap('yesterday'), mustNameField: true },
        );
        break;
      case 'ID':
        values.push(
          { label: 'a NUL in an ID', value: wrap('a\u0000b'), mustNameField: true },
          { label: 'garbage for an ID', value: wrap('not an id!'), mustNameField: false },
          { label: 'a User ID', value: wrap(Buffer.from('User:1').toString('base64url')), mustNameField: false },
          { label: 'an ID past int4', value: wrap(Buffer.from('Bug:99999999999').toString('base64url')), mustNameField: false },
          { label: 'an ID of no item', value: wrap(Buffer.from('Bug:2147483647').toString('base64url')), mustNameField: false },
          { label: 'an Int for an ID', value: wrap({ id: 1 }), mustNameField: true },
        );
        break;
      default:
        values.push(
          { label: 'a NUL', value: wrap('a\u0000b'), mustNameField: true },
          { label: 'an overlong string', value: wrap('x'.repeat(100_001)), mustNameField: true },
          { label: 'a number for a String', value: wrap(12), mustNameField: true },
          { label: 'control characters and odd Unicode', value: wrap('\u0001\u001f\ud83d\ude00\u202e\ufeff'), mustNameField: false },
        );
        if (name === 'after' || name === 'before') {
          values.push(
            { label: 'a cursor with a date that is none', value: cursor('CREATED_AT:DESC', 'not-a-date', 1), mustNameField: true },
            { label: 'a cursor past int4', value: cursor('comments', 2 ** 40), mustNameField: true },
            { label: 'a cursor of garbage', value: 'garbage!', mustNameField: true },
          );
        }
    }
  }
  if (list) values.push({ label: 'a list of 5,000', value: Array.from({ length: 5000 }, () => baseValue(named as GraphQLInputType, name)), mustNameField: false });
  return values;
}

function selectionOf(field: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(field.type);
  if (isScalarType(type) || isEnumType(type)) return '';
  if (type.name.endsWith('Connection')) return '{ __typename totalCount pageInfo { endCursor } }';
  return '{ __typename }';
}

function casesOf(operation: 'query' | 'mutation', root: GraphQLObjectType): Case[] {
  const cases: Case[] = [];
  for (const field of Object.values(root.getFields())) {
    if (field.args.length === 0) continue;
    const document = `${operation} (${field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ')}) { ${field.name}(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')}) ${selectionOf(field)} }`;
    const base = (): Record<string, unknown> => Object.fromEntries(field.args.filter((a) => isNonNullType(a.type)).map((a) => [a.name, baseValue(a.type, a.name)]));
    const visit = (target: GraphQLArgument | GraphQLInputField, path: string[], types: GraphQLInputType[], depth: number) => {
      for (const hostile of hostileValues(target.type, target.name)) {
        const variables = base();
        let holder = variables;
        path.slice(0, -1).forEach((key, i) => {
          // An optional object on the way gets its required fields, so only the target is wrong.
          if (holder[key] === undefined || holder[key] === null || typeof holder[key] !== 'object') holder[key] = baseValue(getNamedType(types[i]) as GraphQLInputType, key);
          holder = (Array.isArray(holder[key]) ? (holder[key] as Record<string, unknown>[])[0] : holder[key]) as Record<string, unknown>;
        });
        holder[path.at(-1)!] = hostile.value;
        cases.push({ operation, field: field.name, path, hostile, document, variables });
      }
      const named = getNamedType(target.type);
      if (isInputObjectType(named) && depth < 3) for (const inner of Object.values(named.getFields())) visit(inner, [...path, inner.name], [...types, inner.type], depth + 1);
    };
    for (const arg of field.args) visit(arg, [arg.name], [arg.type], 0);
  }
  return cases;
}

const CASES = [...casesOf('query', schema.getQueryType()!), ...casesOf('mutation', schema.getMutationType()!)];

describe('hostile input, generated from the schema', () => {
  let app: TestApp;
  let admin: TestActor;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    admin = await createAdmin(app);
    ids[BUG] = (await fileBug(app, admin, { title: 'A bug for hostile input' })).id;
    ids[FEATURE] = (await suggestFeature(app, admin, { title: 'A feature for hostile input' })).id;
  });
  afterAll(() => app.close());

  it('covers every argument and input field, in at least 200 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(200);
    const mutations = Object.keys(schema.getMutationType()!.getFields()).filter((m) => schema.getMutationType()!.getFields()[m].args.length > 0);
    expect(new Set(CASES.filter((c) => c.operation === 'mutation').map((c) => c.field))).toEqual(new Set(mutations));
  });

  it.each(CASES.map((c) => [`${c.operation} ${c.field}: ${c.path.join('.')} = ${c.hostile.label}`, c] as const))('%s', async (_, c) => {
    const variables = JSON.parse(JSON.stringify(c.variables), (_key, value: unknown) => (typeof value === 'string' && value in ids ? ids[value] : value)) as Record<string, unknown>;
    const response = await app.gql(c.document, variables, { token: admin.token });
    expect(response.status).toBeLessThan(500);
    const errors = response.body.errors ?? [];
    for (const error of errors) {
      expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
      expect(ALLOWED).toContain(error.extensions?.code);
    }
    if (c.hostile.mustNameField) {
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0].extensions?.code).toBe('BAD_USER_INPUT');
      const named = String(errors[0].extensions?.field);
      const leaf = c.path.at(-1)!;
      expect(named.split('.')).toEqual(expect.arrayContaining([leaf]));
    }
  });
});
