import type { ResolverDecoratorHost } from '@nestjs/graphql';

type HookList = ((...args: never[]) => unknown)[];
type MercuriusHooks = Record<'preParsing' | 'onResolution', HookList>;

/**
 * What @nestjs/mercurius adds to Mercurius for Nest's request hooks: a preParsing and an
 * onResolution hook, recognised by their source (they read ResolverDecoratorHost's state).
 */
const NEST_REQUEST_HOOKS = { preParsing: /hasRequestHooks/, onResolution: /REQUEST_HOOK_STATE/ } as const;

/**
 * @nestjs/mercurius gives every operation a preParsing and an onResolution hook, for the request
 * hooks that ResolverDecoratorHost may be given (setOnRequestStartHook, setOnRequestEndHook), and
 * keeps them when none is given: each operation then runs two async hooks that do nothing, through
 * Mercurius's hook runners (about eight promises an operation, a tenth of an item read's). Once
 * Nest has registered them, and while the host has no request hook, they are taken out; they are
 * put back in their places as soon as the host is given one.
 */
export function dropIdleRequestHooks(graphql: object, host: ResolverDecoratorHost): void {
  const symbol = Object.getOwnPropertySymbols(graphql).find((s) => s.description === 'mercurius.hooks');
  const hooks = symbol && ((graphql as Record<symbol, unknown>)[symbol] as MercuriusHooks | undefined);
  if (!hooks || host.hasRequestHooks()) return;
  const dropped = new Map<keyof MercuriusHooks, { index: number; hook: HookList[number] }[]>();
  for (const name of Object.keys(NEST_REQUEST_HOOKS) as (keyof MercuriusHooks)[]) {
    const list = hooks[name];
    if (!Array.isArray(list)) continue;
    const taken = list.flatMap((hook, index) => (NEST_REQUEST_HOOKS[name].test(String(hook)) ? [{ index, hook }] : []));
    if (!taken.length) continue;
    dropped.set(name, taken);
    hooks[name] = list.filter((hook) => !taken.some((t) => t.hook === hook));
  }
  if (!dropped.size) return;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    for (const [name, taken] of dropped) {
      const list = [...hooks[name]];
      for (const { index, hook } of taken) list.splice(index, 0, hook);
      hooks[name] = list;
    }
  };
  for (const setter of ['setOnRequestStartHook', 'setOnRequestEndHook'] as const) {
    const set = host[setter].bind(host) as (hook: never) => void;
    (host as unknown as Record<string, (hook: never) => void>)[setter] = (hook: never) => {
      set(hook);
      restore();
    };
  }
}
