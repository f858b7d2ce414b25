import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { CUSTOM_ROUTE_ARGS_METADATA, EXCEPTION_FILTERS_METADATA, GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { ApplicationConfig, ExternalContextCreator } from '@nestjs/core';
import { STATIC_CONTEXT } from '@nestjs/core/injector/constants';
import { asError, GraphqlExceptionFilter } from './graphql-exception.filter';
import type { SettlingPipe } from './validation.pipe';

/** Nest's numeric parameter types of GraphQL resolvers (root 0, context 1, info 2, args 3), by their position in GraphQL's (parent, args, context, info). */
const POSITION_OF: Readonly<Record<number, number>> = { 0: 0, 1: 2, 2: 3, 3: 1 };

type Create = ExternalContextCreator['create'];
type Resolver = (...args: unknown[]) => unknown;

/** One parameter of a resolver method: where its value comes from, and whether the validation pipe takes it. */
interface Param {
  index: number;
  /** Position in GraphQL's (parent, args, context, info). */
  from: number;
  /** A property of that value (`@Args('number')`), or the whole of it. */
  data: string | undefined;
  /** What the validation pipe is told of it (Nest's numeric parameter type included), when it runs on it. */
  validated?: ArgumentMetadata;
}

/**
 * Resolvers called without Nest's per-call pipeline. For every resolver, root or field, Nest
 * wraps the method in several async functions: guards, interceptors, each parameter's pipes
 * (through `Promise.all`), the result's transformation, the exception filter. With none of
 * guards, interceptors or extra pipes in this application, that wrapper still cost about 35
 * promises and 4% of an item read's CPU. This builds, for each resolver whose enhancers are
 * exactly the application's (the validation pipe on `@Args`, the global GraphQL exception filter
 * on root fields), a callback that does the same work directly: the parameters taken from
 * GraphQL's arguments as Nest takes them, the validation pipe run on arguments (synchronously
 * when it has seen the same input before), the method called, and a root field's error handed
 * back as the filter does. A resolver with anything else (a guard, an interceptor, another pipe
 * or filter, a custom parameter decorator, a request-scoped host) keeps Nest's callback.
 *
 * Installed on Nest's context creator before the GraphQL module explores the resolvers.
 */
export function installLeanResolvers(creator: ExternalContextCreator, validation: SettlingPipe): void {
  const nestCreate: Create = creator.create.bind(creator);
  const config = applicationConfigOf(creator);
  const lean = (...call: Parameters<Create>): ReturnType<Create> => {
    const [instance, callback, methodName, metadataKey, , contextId, , options, contextType] = call;
    const built = contextType === 'graphql' && metadataKey === ROUTE_ARGS_METADATA && (contextId === undefined || contextId === STATIC_CONTEXT) ? leanCallback(instance as object, callback, methodName, options?.filters ?? true, config, validation) : undefined;
    return built ?? nestCreate(...call);
  };
  creator.create = lean as Create;
}

function leanCallback(instance: object, callback: Resolver, methodName: string, filtered: boolean, config: ApplicationConfig, validation: SettlingPipe): ReturnType<Create> | undefined {
  const host = instance.constructor;
  if (hasEnhancers(config, host, callback, filtered)) return undefined;
  const params = paramsOf(host, methodName, validation);
  if (!params) return undefined;
  const length = params.reduce((max, p) => Math.max(max, p.index + 1), 0);
  const failed = (error: unknown): unknown => {
    if (filtered) return asError(error);
    throw error;
  };
  const run = (values: unknown[]): unknown => {
    try {
      const result = callback.apply(instance, values);
      // A field resolver's rejection is GraphQL's to take as it is: no promise more for it.
      return filtered && isThenable(result) ? result.then(undefined, failed) : result;
    } catch (error) {
      return failed(error);
    }
  };
  return ((...resolverArgs: unknown[]) => {
    const values: unknown[] = new Array(length);
    let pending: Promise<void>[] | undefined;
    for (const param of params) {
      const given = resolverArgs[param.from];
      const value = param.data !== undefined && given !== null && given !== undefined ? (given as Record<string, unknown>)[param.data] : given;
      if (!param.validated) {
        values[param.index] = value;
        continue;
      }
      const settled = validation.settle(value, param.validated);
      if (isThenable(settled)) (pending ??= []).push(settled.then((checked) => void (values[param.index] = checked)));
      else values[param.index] = settled;
    }
    if (!pending) return run(values);
    return Promise.all(pending).then(() => run(values), failed);
  }) as ReturnType<Create>;
}

/** Whether anything but the application's own enhancers applies: then Nest's pipeline runs the resolver. */
function hasEnhancers(config: ApplicationConfig, host: object, callback: Resolver, filtered: boolean): boolean {
  const declared = (key: string) => [host, callback].some((target) => ((Reflect.getMetadata(key, target) as unknown[] | undefined) ?? []).length > 0);
  if (declared(GUARDS_METADATA) || declared(INTERCEPTORS_METADATA) || declared(PIPES_METADATA)) return true;
  if (config.getGlobalGuards().length + config.getGlobalInterceptors().length + config.getGlobalPipes().length > 0) return true;
  if (config.getGlobalRequestGuards().length + config.getGlobalRequestInterceptors().length + config.getGlobalRequestPipes().length > 0) return true;
  if (!filtered) return false;
  if (declared(EXCEPTION_FILTERS_METADATA) || config.getGlobalRequestFilters().length > 0) return true;
  const filters = config.getGlobalFilters();
  return !(filters.length === 1 && filters[0] instanceof GraphqlExceptionFilter);
}

/** The method's parameters as Nest declares them, or undefined when one is of a kind only Nest's pipeline takes. */
function paramsOf(host: object, methodName: string, validation: PipeTransform): Param[] | undefined {
  const declared = (Reflect.getMetadata(ROUTE_ARGS_METADATA, host, methodName) as Record<string, { index: number; data?: unknown; pipes?: unknown[] }> | undefined) ?? {};
  const paramtypes = (Reflect.getMetadata('design:paramtypes', (host as { prototype: object }).prototype, methodName) as unknown[] | undefined) ?? [];
  const params: Param[] = [];
  for (const [key, { index, data, pipes = [] }] of Object.entries(declared)) {
    if (key.includes(CUSTOM_ROUTE_ARGS_METADATA)) return undefined;
    const type = Number(key.split(':')[0]);
    const from = POSITION_OF[type];
    if (from === undefined) return undefined;
    if (data !== undefined && typeof data !== 'string') return undefined;
    if (!pipes.every((pipe) => pipe === validation)) return undefined;
    params.push({ index, from, data, validated: pipes.length > 0 ? ({ type, metatype: paramtypes[index], data } as unknown as ArgumentMetadata) : undefined });
  }
  return params;
}

function isThenable(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Nest's application settings (its global enhancers), which its context creator reads through its container. */
function applicationConfigOf(creator: ExternalContextCreator): ApplicationConfig {
  const config = (creator as unknown as { container?: { applicationConfig?: ApplicationConfig } }).container?.applicationConfig;
  if (!config || typeof config.getGlobalGuards !== 'function') throw new Error("Nest's context creator no longer shows its application settings: the lean resolvers cannot tell its global enhancers");
  return config;
}
