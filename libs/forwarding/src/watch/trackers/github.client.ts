import type { UpstreamRecord } from '../record-url';
import { readGithubState } from '../status-mapping';
import { hhmm, jsonOf, requestTracker, retryAfter, snippet, statusFailure } from './http';
import { TrackerCheckError, type TrackerClient, type TrackerClientOptions, type TrackerReading } from './tracker-client';

type GithubRecord = Extract<UpstreamRecord, { kind: 'GITHUB' }>;

/**
 * GitHub issues through the REST API: `GET /repos/{owner}/{repo}/issues/{n}` with the stored
 * ETag (a 304 costs no rate limit). When the rate limit is used up, no request is made until it
 * resets: every check until then fails at once saying when it comes back.
 */
export class GithubClient implements TrackerClient<GithubRecord> {
  private pausedUntil: Date | null = null;

  constructor(
    private readonly options: Pick<TrackerClientOptions, 'githubApiUrl' | 'githubToken' | 'timeoutMs' | 'userAgent'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async read(record: GithubRecord, etag: string | null): Promise<TrackerReading> {
    const name = `${record.owner}/${record.repo}#${record.number}`;
    if (this.pausedUntil && this.pausedUntil > this.now()) {
      throw new TrackerCheckError('rate_limited', `GitHub's rate limit is used up until ${hhmm(this.pausedUntil)}`, this.pausedUntil);
    }
    const headers: Record<string, string> = {
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      'User-Agent': this.options.userAgent,
    };
    if (this.options.githubToken) headers.Authorization = `Bearer ${this.options.githubToken}`;
    if (etag) headers['If-None-Match'] = etag;
    const url = `${this.options.githubApiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(record.owner)}/${encodeURIComponent(record.repo)}/issues/${record.number}`;
    const answer = await requestTracker('GitHub', url, { headers }, this.options.timeoutMs);

    const reset = this.resetOf(answer.headers);
    if (answer.headers.get('x-ratelimit-remaining') === '0' && reset) this.pausedUntil = reset;

    if (answer.status === 304) return { notModified: true };
    if (answer.status === 403 || answer.status === 429) {
      const wait = retryAfter(answer.headers, this.now());
      if (wait) {
        this.pausedUntil = wait;
        throw new TrackerCheckError('rate_limited', `GitHub asked to wait until ${hhmm(wait)} (Retry-After)`, wait);
      }
      if (answer.headers.get('x-ratelimit-remaining') === '0') {
        const until = reset ?? new Date(this.now().getTime() + 60_000);
        this.pausedUntil = until;
        throw new TrackerCheckError('rate_limited', `GitHub's rate limit is used up until ${hhmm(until)}`, until);
      }
      throw new TrackerCheckError('refused', `GitHub refused to show ${name} (${answer.status}: ${messageOf(answer.body)})`);
    }
    if (answer.status === 404) throw new TrackerCheckError('not_found', `GitHub has no issue ${name} (404), or it is private`);
    if (answer.status === 410) throw new TrackerCheckError('not_found', `GitHub says ${name} was deleted (410)`);
    if (answer.status !== 200) throw statusFailure('GitHub', answer);

    const issue = jsonOf<{ state?: unknown; state_reason?: unknown }>('GitHub', answer);
    const state = typeof issue?.state === 'string' ? issue.state : null;
    const reason = typeof issue?.state_reason === 'string' ? issue.state_reason : null;
    const reading = state === null ? null : readGithubState(state, reason);
    if (!reading) throw new TrackerCheckError('bad_answer', `GitHub answered ${name} without a known state (${snippet(answer.body)})`);
    return { notModified: false, etag: answer.headers.get('etag'), ...reading };
  }

  private resetOf(headers: Headers): Date | null {
    const reset = headers.get('x-ratelimit-reset');
    return reset && /^\d+$/.test(reset) ? new Date(Number(reset) * 1000) : null;
  }
}

function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: show the start of it
  }
  return snippet(body);
}
