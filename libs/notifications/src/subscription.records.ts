/** GitHub's three states of following something. */
export const SUBSCRIPTION_STATES = ['SUBSCRIBED', 'UNSUBSCRIBED', 'IGNORED'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/** What can be followed: an item, a component (with its subtree), an upstream (items routed to it). */
export const SUBSCRIPTION_TARGETS = ['ITEM', 'COMPONENT', 'UPSTREAM'] as const;
export type SubscriptionTargetKind = (typeof SUBSCRIPTION_TARGETS)[number];

export interface SubscriptionTarget {
  kind: SubscriptionTargetKind;
  id: number;
}

/**
 * Why someone was told, most specific first: when several apply, the first one is given.
 * VOTER: voters want to hear that what they voted for is planned and released.
 */
export const NOTIFICATION_REASONS = ['ASSIGNED', 'REPORTER', 'PARTICIPANT', 'VOTER', 'MAINTAINER', 'SUBSCRIBED'] as const;
export type NotificationReason = (typeof NOTIFICATION_REASONS)[number];

/** How often a user wants mail about what they follow. */
export const MAIL_PREFERENCES = ['EACH_EVENT', 'DAILY_DIGEST', 'NONE'] as const;
export type MailPreference = (typeof MAIL_PREFERENCES)[number];

/** One entry of someone's inbox. */
export interface NotificationRecord {
  id: number;
  userId: number;
  itemId: number;
  eventId: number;
  reason: NotificationReason;
  readAt: Date | null;
  createdAt: Date;
}
