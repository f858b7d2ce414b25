export const FORWARDING_METHODS = ['HANDLED_HERE', 'MAILING_LIST', 'WEBHOOK', 'MANUAL'] as const;
/** How an item routed to an upstream reaches it. */
export type ForwardingMethod = (typeof FORWARDING_METHODS)[number];

export const TRACKER_KINDS = ['NONE', 'GITHUB', 'DEBBUGS', 'LAUNCHPAD', 'BUGZILLA'] as const;
/** Which kind of tracker an upstream keeps: how a forwarded item's record there is read back, and how mail to it is shaped. */
export type TrackerKind = (typeof TRACKER_KINDS)[number];

/** The shortest webhook secret accepted: it keys the HMAC-SHA256 signature of every POST. */
export const WEBHOOK_SECRET_MIN_LENGTH = 16;

/** A project that owns components. */
export interface UpstreamRecord {
  id: number;
  slug: string;
  name: string;
  homepage: string | null;
  mailingList: string | null;
  ircChannel: string | null;
  trackerUrl: string | null;
  webhookUrl: string | null;
  forwarding: ForwardingMethod;
  trackerKind: TrackerKind;
  /** Whether a webhook secret is set; the secret itself never leaves the database but to sign. */
  hasWebhookSecret: boolean;
  retiredAt: Date | null;
}

/** A node of the component tree; `ownerId` is its own owner, null when it inherits. */
export interface ComponentRecord {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  parentId: number | null;
  ownerId: number | null;
  /** The upstream's own name for this part (Debian's source package xcp-xapi). */
  packageName: string | null;
  retiredAt: Date | null;
}

export interface ReleaseRecord {
  id: number;
  slug: string;
  name: string;
  releasedAt: Date | null;
  retiredAt: Date | null;
}

/** Upstream slugs: lower-case letters, digits and dashes. */
export const UPSTREAM_SLUG = /^[a-z0-9][a-z0-9-]*$/;
/** Component slugs: path-like, levels separated by `/` (xapi/xenopsd). */
export const COMPONENT_SLUG = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;
/** Release slugs may carry dots (xenserver-6.2). */
export const RELEASE_SLUG = /^[a-z0-9][a-z0-9.-]*$/;
