import { readGithubState, type RemoteReading } from '../status-mapping';

/** What a GitHub webhook delivery means for a linked issue. */
export type GithubHookChange =
  | { kind: 'status'; issueUrl: string; reading: RemoteReading; actor: string | null }
  | { kind: 'comment'; issueUrl: string; author: string; commentUrl: string; body: string };

interface Payload {
  action?: unknown;
  issue?: { html_url?: unknown; state?: unknown; state_reason?: unknown; pull_request?: unknown };
  comment?: { html_url?: unknown; body?: unknown; user?: { login?: unknown } };
  sender?: { login?: unknown };
}

const STATE_ACTIONS = ['closed', 'reopened'];
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * Reads an `issues` (closed, reopened) or `issue_comment` (created) delivery; anything else
 * (pings, labels, edits, other events) means nothing here and gives null.
 */
export function readGithubHook(event: string, payload: unknown): GithubHookChange | null {
  const p = (payload ?? {}) as Payload;
  const issueUrl = str(p.issue?.html_url);
  if (!issueUrl) return null;
  if (event === 'issues' && STATE_ACTIONS.includes(String(p.action))) {
    const state = str(p.issue?.state);
    const reading = state ? readGithubState(state, str(p.issue?.state_reason)) : null;
    return reading ? { kind: 'status', issueUrl, reading, actor: str(p.sender?.login) } : null;
  }
  if (event === 'issue_comment' && p.action === 'created') {
    const author = str(p.comment?.user?.login);
    const commentUrl = str(p.comment?.html_url);
    if (!author || !commentUrl) return null;
    return { kind: 'comment', issueUrl, author, commentUrl, body: typeof p.comment?.body === 'string' ? p.comment.body : '' };
  }
  return null;
}
