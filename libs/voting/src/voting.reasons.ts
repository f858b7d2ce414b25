import { reasonSet } from '@headwaters/core';

/** The reason codes of the voting library. */
export const votingReasons = reasonSet({
  ITEM_CLOSED: 'conflict',
  ORIGINAL_CLOSED: 'conflict',
  BUSY: 'conflict',
});

export const votingError = votingReasons.error;
