import { ResolverDecoratorHost } from '@nestjs/graphql';
import { startTestApp, type TestApp } from './support/test-app';

/** Mercurius's lifecycle hooks of the running server, by name. */
function mercuriusHooks(app: TestApp): Record<string, unknown[]> {
  const graphql = (app.app.getHttpAdapter().getInstance() as unknown as { graphql: object }).graphql;
  const symbol = Object.getOwnPropertySymbols(graphql).find((s) => s.description === 'mercurius.hooks')!;
  return (graphql as Record<symbol, Record<string, unknown[]>>)[symbol];
}

describe("Nest's GraphQL request hooks", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('cost an operation nothing while none is set: Mercurius runs no preParsing or onResolution hook', async () => {
    const hooks = mercuriusHooks(app);
    expect(hooks.preParsing).toHaveLength(0);
    expect(hooks.onResolution).toHaveLength(0);
    // The application's own hooks stay.
    expect(hooks.preValidation).toHaveLength(1);
    expect(hooks.preExecution).toHaveLength(1);
    const response = await app.gql('{ items(first: 1) { totalCount } }');
    expect(response.body.errors).toBeUndefined();
  });

  it('run for every operation once one is set, with what Nest hands them', async () => {
    const host = app.app.get(ResolverDecoratorHost);
    const started: { query: string; operationName?: string }[] = [];
    const ended: { state: unknown; errors?: readonly { message: string }[] }[] = [];
    host.setOnRequestStartHook((context) => {
      started.push({ query: context.query as string, operationName: context.operationName as string | undefined });
      return started.length;
    });
    host.setOnRequestEndHook((context) => void ended.push({ state: context.state, errors: context.errors as never }));
    expect(mercuriusHooks(app).preParsing).toHaveLength(1);
    expect(mercuriusHooks(app).onResolution).toHaveLength(1);

    const query = 'query Count { items(first: 1) { totalCount } }';
    expect((await app.gql(query)).body.errors).toBeUndefined();
    const failing = '{ items(first: 1, after: "garbage!") { totalCount } }';
    expect((await app.gql(failing)).body.errors).toBeDefined();

    expect(started).toEqual([{ query, operationName: undefined }, { query: failing, operationName: undefined }]);
    expect(ended.map((e) => e.state)).toEqual([1, 2]);
    expect(ended[0].errors).toBeUndefined();
    expect(ended[1].errors?.length).toBeGreaterThan(0);
  });
});
