import type { UpstreamRecord } from '../record-url';
import { readBugzillaStatus } from '../status-mapping';
import { jsonOf, requestTracker, snippet, statusFailure } from './http';
import { TrackerCheckError, type TrackerClient, type TrackerClientOptions, type TrackerReading } from './tracker-client';

type BugzillaRecord = Extract<UpstreamRecord, { kind: 'BUGZILLA' }>;

interface BugzillaAnswer {
  bugs?: { status?: unknown; resolution?: unknown }[];
  error?: boolean;
  code?: number;
  message?: string;
}

/** A Bugzilla 5 through its REST API: `GET {base}/rest/bug/{id}?include_fields=status,resolution`. */
export class BugzillaClient implements TrackerClient<BugzillaRecord> {
  constructor(private readonly options: Pick<TrackerClientOptions, 'timeoutMs' | 'userAgent'>) {}

  async read(record: BugzillaRecord): Promise<TrackerReading> {
    const host = new URL(record.base).host;
    const answer = await requestTracker(host, `${record.base}/rest/bug/${record.bug}?include_fields=status,resolution`, {
      headers: { Accept: 'application/json', 'User-Agent': this.options.userAgent },
    }, this.options.timeoutMs);
    if (answer.status >= 500) throw statusFailure(host, answer);
    const body = jsonOf<BugzillaAnswer>(host, answer);
    if (body?.error) {
      // Bugzilla's own error codes: 101 no such bug, 102 access denied.
      if (body.code === 101) throw new TrackerCheckError('not_found', `${host} has no bug ${record.bug}: ${body.message ?? 'it does not exist'}`);
      if (body.code === 102) throw new TrackerCheckError('refused', `${host} does not show bug ${record.bug}: ${body.message ?? 'access denied'}`);
      throw new TrackerCheckError('refused', `${host} refused bug ${record.bug} (${answer.status}, code ${body.code ?? '?'}: ${body.message ?? 'no message'})`);
    }
    if (answer.status !== 200) throw statusFailure(host, answer);
    const bug = Array.isArray(body?.bugs) ? body.bugs[0] : undefined;
    if (!bug || typeof bug.status !== 'string') throw new TrackerCheckError('bad_answer', `${host} answered bug ${record.bug} without a status (${snippet(answer.body)})`);
    return { notModified: false, etag: null, ...readBugzillaStatus(bug.status, typeof bug.resolution === 'string' ? bug.resolution : '') };
  }
}
