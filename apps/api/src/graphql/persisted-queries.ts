import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

const SHA256 = /^[0-9a-f]{64}$/;
/** Documents kept in this process's memory in front of the table. */
const MEMORY_ENTRIES = 2000;

interface PersistedRequest {
  query?: unknown;
  extensions?: { persistedQuery?: { version?: unknown; sha256Hash?: unknown } };
}

/**
 * Mercurius's persisted-query provider for Apollo's automatic persisted queries: a hash-only
 * request runs the document registered under that hash, or answers `PersistedQueryNotFound`, and
 * the client then sends the document with its hash once. Documents live in `persisted_query`,
 * so every instance knows what any one of them was told; the newest are also kept in memory.
 */
export function persistedQueryProvider(dataSource: DataSource) {
  const memory = new Map<string, string>();
  const remember = (hash: string, query: string) => {
    memory.delete(hash);
    memory.set(hash, query);
    if (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value as string);
  };
  return {
    isPersistedQuery: (request: PersistedRequest) => !request.query && Boolean(request.extensions?.persistedQuery),
    isPersistedQueryRetry: (request: PersistedRequest) => Boolean(request.query) && Boolean(request.extensions?.persistedQuery),
    getHash: (request: PersistedRequest): string => {
      const persisted = request.extensions?.persistedQuery;
      const hash = persisted?.sha256Hash;
      return persisted?.version === 1 && typeof hash === 'string' && SHA256.test(hash) ? hash : '';
    },
    getQueryFromHash: async (hash: string): Promise<string | undefined> => {
      const known = memory.get(hash);
      if (known !== undefined) return known;
      const rows = (await dataSource.query('SELECT query FROM persisted_query WHERE hash = $1', [hash])) as { query: string }[];
      if (rows.length > 0) remember(hash, rows[0].query);
      return rows[0]?.query;
    },
    getHashForQuery: (query: string): string => createHash('sha256').update(query, 'utf8').digest('hex'),
    saveQuery: async (hash: string, query: string): Promise<void> => {
      if (memory.has(hash)) return;
      await dataSource.query('INSERT INTO persisted_query (hash, query) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING', [hash, query]);
      remember(hash, query);
    },
    notFoundError: 'PersistedQueryNotFound',
    notSupportedError: 'PersistedQueryNotSupported',
    mismatchError: 'The sha256Hash does not match the query',
  };
}
