import { readGithubHook } from './github-event';
import { githubSignature, isGithubSignatureValid } from './github-signature';

describe('GitHub webhook signatures', () => {
  const body = Buffer.from('{"action":"closed"}');
  const secret = 'a-secret-of-24-characters';

  it('accept the body signed with the secret', () => {
    expect(isGithubSignatureValid(secret, body, githubSignature(secret, body))).toBe(true);
    expect(isGithubSignatureValid(secret, body, githubSignature(secret, body).toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['of another secret', githubSignature('another-secret-entirely', body)],
    ['of another body', githubSignature(secret, '{"action":"opened"}')],
    ['sha1', 'sha1=0123456789abcdef0123456789abcdef01234567'],
    ['truncated', githubSignature(secret, body).slice(0, 40)],
  ])('refuse a signature %s', (_what, header) => {
    expect(isGithubSignatureValid(secret, body, header)).toBe(false);
  });

  it('refuse everything when the upstream has no secret', () => {
    expect(isGithubSignatureValid(null, body, githubSignature('', body))).toBe(false);
  });
});

describe('GitHub webhook events', () => {
  const issue = { html_url: 'https://github.com/xapi-project/xen-api/issues/123', number: 123 };

  it('read a close with its reason, and a reopen', () => {
    expect(readGithubHook('issues', { action: 'closed', issue: { ...issue, state: 'closed', state_reason: 'completed' }, sender: { login: 'robhoes' } })).toEqual({
      kind: 'status', issueUrl: issue.html_url, reading: { state: 'UPSTREAM_FIXED', remoteStatus: 'closed (completed)' }, actor: 'robhoes',
    });
    expect(readGithubHook('issues', { action: 'reopened', issue: { ...issue, state: 'open', state_reason: 'reopened' } })).toMatchObject({ kind: 'status', reading: { state: 'FORWARDED', remoteStatus: 'open (reopened)' } });
  });

  it('read a new comment with its author and link', () => {
    expect(readGithubHook('issue_comment', { action: 'created', issue, comment: { html_url: `${issue.html_url}#issuecomment-1`, body: 'Fixed in 24.3', user: { login: 'psafont' } } })).toEqual({
      kind: 'comment', issueUrl: issue.html_url, author: 'psafont', commentUrl: `${issue.html_url}#issuecomment-1`, body: 'Fixed in 24.3',
    });
  });

  it.each([
    ['ping', { zen: 'Keep it logically awesome.' }],
    ['issues', { action: 'labeled', issue: { ...issue, state: 'open' } }],
    ['issue_comment', { action: 'edited', issue, comment: { html_url: 'x', user: { login: 'a' } } }],
    ['push', { ref: 'refs/heads/master' }],
    ['issues', null],
  ])('ignore %s deliveries that change nothing', (event, payload) => {
    expect(readGithubHook(event, payload)).toBeNull();
  });
});
