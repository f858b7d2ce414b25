import 'reflect-metadata';
import { UseGuards, type CanActivate } from '@nestjs/common';
import { ApplicationConfig, ExternalContextCreator } from '@nestjs/core';
import { NestContainer } from '@nestjs/core/injector/container';
import { ArgsType, Context, Field, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IsInt, Max, Min } from 'class-validator';
import { InputValidationError } from '@headwaters/graphql-kit';
import { Args, argumentsValidation } from './args.decorator';
import { GraphqlExceptionFilter } from './graphql-exception.filter';
import { installLeanResolvers } from './lean-resolvers';

@ArgsType()
class PageArgs {
  @Field(() => Int) @IsInt() @Min(1) @Max(100)
  first!: number;
}

class Refusal {
  canActivate(): boolean {
    return false;
  }
}

@Resolver()
class SampleResolver {
  calls: unknown[][] = [];

  @Query(() => Int)
  page(@Args() args: PageArgs, @Context() context: { user: string }, @Args('first', { type: () => Int }) first: number): string {
    this.calls.push([args, context, first]);
    if (first === 13) throw new Error('unlucky');
    return `${context.user}:${args.first}`;
  }

  @ResolveField(() => Int)
  count(@Parent() parent: { n: number }, @Args() args: PageArgs): Promise<number> {
    return Promise.resolve(parent.n * args.first);
  }

  @Query(() => Int)
  @UseGuards(new Refusal())
  guarded(): number {
    return 1;
  }
}

const ROUTE_ARGS = '__routeArguments__';

/** What @nestjs/graphql's params factory does (it is not exported): GraphQL's (parent, args, context, info) by Nest's parameter type. */
const gqlParams = {
  exchangeKeyForValue(type: number, data: string | undefined, args: unknown[]): unknown {
    const value = args[[0, 2, 3, 1][type]!] as Record<string, unknown> | undefined;
    return data && value && type !== 0 ? value[data] : value;
  },
};

describe('lean resolvers', () => {
  let creator: ExternalContextCreator;
  const resolver = new SampleResolver();
  const prototype = SampleResolver.prototype;
  const create = (method: 'page' | 'count' | 'guarded', filters: boolean) =>
    creator.create(resolver, prototype[method] as never, method, ROUTE_ARGS, gqlParams as never, undefined, undefined, filters ? undefined : { guards: false, interceptors: false, filters: false }, 'graphql') as (...args: unknown[]) => unknown;

  beforeEach(() => {
    const config = new ApplicationConfig();
    config.useGlobalFilters(new GraphqlExceptionFilter());
    creator = ExternalContextCreator.fromContainer(new NestContainer(config));
    installLeanResolvers(creator, argumentsValidation);
    resolver.calls = [];
  });

  it('takes parameters as Nest does: the args (validated into their class), one argument, the context', async () => {
    const page = create('page', true);
    const context = { user: 'ada' };
    await expect(page(undefined, { first: 25 }, context, {})).resolves.toBe('ada:25');
    const [[args, given, first]] = resolver.calls;
    expect(args).toBeInstanceOf(PageArgs);
    expect(args).toEqual({ first: 25 });
    expect(given).toBe(context);
    expect(first).toBe(25);
  });

  it('answers without a promise once the same arguments passed validation', async () => {
    const page = create('page', true);
    await page(undefined, { first: 7 }, { user: 'ada' }, {});
    expect(page(undefined, { first: 7 }, { user: 'bob' }, {})).toBe('bob:7');
    expect(resolver.calls[1]![0]).toBeInstanceOf(PageArgs);
    expect(resolver.calls[1]![0]).not.toBe(resolver.calls[0]![0]);
  });

  it("hands a root field's error back as the GraphQL exception filter does, refused input included, without calling the method", async () => {
    const page = create('page', true);
    const refused = await page(undefined, { first: 0 }, { user: 'ada' }, {});
    expect(refused).toBeInstanceOf(InputValidationError);
    expect((refused as Error).message).toMatch(/first/);
    expect(resolver.calls).toHaveLength(0);
    await page(undefined, { first: 13 }, { user: 'ada' }, {});
    expect(page(undefined, { first: 13 }, { user: 'ada' }, {})).toEqual(new Error('unlucky'));
  });

  it("lets a field resolver's error through, as Nest does when filters do not apply to fields", async () => {
    const count = create('count', false);
    await expect(count({ n: 2 }, { first: 3 }, {}, {})).resolves.toBe(6);
    await expect(Promise.resolve(count({ n: 2 }, { first: 500 }, {}, {}))).rejects.toBeInstanceOf(InputValidationError);
  });

  it("keeps Nest's pipeline for a resolver with a guard", async () => {
    const guarded = create('guarded', true);
    // Nest's guard consumer runs (and refuses): the lean callback would have answered 1.
    const answer = await guarded(undefined, {}, {}, {});
    expect(answer).toBeInstanceOf(Error);
    expect((answer as Error).message).toMatch(/Forbidden/);
  });

  it("keeps Nest's pipeline for every resolver when the application has a global guard", async () => {
    const config = new ApplicationConfig();
    config.useGlobalFilters(new GraphqlExceptionFilter());
    config.useGlobalGuards(new Refusal() as CanActivate);
    creator = ExternalContextCreator.fromContainer(new NestContainer(config));
    installLeanResolvers(creator, argumentsValidation);
    const answer = await create('page', true)(undefined, { first: 25 }, { user: 'ada' }, {});
    expect(answer).toBeInstanceOf(Error);
    expect(resolver.calls).toHaveLength(0);
  });
});
