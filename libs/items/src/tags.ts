import { itemsError } from './items.reasons';

/** A tag: lower-case letters, digits and -, 1 to 50 characters. */
export const TAG = /^[a-z0-9-]{1,50}$/;
export const MAX_TAGS = 20;

/**
 * Tags as given (any case, surrounding spaces), lower-cased, checked and deduplicated, in
 * alphabetical order; BAD_USER_INPUT naming `field` for one that is not a tag.
 */
export function cleanTags(given: readonly string[], field: string): string[] {
  const tags = new Set<string>();
  for (const raw of given) {
    const tag = raw.trim().toLowerCase();
    if (!TAG.test(tag)) throw itemsError('INVALID_TAG', `${field}: "${raw}" is not a tag (a-z, 0-9 and -, 1 to 50 characters)`, field);
    tags.add(tag);
  }
  return [...tags].sort();
}

/** Refuses more than {@link MAX_TAGS} tags on one item. */
export function checkTagCount(tags: readonly string[], field: string): void {
  if (tags.length > MAX_TAGS) throw itemsError('TOO_MANY_TAGS', `${field}: an item carries at most ${MAX_TAGS} tags`, field);
}
