import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeHttpServer, sendJson, type SeenRequest } from './fake-http-server';

export interface FakeIssue {
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
  title?: string;
}

/**
 * GitHub's REST API for issues, as api.github.com answers it: `GET /repos/{owner}/{repo}/issues/{n}`
 * with an ETag, 304 for a matching If-None-Match (which does not count against the rate limit),
 * the x-ratelimit-* headers, and the 403 GitHub sends once the limit is used up.
 */
export class FakeGithub extends FakeHttpServer {
  private readonly issues = new Map<string, FakeIssue & { updated_at: string }>();
  rateLimit = { limit: 60, remaining: 60, reset: Math.floor(Date.now() / 1000) + 3600 };
  /** Seconds of a secondary rate limit (403 with Retry-After), when set. */
  retryAfterSeconds: number | null = null;

  /** `owner/repo#n` */
  setIssue(key: string, issue: FakeIssue): void {
    this.issues.set(key, { ...issue, updated_at: new Date().toISOString() });
  }

  protected keyOf(req: SeenRequest): string | null {
    const m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)/.exec(req.path);
    return m ? `${m[1]}/${m[2]}#${m[3]}` : null;
  }

  protected handle(req: SeenRequest, res: ServerResponse): void {
    const key = this.keyOf(req);
    const common = { 'x-github-media-type': 'github.v3; format=json', 'x-github-request-id': `F00D:${this.requests.length}` };
    if (this.retryAfterSeconds !== null) {
      sendJson(res, 403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits', status: '403' }, { ...common, 'retry-after': String(this.retryAfterSeconds) });
      return;
    }
    const issue = key ? this.issues.get(key) : undefined;
    const etag = issue ? `W/"${createHash('sha1').update(JSON.stringify(issue)).digest('hex')}"` : null;
    if (etag && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ...common, etag, ...this.limitHeaders() }).end();
      return;
    }
    if (this.rateLimit.remaining <= 0) {
      sendJson(res, 403, { message: 'API rate limit exceeded for 127.0.0.1. (But here\'s the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)', documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting' }, { ...common, ...this.limitHeaders() });
      return;
    }
    this.rateLimit.remaining -= 1;
    if (!issue || !key) {
      sendJson(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/issues/issues#get-an-issue', status: '404' }, { ...common, ...this.limitHeaders() });
      return;
    }
    const [repoPath, number] = key.split('#');
    const htmlUrl = `https://github.com/${repoPath}/issues/${number}`;
    sendJson(res, 200, {
      url: `${this.url}/repos/${repoPath}/issues/${number}`,
      repository_url: `${this.url}/repos/${repoPath}`,
      html_url: htmlUrl,
      id: 1000 + Number(number),
      node_id: `I_kwDO${number}`,
      number: Number(number),
      title: issue.title ?? `Issue ${number}`,
      user: { login: 'octocat', id: 1, type: 'User' },
      labels: [],
      state: issue.state,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: 0,
      created_at: '2026-11-01T10:00:00Z',
      updated_at: issue.updated_at,
      closed_at: issue.state === 'closed' ? issue.updated_at : null,
      author_association: 'CONTRIBUTOR',
      active_lock_reason: null,
      body: 'Forwarded from Headwaters.',
      state_reason: issue.state_reason,
    }, { ...common, etag: etag!, 'cache-control': 'private, max-age=60, s-maxage=60', ...this.limitHeaders() });
  }

  private limitHeaders(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.rateLimit.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.rateLimit.remaining)),
      'x-ratelimit-reset': String(this.rateLimit.reset),
      'x-ratelimit-used': String(this.rateLimit.limit - Math.max(0, this.rateLimit.remaining)),
      'x-ratelimit-resource': 'core',
    };
  }
}
