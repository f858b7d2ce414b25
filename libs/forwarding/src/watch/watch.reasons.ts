import { reasonSet } from '@headwaters/core';

/** The reason codes of watching upstream records. */
export const watchReasons = reasonSet({
  /** A link that is not a record of the upstream's tracker kind. */
  INVALID_RECORD_URL: 'invalid',
  /** The upstream's trackerKind is NONE: nothing to read back. */
  TRACKER_NOT_WATCHED: 'invalid',
  FORWARD_NOT_FOUND: 'not_found',
  /** checkUpstreamRecord on a forward without a linked record. */
  NOT_LINKED: 'conflict',
  /** The item does not affect the upstream named. */
  NOT_AFFECTED: 'conflict',
  /** The item is routed to an upstream that triages here. */
  NOTHING_TO_FORWARD: 'conflict',
  HELD_MAIL_NOT_FOUND: 'not_found',
  /** Approving or dropping a held mail already decided. */
  HELD_MAIL_DECIDED: 'conflict',
});

export const watchError = watchReasons.error;
