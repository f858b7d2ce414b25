import { ITEM_STATUSES, type ItemKind, type ItemStatus } from '../item.record';
import { checkTransition, describeTransition, triageStatuses, type StatusSetter } from './status-rules';

const conflict = (kind: ItemKind, from: ItemStatus, to: ItemStatus, by: StatusSetter = 'triage') => {
  try {
    checkTransition(kind, from, to, by);
  } catch (error) {
    return error as { kind: string; message: string; field: string };
  }
  return undefined;
};

describe('the status rules', () => {
  it('let maintainers set these statuses on bugs', () => {
    expect(triageStatuses('BUG')).toEqual(['NEW', 'INCOMPLETE', 'CONFIRMED', 'TRIAGED', 'IN_PROGRESS', 'FIX_COMMITTED', 'FIX_RELEASED', 'WONT_FIX', 'INVALID']);
  });

  it('let maintainers set these statuses on features', () => {
    expect(triageStatuses('FEATURE')).toEqual(['NEW', 'INCOMPLETE', 'TRIAGED', 'PLANNED', 'IN_PROGRESS', 'FIX_RELEASED', 'WONT_FIX', 'INVALID']);
  });

  it.each(triageStatuses('BUG').flatMap((from) => triageStatuses('BUG').filter((to) => to !== from).map((to) => [from, to])))('allow a bug from %s to %s', (from, to) => {
    expect(checkTransition('BUG', from, to, 'triage')).toBe(true);
  });

  it('allow reopening a closed item', () => {
    expect(checkTransition('BUG', 'WONT_FIX', 'TRIAGED', 'triage')).toBe(true);
    expect(checkTransition('FEATURE', 'EXPIRED', 'NEW', 'triage')).toBe(true);
  });

  it('treat setting the same status as nothing to do', () => {
    expect(checkTransition('BUG', 'NEW', 'NEW', 'triage')).toBe(false);
  });

  it('keep PLANNED for features, saying what is allowed', () => {
    const error = conflict('BUG', 'NEW', 'PLANNED');
    expect(error).toMatchObject({ kind: 'conflict', field: 'status' });
    expect(error!.message).toMatch(/PLANNED is for feature suggestions only \(allowed for bugs: NEW, INCOMPLETE, CONFIRMED/);
  });

  it('keep CONFIRMED and FIX_COMMITTED for bugs', () => {
    expect(conflict('FEATURE', 'NEW', 'CONFIRMED')?.message).toMatch(/CONFIRMED is for bugs only/);
    expect(conflict('FEATURE', 'TRIAGED', 'FIX_COMMITTED')?.message).toMatch(/FIX_COMMITTED is for bugs only/);
  });

  it('leave DUPLICATE to markDuplicate', () => {
    expect(conflict('BUG', 'NEW', 'DUPLICATE')?.message).toMatch(/only markDuplicate sets DUPLICATE/);
    expect(checkTransition('BUG', 'NEW', 'DUPLICATE', 'markDuplicate')).toBe(true);
  });

  it('leave EXPIRED to the expiry job, and only from INCOMPLETE', () => {
    expect(conflict('BUG', 'INCOMPLETE', 'EXPIRED')?.message).toMatch(/only the needs-info expiry sets EXPIRED/);
    expect(checkTransition('BUG', 'INCOMPLETE', 'EXPIRED', 'expiry')).toBe(true);
    expect(conflict('BUG', 'NEW', 'EXPIRED', 'expiry')?.message).toMatch(/EXPIRED only follows INCOMPLETE/);
  });

  it('send a duplicate to unmarkDuplicate', () => {
    expect(conflict('BUG', 'DUPLICATE', 'NEW')?.message).toMatch(/unmarkDuplicate/);
  });

  it("let the reporter's answer put an INCOMPLETE item back to NEW, and nothing else", () => {
    expect(checkTransition('BUG', 'INCOMPLETE', 'NEW', 'response')).toBe(true);
    expect(conflict('BUG', 'CONFIRMED', 'NEW', 'response')?.message).toMatch(/NEW only follows INCOMPLETE/);
    expect(conflict('BUG', 'INCOMPLETE', 'TRIAGED', 'response')?.message).toMatch(/only triage sets TRIAGED/);
  });

  it('let unmarkDuplicate give back any status, from DUPLICATE only', () => {
    expect(checkTransition('BUG', 'DUPLICATE', 'EXPIRED', 'unmarkDuplicate')).toBe(true);
    expect(checkTransition('FEATURE', 'DUPLICATE', 'PLANNED', 'unmarkDuplicate')).toBe(true);
    expect(conflict('BUG', 'NEW', 'TRIAGED', 'unmarkDuplicate')?.message).toMatch(/not a duplicate/);
  });

  it('describe every transition in words', () => {
    for (const status of ITEM_STATUSES) expect(describeTransition('NEW', status)).toMatch(/^New → \S/);
    expect(describeTransition('NEW', 'WONT_FIX')).toBe("New → Won't fix");
  });
});
