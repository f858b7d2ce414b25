import type { CatalogueReader, CatalogueSnapshot } from '@headwaters/catalogue';
import type { RequestContext } from '../graphql/request-context';

/** The catalogue as one request sees it: one snapshot for the whole request, from memory. */
export function catalogueOf(context: RequestContext, reader: CatalogueReader): Promise<CatalogueSnapshot> {
  return context.loader<number, CatalogueSnapshot>('catalogue', async (keys) => {
    const snapshot = await reader.snapshot();
    return keys.map(() => snapshot);
  }).load(0);
}
