import { reasonSet } from '@headwaters/core';

/** The reason codes of the forwarding library. */
export const forwardingReasons = reasonSet({
  INVALID_REFERENCE: 'invalid',
  /** The item is routed to an upstream that triages here. */
  NOTHING_TO_FORWARD: 'conflict',
  NOT_FORWARDED: 'conflict',
  /** The item has no forward to the upstream named (it does not affect it). */
  NOT_AFFECTED: 'conflict',
  /** A MANUAL upstream is forwarded to by hand: the reference its tracker gave is needed. */
  REFERENCE_REQUIRED: 'invalid',
  /** The forward's last delivery is still on its way. */
  DELIVERY_PENDING: 'conflict',
  /** The forward went out already; its delivery can be redelivered. */
  ALREADY_FORWARDED: 'conflict',
  /** The item already has a forward to that upstream. */
  ALREADY_AFFECTED: 'conflict',
  DELIVERY_NOT_FOUND: 'not_found',
});

export const forwardingError = forwardingReasons.error;
