import type { TrackerKind } from '@headwaters/catalogue';

export type { TrackerKind };

/** The kinds whose records Headwaters reads back. */
export type WatchedTrackerKind = Exclude<TrackerKind, 'NONE'>;

/** The forward states a check of an upstream's record can lead to. */
export type WatchedForwardState = 'FORWARDED' | 'UPSTREAM_FIXED' | 'UPSTREAM_REJECTED';
