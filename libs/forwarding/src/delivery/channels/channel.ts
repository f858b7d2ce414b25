import type { DeliveryRecord, DeliveryResponse } from '../delivery.records';

/** How one attempt went: accepted (with what a webhook answered), or refused with why, in words. */
export type SendOutcome = { ok: true; response?: DeliveryResponse } | { ok: false; error: string };

export interface SendContext {
  /** Aborted when the worker stops: the attempt is abandoned (and runs again later), not failed. */
  signal: AbortSignal;
  /** The HMAC key of a signed webhook. */
  secret: string | null;
}

/** Sends one attempt of a delivery. Never throws for a refusal: only an abort throws. */
export interface DeliveryChannelSender {
  send(delivery: DeliveryRecord, context: SendContext): Promise<SendOutcome>;
  close?(): Promise<void>;
}
