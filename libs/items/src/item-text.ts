import { itemsError } from './items.reasons';

export const TITLE_MIN = 5;
export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 50_000;

/** A title as stored: trimmed, inner runs of spaces made one; 5 to 200 characters, else BAD_USER_INPUT. */
export function cleanTitle(raw: string, field = 'title'): string {
  const title = raw.trim().replace(/\s+/g, ' ');
  if (title.length < TITLE_MIN || title.length > TITLE_MAX) {
    throw itemsError('INVALID_TITLE', `${field} must be ${TITLE_MIN} to ${TITLE_MAX} characters (not counting surrounding spaces)`, field);
  }
  return title;
}

/** A description as stored: trimmed; at most 50,000 characters, else BAD_USER_INPUT. */
export function cleanDescription(raw: string, field = 'description'): string {
  const description = raw.trim();
  if (description.length > DESCRIPTION_MAX) {
    throw itemsError('INVALID_DESCRIPTION', `${field} must be at most ${DESCRIPTION_MAX} characters`, field);
  }
  return description;
}
