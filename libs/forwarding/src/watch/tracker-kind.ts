/** Which kind of tracker an upstream keeps (the GraphQL enum TrackerKind). */
export const TRACKER_KINDS = ['NONE', 'GITHUB', 'DEBBUGS', 'LAUNCHPAD', 'BUGZILLA'] as const;
export type TrackerKind = (typeof TRACKER_KINDS)[number];

/** The kinds whose records Headwaters reads back. */
export type WatchedTrackerKind = Exclude<TrackerKind, 'NONE'>;

/** The forward states a check of an upstream's record can lead to. */
export type WatchedForwardState = 'FORWARDED' | 'UPSTREAM_FIXED' | 'UPSTREAM_REJECTED';
