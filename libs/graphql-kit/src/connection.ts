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
  return new SliceConnection(slice, page, ordering, keyOf, slice.rows.map(toNode), count);
}

/**
 * A page as GraphQL reads it. Edges and cursors are made only if a client asks for them (most ask
 * for nodes and the end of pageInfo alone), each cursor once; the total is counted only if asked.
 *
 * A class, not an object literal with getters: V8 gives each such literal a hidden class of its
 * own, made in the old generation and pointing at the getters' closures, and the young
 * generation's collections keep whatever those closures hold (the page's rows, nodes and
 * strings) until the next full collection. As literals, a list read's page cost 28 KB promoted
 * to the old generation and about a tenth of the server's CPU in garbage collection.
 */
class SliceConnection<R, N> implements ConnectionShape<N> {
  readonly pageInfo: PageInfo;
  private readonly cursors: (string | undefined)[] = [];
  private made?: Edge<N>[];
  private counted?: Promise<number>;

  constructor(
    private readonly slice: PageSlice<R>,
    page: PageQuery,
    private readonly ordering: string,
    private readonly keyOf: (row: R) => (string | number)[],
    readonly nodes: N[],
    private readonly count: () => Promise<number>,
  ) {
    const forward = page.direction === 'forward';
    this.pageInfo = new SlicePageInfo(this, forward ? slice.hasMore : page.after !== null, forward ? page.after !== null : slice.hasMore);
  }

  get edges(): Edge<N>[] {
    this.made ??= this.nodes.map((node, i) => new Edge(node, () => this.cursorAt(i)));
    return this.made;
  }

  get totalCount(): Promise<number> {
    this.counted ??= this.count();
    return this.counted;
  }

  get size(): number {
    return this.slice.rows.length;
  }

  cursorAt(i: number): string {
    this.cursors[i] ??= encodeCursor(this.ordering, this.keyOf(this.slice.rows[i]));
    return this.cursors[i];
  }
}

/** A page's place in its list; its cursors are encoded when read. */
class SlicePageInfo<R, N> implements PageInfo {
  constructor(
    private readonly connection: SliceConnection<R, N>,
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.connection.size === 0 ? null : this.connection.cursorAt(0);
  }

  get endCursor(): string | null {
    return this.connection.size === 0 ? null : this.connection.cursorAt(this.connection.size - 1);
  }
}
