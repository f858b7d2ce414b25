import type { UpstreamRecord } from '../record-url';
import type { RemoteReading } from '../status-mapping';

/** What a check of an upstream's record found. */
export type TrackerReading =
  /** The record as read now, with the validator to send next time (GitHub's ETag). */
  | ({ notModified: false; etag: string | null } & RemoteReading)
  /** The tracker answered 304: nothing changed since the stored ETag. */
  | { notModified: true };

export type TrackerFailureKind = 'rate_limited' | 'timeout' | 'unreachable' | 'unavailable' | 'not_found' | 'refused' | 'bad_answer';

/** A check that did not give a reading; its message says why in words, for `checkError`. */
export class TrackerCheckError extends Error {
  constructor(
    readonly kind: TrackerFailureKind,
    message: string,
    /** When the tracker said to come back (a rate limit's reset, a Retry-After). */
    readonly retryAt: Date | null = null,
  ) {
    super(message);
    this.name = 'TrackerCheckError';
  }
}

/** Reads one kind of tracker through its real API. */
export interface TrackerClient<R extends UpstreamRecord = UpstreamRecord> {
  read(record: R, etag: string | null): Promise<TrackerReading>;
}

/** Where the trackers' APIs are, and how long a check may take. */
export interface TrackerClientOptions {
  githubApiUrl: string;
  githubToken?: string | null;
  launchpadApiUrl: string;
  timeoutMs: number;
  userAgent: string;
}
