import type { Actor } from '@headwaters/core';
import { authorize, authorizeAny, can, type Action } from './policy';

const user = (grants: Actor['grants'] = []): Actor => ({ userId: 1, username: 'u', grants });
const admin = user([{ role: 'ADMIN', upstreamId: null, componentId: null }]);
const xapiMaintainer = user([{ role: 'MAINTAINER', upstreamId: 3, componentId: null }]);
const xenopsdMaintainer = user([{ role: 'MAINTAINER', upstreamId: null, componentId: 12 }]);
const reporter = user();

describe('the policy', () => {
  const everything: Action[] = ['catalogue.manage', 'role.manage', 'item.file', 'item.comment', 'item.vote', 'item.triage', 'item.setImportance', 'item.route', 'item.markDuplicate', 'item.forward', 'item.attach', 'item.assign', 'item.disclose', 'comment.hide', 'token.manage'];

  it('lets nobody anonymous do anything', () => {
    for (const action of everything) expect(can(null, action)).toBe(false);
  });

  it('lets admins do everything', () => {
    for (const action of everything) expect(can(admin, action, { upstreamId: 99 })).toBe(true);
  });

  it('lets any signed-in user file, comment, vote, attach and manage tokens, nothing more', () => {
    expect(everything.filter((a) => can(reporter, a, { upstreamId: 3, componentLineage: [12, 10] }))).toEqual(['item.file', 'item.comment', 'item.vote', 'item.attach', 'token.manage']);
  });

  it('lets maintainers of the item assign, disclose and hide comments', () => {
    for (const action of ['item.assign', 'item.disclose', 'comment.hide'] as const) {
      expect(can(xapiMaintainer, action, { upstreamId: 3 })).toBe(true);
      expect(can(xenopsdMaintainer, action, { upstreamId: 4, componentLineage: [12, 10] })).toBe(true);
      expect(can(xapiMaintainer, action, { upstreamId: 4 })).toBe(false);
    }
  });

  it('lets only its author edit a comment, admins included', () => {
    expect(can(reporter, 'comment.edit', { authorId: 1 })).toBe(true);
    expect(can(admin, 'comment.edit', { authorId: 2 })).toBe(false);
    expect(can(xapiMaintainer, 'comment.edit', { upstreamId: 3, authorId: 2 })).toBe(false);
  });

  it('lets any signed-in user change their own password, a right of its own', () => {
    expect(can(reporter, 'account.changePassword')).toBe(true);
    expect(can(null, 'account.changePassword')).toBe(false);
  });

  it('passes authorizeAny when one of the targets allows', () => {
    expect(authorizeAny(xapiMaintainer, 'item.markDuplicate', [{ upstreamId: 4 }, { upstreamId: 3 }])).toBe(xapiMaintainer);
    expect(() => authorizeAny(xapiMaintainer, 'item.markDuplicate', [{ upstreamId: 4 }, { upstreamId: 5 }])).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('lets an upstream maintainer triage items routed to that upstream only', () => {
    expect(can(xapiMaintainer, 'item.triage', { upstreamId: 3 })).toBe(true);
    expect(can(xapiMaintainer, 'item.triage', { upstreamId: 4 })).toBe(false);
    expect(can(xapiMaintainer, 'catalogue.manage')).toBe(false);
    expect(can(xapiMaintainer, 'role.manage')).toBe(false);
  });

  it('lets a component maintainer triage items anywhere in that subtree', () => {
    expect(can(xenopsdMaintainer, 'item.triage', { upstreamId: 3, componentLineage: [12, 10] })).toBe(true);
    expect(can(xenopsdMaintainer, 'item.triage', { upstreamId: 3, componentLineage: [20, 12, 10] })).toBe(true);
    expect(can(xenopsdMaintainer, 'item.triage', { upstreamId: 3, componentLineage: [10] })).toBe(false);
  });

  it('answers UNAUTHENTICATED for nobody and FORBIDDEN for a user without the right', () => {
    expect(() => authorize(null, 'item.file')).toThrow(expect.objectContaining({ kind: 'unauthenticated' }));
    expect(() => authorize(reporter, 'catalogue.manage')).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(authorize(reporter, 'item.vote')).toBe(reporter);
  });
});
