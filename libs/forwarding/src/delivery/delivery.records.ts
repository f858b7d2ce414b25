export const DELIVERY_CHANNELS = ['MAIL', 'WEBHOOK'] as const;
/** How a delivery leaves: a mail over SMTP, or an HTTP POST. */
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

export const DELIVERY_STATES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
/** PENDING: queued or waiting for its next attempt; FAILED: given up until redelivered. */
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** What a webhook's 2xx JSON answer told about the receiver's own record. */
export interface DeliveryResponse {
  reference?: string;
  url?: string;
}

/** One row of the outbox. */
export interface DeliveryRecord {
  id: number;
  /** What it tells: `item.forwarded`, ... (a webhook's X-Headwaters-Event; how outcome listeners are found). */
  event: string;
  channel: DeliveryChannel;
  /** The mail address or URL. */
  destination: string;
  /** A mail's subject. */
  subject: string | null;
  /** A mail's plain-text body, or a webhook's raw JSON body (signed as it is). */
  payload: string;
  /** Extra mail headers. */
  headers: Record<string, string>;
  /** A mail's Message-ID (with its angle brackets), a webhook's delivery id: the same on every attempt. */
  messageId: string;
  /** Where a webhook's HMAC key comes from (`upstream:<id>`); null: not signed. */
  signingKey: string | null;
  state: DeliveryState;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  response: DeliveryResponse | null;
  /** The forward it carries, for forwards. */
  forwardId: number | null;
  /** Why it was not sent when its turn came (a check before sending refused it); null when sent or not yet tried. */
  skipReason: string | null;
  createdAt: Date;
}

/** A delivery to queue. */
export interface NewDelivery {
  event: string;
  channel: DeliveryChannel;
  destination: string;
  subject?: string | null;
  payload: string;
  headers?: Record<string, string>;
  /** Given for mail (`<item-N.forward-K@host>`); for webhooks a random UUID when left out. */
  messageId?: string;
  signingKey?: string | null;
  forwardId?: number | null;
}

/** The columns of a delivery, as {@link DeliveryRecord} names them. */
export const DELIVERY_COLUMNS = `id::int AS id, event, channel, destination, subject, payload, headers, message_id AS "messageId", signing_key AS "signingKey",
  state, attempts, max_attempts AS "maxAttempts", last_error AS "lastError", next_attempt_at AS "nextAttemptAt", delivered_at AS "deliveredAt",
  response, forward_id AS "forwardId", skip_reason AS "skipReason", created_at AS "createdAt"`;
