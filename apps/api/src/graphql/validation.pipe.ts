import { ValidationPipe, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { InputValidationError, fieldProblems } from '@headwaters/graphql-kit';
import { cacheValidationMetadata } from './validation-metadata-cache';

/** Nest's numeric parameter type of GraphQL arguments (root 0, context 1, info 2, args 3). */
const GRAPHQL_ARGS = 3;
const HTTP_INPUTS: readonly unknown[] = ['body', 'query', 'param'];

/** The validation pipe, which can also answer at once for an input it needs not (or no longer) check. */
export interface SettlingPipe extends PipeTransform {
  /**
   * What `transform` gives, without a promise where it can: the value itself when it is not
   * validated (no class to check it against), a copy of the instance an equal input gave before;
   * otherwise the promise of its validation (a GraphQL value is never a promise, so a promise is
   * always the pipe's).
   */
  settle(value: unknown, metadata: ArgumentMetadata): unknown;
}

/**
 * The one pipe that validates every input and args class (class-validator): unknown fields are
 * refused, and a failure is BAD_USER_INPUT whose message names each field at fault. It looks at
 * arguments only: Nest also hands it each field resolver's parent object, and transforming those
 * (25 items x every field of a page) cost more than the rest of the request.
 *
 * An input that passed before, the same plain value for the same class and argument, is not
 * validated again: its transformed instance is copied (validation is a pure function of the
 * value, and clients repeat the same page sizes, filters and orders). A refused input is never
 * kept, so it fails every time.
 */
class ArgumentsValidationPipe extends ValidationPipe implements SettlingPipe {
  private readonly passed = new PassedInputs();

  settle(value: unknown, metadata: ArgumentMetadata): unknown {
    const checked = !!metadata.metatype && this.toValidate(metadata);
    // As ValidationPipe.transform: an unchecked GraphQL argument is returned as it is (its
    // primitive conversions are for HTTP query and route parameters only).
    if (!checked && (metadata.type as unknown) === GRAPHQL_ARGS) return value;
    const key = checked ? this.passed.keyOf(metadata.metatype!, metadata.data, value) : undefined;
    const known = key === undefined ? undefined : this.passed.get(key);
    return known !== undefined ? known : this.validated(value, metadata, key);
  }

  protected override toValidate(metadata: ArgumentMetadata): boolean {
    const type: unknown = metadata.type;
    return (type === GRAPHQL_ARGS || HTTP_INPUTS.includes(type)) && super.toValidate(metadata);
  }

  /** Validates and transforms as the ValidationPipe does, but an input that passed before is copied. */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return this.settle(value, metadata);
  }

  /** ValidationPipe's own transform, its result kept under `key` (when there is one). */
  private async validated(value: unknown, metadata: ArgumentMetadata, key: string | undefined): Promise<unknown> {
    const result: unknown = await super.transform(value, metadata);
    if (key !== undefined) this.passed.set(key, result);
    return result;
  }
}

/** Inputs kept at most; past it, the first kept goes first. */
const MAX_PASSED = 1000;
/** Longer inputs (as JSON) are validated every time: they are seldom repeated. */
const MAX_KEY_LENGTH = 1024;

/** Inputs that passed validation, as their transformed instances, by class, argument and JSON of the value. */
class PassedInputs {
  private readonly classIds = new WeakMap<object, number>();
  private readonly byKey = new Map<string, unknown>();
  private classes = 0;

  /** The key of a plain JSON value (what a GraphQL request's arguments are), or undefined for anything else or a long value. */
  keyOf(metatype: object, argument: string | undefined, value: unknown): string | undefined {
    if (!isPlainJson(value, 0)) return undefined;
    const json = JSON.stringify(value) ?? 'undefined';
    if (json.length > MAX_KEY_LENGTH) return undefined;
    let id = this.classIds.get(metatype);
    if (id === undefined) {
      id = ++this.classes;
      this.classIds.set(metatype, id);
    }
    return `${id}|${argument ?? ''}|${json}`;
  }

  /** A copy of what was kept for `key` (so no request changes another's), or undefined. */
  get(key: string): unknown {
    const known = this.byKey.get(key);
    return known === undefined ? undefined : copyOf(known);
  }

  set(key: string, result: unknown): void {
    if (result === undefined || !isCopyable(result, 0)) return;
    if (this.byKey.size >= MAX_PASSED) this.byKey.delete(this.byKey.keys().next().value!);
    this.byKey.set(key, copyOf(result));
  }
}

/**
 * null, booleans, finite numbers, strings, and arrays and plain objects of them: what JSON gives
 * back as it was (an `undefined` inside would vanish from the key, so it is not plain).
 */
function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || (value === undefined && depth === 0)) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (depth > 10) return false;
      if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth + 1));
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key of Object.keys(value)) {
        if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** What {@link copyOf} copies faithfully: primitives, dates, arrays, and objects of any class made of those. */
function isCopyable(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function' && typeof value !== 'symbol';
  if (depth > 10) return false;
  if (value instanceof Date) return true;
  if (Array.isArray(value)) return value.every((item) => isCopyable(item, depth + 1));
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  return Object.keys(value).every((key) => isCopyable((value as Record<string, unknown>)[key], depth + 1));
}

/** A deep copy keeping each object's class. */
function copyOf<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copyOf) as T;
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const key of Object.keys(value)) copy[key] = copyOf((value as Record<string, unknown>)[key]);
  return copy as T;
}

export function createValidationPipe(): ValidationPipe & SettlingPipe {
  cacheValidationMetadata();
  return new ArgumentsValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validateCustomDecorators: false,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new InputValidationError(fieldProblems(errors)),
  });
}
