import type { ServerResponse } from 'node:http';
import { FakeHttpServer, sendJson, type SeenRequest } from './fake-http-server';

export interface FakeBugTask {
  /** The target's path: `ubuntu/+source/xcp-xapi`, `xen-api`. */
  target: string;
  /** Launchpad's display name of it: `xcp-xapi (Ubuntu)`, `xen-api`. */
  bug_target_name: string;
  status: string;
  importance?: string;
}

/**
 * Launchpad's REST API (lazr.restful, version 1.0): `GET /1.0/bugs/{n}/bug_tasks` answers a
 * collection of bug_task entries; an unknown bug is a plain-text 404.
 */
export class FakeLaunchpad extends FakeHttpServer {
  private readonly bugs = new Map<number, FakeBugTask[]>();

  /** The API root, as LAUNCHPAD_API_URL takes it. */
  get apiUrl(): string {
    return `${this.url}/1.0`;
  }

  setTasks(bug: number, tasks: FakeBugTask[]): void {
    this.bugs.set(bug, tasks);
  }

  protected keyOf(req: SeenRequest): string | null {
    const m = /^\/1\.0\/bugs\/(\d+)/.exec(req.path);
    return m ? m[1] : null;
  }

  protected handle(req: SeenRequest, res: ServerResponse): void {
    const m = /^\/1\.0\/bugs\/(\d+)\/bug_tasks\/?(\?.*)?$/.exec(req.path);
    const tasks = m ? this.bugs.get(Number(m[1])) : undefined;
    if (!m || !tasks) {
      res.writeHead(404, { 'Content-Type': 'text/plain;charset=utf-8' }).end(`Object: <lp.bugs.model.bug.BugSet object at 0x7f>, name: '${m?.[1] ?? req.path}'`);
      return;
    }
    const bug = Number(m[1]);
    const api = this.apiUrl;
    sendJson(res, 200, {
      start: 0,
      total_size: tasks.length,
      entries: tasks.map((t) => ({
        self_link: `${api}/${t.target}/+bug/${bug}`,
        web_link: `https://bugs.launchpad.net/${t.target}/+bug/${bug}`,
        resource_type_link: `${api}/#bug_task`,
        bug_link: `${api}/bugs/${bug}`,
        target_link: `${api}/${t.target}`,
        bug_target_name: t.bug_target_name,
        bug_target_display_name: t.bug_target_name,
        status: t.status,
        importance: t.importance ?? 'Undecided',
        is_complete: ['Fix Released', "Won't Fix", 'Invalid', 'Opinion', 'Expired'].includes(t.status),
        assignee_link: null,
        milestone_link: null,
        title: `Bug #${bug} in ${t.bug_target_name}: "a bug"`,
        http_etag: `"${bug}-${t.status}"`,
      })),
      resource_type_link: `${api}/#bug_task-page-resource`,
    });
  }
}
