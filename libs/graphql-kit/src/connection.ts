import type { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DomainError } from '@headwaters/core';
import type { PageQuery, PageSlice } from '@headwaters/database';
import { ConnectionArgs, DEFAULT_PAGE_SIZE } from './connection-args';
import { decodeCursor, encodeCursor, type CursorValueKind } from './cursor';
import { PageInfo } from './page-info.type';

/** The shape every `...Connection` object has once resolved. */
export interface ConnectionShape<N> {
  edges: { cursor: string; node: N }[];
  nodes: N[];
  pageInfo: PageInfo;
  /** Exact; counted only when a client asks for it. */
  readonly totalCount: Promise<number> | number;
}

/**
 * Makes the `<Name>Edge` type and an abstract `<Name>Connection` base for a node type:
 * `@ObjectType() class ComponentConnection extends ConnectionType(Component, 'Component') {}`.
 */
export function ConnectionType<N>(nodeType: Type<N> | (abstract new (...args: never[]) => N), name: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a list, with its cursor.` })
  class Edge {
    @Field({ description: 'Opaque: pass it as `after` or `before` to page from here.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name}.` })
    node!: N;
  }

  @ObjectType({ isAbstract: true })
  abstract class Connection implements ConnectionShape<N> {
    @Field(() => [Edge], { description: 'The elements of this page, with cursors.' })
    edges!: Edge[];

    @Field(() => [nodeType], { description: 'The elements of this page.' })
    nodes!: N[];

    @Field(() => PageInfo, { description: 'How to page on.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many elements the whole list has (whatever the page).' })
    totalCount!: Promise<number> | number;
  }
  return Connection;
}

/**
 * Turns validated pagination arguments into a {@link PageQuery} for one ordering. `ordering`
 * names the sort (cursors of another ordering are refused), `kinds` what each value of its cursors
 * is (checked, so a tampered cursor never reaches SQL). Both `first` and `last` at once, or `after` with `before`, are BAD_USER_INPUT.
 */
export function pageQueryOf(args: ConnectionArgs, ordering: string, kinds: readonly CursorValueKind[]): PageQuery {
  if (args.first !== undefined && args.first !== null && args.last !== undefined && args.last !== null) {
    throw DomainError.invalid('INVALID_PAGINATION', 'first and last cannot be used together', 'last');
  }
  if (args.after && args.before) {
    throw DomainError.invalid('INVALID_PAGINATION', 'after and before cannot be used together', 'before');
  }
  const backward = (args.last ?? null) !== null || (!!args.before && (args.first ?? null) === null);
  if (backward) {
    return {
      limit: args.last ?? DEFAULT_PAGE_SIZE,
      direction: 'backward',
      after: args.before ? decodeCursor(args.before, ordering, kinds, 'before') : null,
    };
  }
  return {
    limit: args.first ?? DEFAULT_PAGE_SIZE,
    direction: 'forward',
    after: args.after ? decodeCursor(args.after, ordering, kinds, 'after') : null,
  };
}

/** An edge whose cursor is encoded when read. */
class Edge<N> {
  private encoded?: string;

  constructor(
    readonly node: N,
    private readonly encode: () => string,
  ) {}

  get cursor(): string {
    this.encoded ??= this.encode();
    return this.encoded;
  }
}

/**
 * Builds a connection from a keyset slice. `keyOf` gives a row's sort-key values (the same
 * ones the query sorted by), `toNode` its GraphQL object, `count` the exact total when asked.
 */
export function connectionOf<R, N>(
  slice: PageSlice<R>,
  page: PageQuery,
  ordering: string,
  keyOf: (row: R) => (string | number)[],
  toNode: (row: R) => N,
  count: () => Promise<number>,
): ConnectionShape<N> {
  const rows = slice.rows;
  const nodes = rows.map(toNode);
  // Edges and cursors are made only if a client asks for them (most ask for nodes and the end
  // of pageInfo alone), each cursor once.
  const cursors: (string | undefined)[] = [];
  const cursorAt = (i: number) => (cursors[i] ??= encodeCursor(ordering, keyOf(rows[i])));
  let edges: Edge<N>[] | undefined;
  const forward = page.direction === 'forward';
  let counted: Promise<number> | undefined;
  return {
    get edges() {
      return (edges ??= rows.map((_, i) => new Edge(nodes[i], () => cursorAt(i))));
    },
    nodes,
    pageInfo: {
      hasNextPage: forward ? slice.hasMore : page.after !== null,
      hasPreviousPage: forward ? page.after !== null : slice.hasMore,
      get startCursor() {
        return rows.length === 0 ? null : cursorAt(0);
      },
      get endCursor() {
        return rows.length === 0 ? null : cursorAt(rows.length - 1);
      },
    },
    get totalCount() {
      counted ??= count();
      return counted;
    },
  };
}
