import type { CatalogueReader, CatalogueSnapshot } from '@headwaters/catalogue';
import type { RequestContext } from '../graphql/request-context';

/** Each request's snapshot once it has been read. */
const readSnapshots = new WeakMap<RequestContext, CatalogueSnapshot>();

/** The catalogue as one request sees it: one snapshot for the whole request, from memory. */
export function catalogueOf(context: RequestContext, reader: CatalogueReader): Promise<CatalogueSnapshot> {
  const known = knownSnapshot(context, reader);
  if (known) return Promise.resolve(known);
  return context.loader<number, CatalogueSnapshot>('catalogue', async (keys) => {
    const read = await reader.snapshot();
    // The first snapshot the request saw stays its snapshot, should it have taken one meanwhile.
    const snapshot = readSnapshots.get(context) ?? read;
    readSnapshots.set(context, snapshot);
    return keys.map(() => snapshot);
  }).load(0);
}

/**
 * `answer` from the request's snapshot: at once when the request has one already, or the reader
 * holds a fresh one in memory (nearly always: the fields of every item of a page), else once it
 * is read. A field answered at once costs the server no promise per item (a DataLoader makes one
 * for every load, even of a key it holds).
 */
export function withCatalogue<T>(context: RequestContext, reader: CatalogueReader, answer: (snapshot: CatalogueSnapshot) => T): T | Promise<T> {
  const snapshot = knownSnapshot(context, reader);
  return snapshot ? answer(snapshot) : catalogueOf(context, reader).then(answer);
}

/** The request's snapshot, taking the reader's fresh one in memory when the request has none yet; undefined while one must be read. */
function knownSnapshot(context: RequestContext, reader: CatalogueReader): CatalogueSnapshot | undefined {
  let snapshot = readSnapshots.get(context);
  if (!snapshot) {
    snapshot = reader.current();
    if (snapshot) readSnapshots.set(context, snapshot);
  }
  return snapshot;
}
