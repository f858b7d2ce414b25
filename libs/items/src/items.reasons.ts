import { reasonSet } from '@headwaters/core';

/** The reason codes of the items library: filing, editing, comments, routes by hand, lists and search. */
export const itemsReasons = reasonSet({
  ITEM_NOT_FOUND: 'not_found',
  INVALID_TITLE: 'invalid',
  INVALID_DESCRIPTION: 'invalid',
  INVALID_COMMENT: 'invalid',
  NOTHING_TO_EDIT: 'invalid',
  NOT_FOR_FEATURES: 'invalid',
  INVALID_REASON: 'invalid',
  NOT_MANUAL: 'conflict',
  INVALID_ORDER: 'invalid',
  INVALID_SEARCH: 'invalid',
  /** A list filter names a component or upstream that does not exist (the filter is bad input, nothing is missing). */
  FILTER_UNKNOWN_SLUG: 'invalid',
  IS_DUPLICATE: 'conflict',
  NOT_DUPLICATE: 'conflict',
  STATUS_NOT_SETTABLE: 'conflict',
  STATUS_NOT_FOR_KIND: 'conflict',
  STATUS_NOT_FROM: 'conflict',
  /** An attachment over ATTACHMENT_MAX_BYTES (the HTTP route answers 413). */
  ATTACHMENT_TOO_LARGE: 'invalid',
  INVALID_TAG: 'invalid',
  TOO_MANY_TAGS: 'invalid',
  /** disclose of an item that is public already. */
  NOT_EMBARGOED: 'conflict',
  /** assign names a username nobody has. */
  USER_NOT_FOUND: 'not_found',
  /** assign names someone who does not maintain the item. */
  NOT_A_MAINTAINER: 'invalid',
  COMMENT_NOT_FOUND: 'not_found',
});

export const itemsError = itemsReasons.error;
