/** A GraphQL enum object from a list of values: `registerEnumType(enumOf(['A', 'B']), ...)`. */
export function enumOf<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
}
