import type { ServerResponse } from 'node:http';
import { FakeHttpServer, sendJson, type SeenRequest } from './fake-http-server';

export interface FakeBugzillaBug {
  status: string;
  resolution: string;
  private?: boolean;
}

/**
 * A Bugzilla 5 under a path (`/bugzilla` by default), answering its REST API's
 * `GET /rest/bug/{id}` with `include_fields` honoured, and its JSON errors (101, 102).
 */
export class FakeBugzilla extends FakeHttpServer {
  private readonly bugs = new Map<number, FakeBugzillaBug>();

  constructor(readonly basePath = '/bugzilla') {
    super();
  }

  /** What precedes show_bug.cgi in a bug's URL. */
  get base(): string {
    return `${this.url}${this.basePath}`;
  }

  setBug(bug: number, status: FakeBugzillaBug): void {
    this.bugs.set(bug, status);
  }

  protected keyOf(req: SeenRequest): string | null {
    const m = /\/rest\/bug\/(\d+)/.exec(req.path);
    return m ? m[1] : null;
  }

  protected handle(req: SeenRequest, res: ServerResponse): void {
    const url = new URL(req.path, 'http://x');
    const m = new RegExp(`^${this.basePath}/rest/bug/(\\d+)$`).exec(url.pathname);
    if (!m) {
      sendJson(res, 404, { error: true, code: 32614, message: `A REST API resource was not found for 'GET ${url.pathname}'.`, documentation: 'https://bugzilla.readthedocs.org/en/5.0/api/' });
      return;
    }
    const id = Number(m[1]);
    const bug = this.bugs.get(id);
    if (!bug) {
      sendJson(res, 404, { error: true, code: 101, message: `Bug #${id} does not exist.`, documentation: 'https://bugzilla.readthedocs.org/en/5.0/api/' });
      return;
    }
    if (bug.private) {
      sendJson(res, 401, { error: true, code: 102, message: `You are not authorized to access bug #${id}. To see this bug, you must first log in to an account with the appropriate permissions.`, documentation: 'https://bugzilla.readthedocs.org/en/5.0/api/' });
      return;
    }
    const full: Record<string, unknown> = { id, status: bug.status, resolution: bug.resolution, summary: `Bug ${id}`, product: 'CentOS', component: 'kernel', is_open: !['RESOLVED', 'VERIFIED', 'CLOSED'].includes(bug.status), last_change_time: '2026-11-30T12:00:00Z' };
    const fields = url.searchParams.get('include_fields')?.split(',').map((f) => f.trim()).filter(Boolean);
    const shown = fields ? Object.fromEntries(Object.entries(full).filter(([k]) => fields.includes(k))) : full;
    sendJson(res, 200, { bugs: [shown], faults: [] });
  }
}
