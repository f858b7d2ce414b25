import { reasonSet } from '@headwaters/core';

/** The reason codes of the forwarding library. */
export const forwardingReasons = reasonSet({
  INVALID_REFERENCE: 'invalid',
  /** The item is routed to an upstream that triages here. */
  NOTHING_TO_FORWARD: 'conflict',
  NOT_FORWARDED: 'conflict',
  /** The item has no forward to the upstream named (it does not affect it). */
  NOT_AFFECTED: 'conflict',
});

export const forwardingError = forwardingReasons.error;
