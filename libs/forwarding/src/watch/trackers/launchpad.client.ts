import type { UpstreamRecord } from '../record-url';
import { readLaunchpadStatus } from '../status-mapping';
import { jsonOf, requestTracker, snippet, statusFailure } from './http';
import { TrackerCheckError, type TrackerClient, type TrackerClientOptions, type TrackerReading } from './tracker-client';

type LaunchpadRecord = Extract<UpstreamRecord, { kind: 'LAUNCHPAD' }>;

interface BugTask {
  bug_target_name?: unknown;
  target_link?: unknown;
  status?: unknown;
}
interface BugTaskPage {
  entries?: BugTask[];
  next_collection_link?: string;
}

const MAX_PAGES = 5;

/**
 * The name Launchpad gives a task's target, from the target's path: `xen-api` for a project,
 * `xcp-xapi (Ubuntu)` for `ubuntu/+source/xcp-xapi`, `xcp-xapi (Ubuntu Jammy)` for a series.
 */
export function launchpadTargetName(target: string): string {
  const parts = target.split('/');
  const at = parts.indexOf('+source');
  if (at < 1 || at !== parts.length - 2) return target;
  const where = parts.slice(0, at).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(' ');
  return `${parts[at + 1]} (${where})`;
}

/** Launchpad through its REST API: the bug's tasks, and among them the one of the linked target. */
export class LaunchpadClient implements TrackerClient<LaunchpadRecord> {
  constructor(private readonly options: Pick<TrackerClientOptions, 'launchpadApiUrl' | 'timeoutMs' | 'userAgent'>) {}

  async read(record: LaunchpadRecord): Promise<TrackerReading> {
    const name = launchpadTargetName(record.target);
    let url: string | undefined = `${this.options.launchpadApiUrl.replace(/\/+$/, '')}/bugs/${record.bug}/bug_tasks`;
    const seen: string[] = [];
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const answer = await requestTracker('Launchpad', url, { headers: { Accept: 'application/json', 'User-Agent': this.options.userAgent } }, this.options.timeoutMs);
      if (answer.status === 404) throw new TrackerCheckError('not_found', `Launchpad has no bug #${record.bug} (404)`);
      if (answer.status === 401 || answer.status === 403) throw new TrackerCheckError('refused', `Launchpad does not show bug #${record.bug} (${answer.status}): it may be private`);
      if (answer.status !== 200) throw statusFailure('Launchpad', answer);
      const body = jsonOf<BugTaskPage>('Launchpad', answer);
      if (!body || !Array.isArray(body.entries)) throw new TrackerCheckError('bad_answer', `Launchpad answered bug #${record.bug} without its tasks (${snippet(answer.body)})`);
      for (const task of body.entries) {
        const target = typeof task.target_link === 'string' ? task.target_link : '';
        const taskName = typeof task.bug_target_name === 'string' ? task.bug_target_name : '';
        if (taskName) seen.push(taskName);
        if (target.endsWith(`/${record.target}`) || taskName === name) {
          if (typeof task.status !== 'string') throw new TrackerCheckError('bad_answer', `Launchpad answered the task ${name} of bug #${record.bug} without a status`);
          return { notModified: false, etag: null, ...readLaunchpadStatus(task.status) };
        }
      }
      url = typeof body.next_collection_link === 'string' ? body.next_collection_link : undefined;
    }
    throw new TrackerCheckError('not_found', `Launchpad bug #${record.bug} has no task for ${name}${seen.length ? ` (its tasks: ${seen.join(', ')})` : ''}`);
  }
}
