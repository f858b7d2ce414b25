import type { CatalogueReader, CatalogueSnapshot } from '@headwaters/catalogue';
import type { RequestContext } from '../graphql/request-context';

/** Each request's snapshot once it has been read. */
const readSnapshots = new WeakMap<RequestContext, CatalogueSnapshot>();

/** The catalogue as one request sees it: one snapshot for the whole request, from memory. */
export function catalogueOf(context: RequestContext, reader: CatalogueReader): Promise<CatalogueSnapshot> {
  return context.loader<number, CatalogueSnapshot>('catalogue', async (keys) => {
    const snapshot = await reader.snapshot();
    readSnapshots.set(context, snapshot);
    return keys.map(() => snapshot);
  }).load(0);
}

/**
 * `answer` from the request's snapshot: at once when the request has read it already (the
 * fields of every item of a page, after the list's own read), else once it is read. A field
 * answered at once costs the server no promise per item.
 */
export function withCatalogue<T>(context: RequestContext, reader: CatalogueReader, answer: (snapshot: CatalogueSnapshot) => T): T | Promise<T> {
  const snapshot = readSnapshots.get(context);
  return snapshot ? answer(snapshot) : catalogueOf(context, reader).then(answer);
}
