import { DomainError } from '@headwaters/core';
import { debbugsOrigin, parseRecordUrl } from './record-url';

function refusal(fn: () => unknown): { code: string; field?: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, field: e.field, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('record URLs', () => {
  describe('GITHUB', () => {
    it('read an issue URL into owner, repository and number', () => {
      expect(parseRecordUrl('GITHUB', 'https://github.com/xapi-project/xen-api/issues/123')).toEqual({
        kind: 'GITHUB', owner: 'xapi-project', repo: 'xen-api', number: 123, url: 'https://github.com/xapi-project/xen-api/issues/123',
      });
    });

    it('keep the issue URL canonical, whatever fragment or query it came with', () => {
      expect(parseRecordUrl('GITHUB', ' https://github.com/xapi-project/xen-api/issues/7/?x=1#issuecomment-9 ').url).toBe('https://github.com/xapi-project/xen-api/issues/7');
    });

    it.each([
      'https://github.com/xapi-project/xen-api/pull/123',
      'https://gitlab.com/xapi-project/xen-api/issues/123',
      'http://github.com/xapi-project/xen-api/issues/123',
      'https://github.com/xapi-project/issues/123',
      'https://github.com/xapi-project/xen-api/issues/0',
      'https://bugs.debian.org/123456',
      '123',
    ])('refuse %s, naming url', (url) => {
      expect(refusal(() => parseRecordUrl('GITHUB', url))).toMatchObject({ code: 'INVALID_RECORD_URL', field: 'url', message: expect.stringContaining('GitHub issue URL') });
    });
  });

  describe('DEBBUGS', () => {
    it('take a bare bug number as a bug of the upstream tracker (Debian by default)', () => {
      expect(parseRecordUrl('DEBBUGS', '123456')).toEqual({ kind: 'DEBBUGS', origin: 'https://bugs.debian.org', bug: 123456, url: 'https://bugs.debian.org/123456' });
      expect(parseRecordUrl('DEBBUGS', '#42', 'https://debbugs.gnu.org/')).toEqual({ kind: 'DEBBUGS', origin: 'https://debbugs.gnu.org', bug: 42, url: 'https://debbugs.gnu.org/42' });
    });

    it('read https://HOST/N and bugreport.cgi?bug=N on any host', () => {
      expect(parseRecordUrl('DEBBUGS', 'https://bugs.debian.org/654321')).toMatchObject({ origin: 'https://bugs.debian.org', bug: 654321 });
      expect(parseRecordUrl('DEBBUGS', 'https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=654321#10')).toMatchObject({ bug: 654321, url: 'https://bugs.debian.org/654321' });
      expect(parseRecordUrl('DEBBUGS', 'http://127.0.0.1:8080/77')).toMatchObject({ origin: 'http://127.0.0.1:8080', bug: 77 });
    });

    it.each(['https://bugs.debian.org/cgi-bin/pkgreport.cgi?pkg=xcp-xapi', 'https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=abc', 'bug 5', 'https://user:pw@bugs.debian.org/5'])('refuse %s, naming url', (url) => {
      expect(refusal(() => parseRecordUrl('DEBBUGS', url))).toMatchObject({ code: 'INVALID_RECORD_URL', field: 'url' });
    });
  });

  describe('LAUNCHPAD', () => {
    it('read the target and the bug number of a package task', () => {
      expect(parseRecordUrl('LAUNCHPAD', 'https://bugs.launchpad.net/ubuntu/+source/xcp-xapi/+bug/1234567')).toEqual({
        kind: 'LAUNCHPAD', target: 'ubuntu/+source/xcp-xapi', bug: 1234567, url: 'https://bugs.launchpad.net/ubuntu/+source/xcp-xapi/+bug/1234567',
      });
    });

    it('read project and series targets too', () => {
      expect(parseRecordUrl('LAUNCHPAD', 'https://bugs.launchpad.net/xen-api/+bug/99')).toMatchObject({ target: 'xen-api', bug: 99 });
      expect(parseRecordUrl('LAUNCHPAD', 'https://bugs.launchpad.net/ubuntu/jammy/+source/xcp-xapi/+bug/99/')).toMatchObject({ target: 'ubuntu/jammy/+source/xcp-xapi' });
    });

    it.each(['https://launchpad.net/ubuntu/+source/xcp-xapi/+bug/1', 'https://bugs.launchpad.net/ubuntu/+source/xcp-xapi', 'https://bugs.launchpad.net/+bug/12', 'https://github.com/a/b/issues/1'])('refuse %s, naming url', (url) => {
      expect(refusal(() => parseRecordUrl('LAUNCHPAD', url))).toMatchObject({ code: 'INVALID_RECORD_URL', field: 'url', message: expect.stringContaining('Launchpad') });
    });
  });

  describe('BUGZILLA', () => {
    it('take the base as what precedes show_bug.cgi, a path included', () => {
      expect(parseRecordUrl('BUGZILLA', 'https://bugzilla.redhat.com/show_bug.cgi?id=2001')).toEqual({ kind: 'BUGZILLA', base: 'https://bugzilla.redhat.com', bug: 2001, url: 'https://bugzilla.redhat.com/show_bug.cgi?id=2001' });
      expect(parseRecordUrl('BUGZILLA', 'https://bugs.centos.org/bugzilla/show_bug.cgi?id=15&x=y')).toMatchObject({ base: 'https://bugs.centos.org/bugzilla', bug: 15, url: 'https://bugs.centos.org/bugzilla/show_bug.cgi?id=15' });
    });

    it.each(['https://bugzilla.redhat.com/show_bug.cgi', 'https://bugzilla.redhat.com/show_bug.cgi?id=alias-name', 'https://bugzilla.redhat.com/buglist.cgi?id=5', 'ftp://bugzilla.redhat.com/show_bug.cgi?id=5'])('refuse %s, naming url', (url) => {
      expect(refusal(() => parseRecordUrl('BUGZILLA', url))).toMatchObject({ code: 'INVALID_RECORD_URL', field: 'url' });
    });
  });

  it('refuse any record for an upstream whose tracker is not watched', () => {
    expect(refusal(() => parseRecordUrl('NONE', 'https://github.com/a/b/issues/1'))).toMatchObject({ code: 'TRACKER_NOT_WATCHED', field: 'url' });
  });

  it('refuse an empty or overlong url', () => {
    expect(refusal(() => parseRecordUrl('GITHUB', '  '))).toMatchObject({ code: 'INVALID_RECORD_URL', field: 'url' });
    expect(refusal(() => parseRecordUrl('GITHUB', `https://github.com/a/b/issues/1?${'x'.repeat(600)}`))).toMatchObject({ code: 'INVALID_RECORD_URL', field: 'url' });
  });

  it('take a debbugs upstream\'s tracker as the home of its bare numbers, Debian\'s when it has none', () => {
    expect(parseRecordUrl('DEBBUGS', '123456', debbugsOrigin({ trackerUrl: 'https://bugs.debian.org' })).url).toBe('https://bugs.debian.org/123456');
    expect(parseRecordUrl('DEBBUGS', '123456', debbugsOrigin({ trackerUrl: null })).url).toBe('https://bugs.debian.org/123456');
    expect(parseRecordUrl('DEBBUGS', '42', debbugsOrigin({ trackerUrl: 'https://debbugs.gnu.org/cgi/pkgreport.cgi' })).url).toBe('https://debbugs.gnu.org/42');
  });
});
