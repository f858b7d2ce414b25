import { launchpadTargetName } from './trackers/launchpad.client';
import type { UpstreamRecord } from './record-url';
import type { RemoteReading } from './status-mapping';

/** How people name a record: `xapi-project/xen-api#123`, `Debian bug #123456`, `Launchpad bug #N (xcp-xapi (Ubuntu))`. */
export function recordName(record: UpstreamRecord): string {
  switch (record.kind) {
    case 'GITHUB':
      return `${record.owner}/${record.repo}#${record.number}`;
    case 'DEBBUGS':
      return `bug #${record.bug} at ${new URL(record.origin).host}`;
    case 'LAUNCHPAD':
      return `Launchpad bug #${record.bug} (${launchpadTargetName(record.target)})`;
    case 'BUGZILLA':
      return `bug ${record.bug} at ${new URL(record.base).host}`;
  }
}

/**
 * The timeline's sentence for a change of an upstream record's status:
 * "xapi-project closed it (completed) in xapi-project/xen-api#123",
 * "Debian marked bug #123456 at bugs.debian.org done, fixed in 1.2.3-1".
 * `actor` is who made the change upstream when known (a webhook's sender).
 */
export function statusChangeSummary(record: UpstreamRecord, upstreamName: string, previous: string | null, reading: RemoteReading, actor: string | null = null): string {
  if (record.kind === 'GITHUB') {
    const who = actor ?? record.owner;
    const [state, reason] = splitGithub(reading.remoteStatus);
    const wasClosed = previous !== null && previous.startsWith('closed');
    const verb = state === 'closed' ? 'closed it' : wasClosed ? 'reopened it' : 'has it open';
    return `${who} ${verb}${state === 'closed' && reason ? ` (${reason})` : ''} in ${recordName(record)}`;
  }
  if (record.kind === 'LAUNCHPAD') return `${upstreamName} set ${recordName(record)} to ${reading.remoteStatus}`;
  return `${upstreamName} marked ${recordName(record)} ${reading.remoteStatus}`;
}

function splitGithub(remoteStatus: string): [string, string | null] {
  const m = /^(\w+)(?: \((.+)\))?$/.exec(remoteStatus);
  return m ? [m[1], m[2] ?? null] : [remoteStatus, null];
}
