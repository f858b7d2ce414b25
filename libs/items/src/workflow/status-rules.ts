import { itemsError } from '../items.reasons';
import type { ItemKind, ItemStatus } from '../item.record';

/**
 * Who sets a status: a maintainer through triage, markDuplicate and unmarkDuplicate (which gives
 * back the status the item had), the needs-info expiry, or the reporter's answer to an
 * INCOMPLETE item ("response received").
 */
export type StatusSetter = 'triage' | 'markDuplicate' | 'unmarkDuplicate' | 'expiry' | 'response';

interface StatusRule {
  kinds: readonly ItemKind[];
  setBy: Exclude<StatusSetter, 'unmarkDuplicate' | 'response'>;
  /** Only from these statuses (any when absent). */
  from?: readonly ItemStatus[];
  /** Other setters that may set it, each only from these statuses. */
  alsoBy?: Partial<Record<StatusSetter, readonly ItemStatus[]>>;
  label: string;
}

const BOTH: readonly ItemKind[] = ['BUG', 'FEATURE'];

/**
 * The whole workflow, as data: which kinds each status is for and who sets it. Everything else a
 * maintainer asks for is allowed, as in Launchpad: any status to any other, reopening included.
 * unmarkDuplicate gives a DUPLICATE back whatever status it had before it was marked.
 */
export const STATUS_RULES: Readonly<Record<ItemStatus, StatusRule>> = {
  NEW: { kinds: BOTH, setBy: 'triage', alsoBy: { response: ['INCOMPLETE'] }, label: 'New' },
  INCOMPLETE: { kinds: BOTH, setBy: 'triage', label: 'Incomplete' },
  CONFIRMED: { kinds: ['BUG'], setBy: 'triage', label: 'Confirmed' },
  TRIAGED: { kinds: BOTH, setBy: 'triage', label: 'Triaged' },
  PLANNED: { kinds: ['FEATURE'], setBy: 'triage', label: 'Planned' },
  IN_PROGRESS: { kinds: BOTH, setBy: 'triage', label: 'In progress' },
  FIX_COMMITTED: { kinds: ['BUG'], setBy: 'triage', label: 'Fix committed' },
  FIX_RELEASED: { kinds: BOTH, setBy: 'triage', label: 'Fix released' },
  WONT_FIX: { kinds: BOTH, setBy: 'triage', label: "Won't fix" },
  INVALID: { kinds: BOTH, setBy: 'triage', label: 'Invalid' },
  DUPLICATE: { kinds: BOTH, setBy: 'markDuplicate', label: 'Duplicate' },
  EXPIRED: { kinds: BOTH, setBy: 'expiry', from: ['INCOMPLETE'], label: 'Expired' },
};

/** The statuses a maintainer may set on an item of this kind. */
export function triageStatuses(kind: ItemKind): ItemStatus[] {
  return (Object.keys(STATUS_RULES) as ItemStatus[]).filter((s) => STATUS_RULES[s].setBy === 'triage' && STATUS_RULES[s].kinds.includes(kind));
}

const KIND_NAMES: Record<ItemKind, string> = { BUG: 'bugs', FEATURE: 'feature suggestions' };

/**
 * Checks one status change; returns false when there is nothing to change. An illegal change is
 * CONFLICT, and its message says what is allowed instead.
 */
export function checkTransition(kind: ItemKind, from: ItemStatus, to: ItemStatus, by: StatusSetter): boolean {
  if (from === to) return false;
  const rule = STATUS_RULES[to];
  const allowed = () => `allowed for ${KIND_NAMES[kind]}: ${triageStatuses(kind).join(', ')}`;
  if (by === 'unmarkDuplicate') {
    if (from !== 'DUPLICATE') throw itemsError('NOT_DUPLICATE', 'itemId: the item is not a duplicate', 'itemId');
    if (to === 'DUPLICATE') return false;
    return true;
  }
  if (from === 'DUPLICATE' && by === 'triage') {
    throw itemsError('IS_DUPLICATE', 'status: the item is a DUPLICATE; use unmarkDuplicate to give it its own life again', 'status');
  }
  const also = rule.alsoBy?.[by];
  if (rule.setBy !== by && !also) {
    const how = rule.setBy === 'markDuplicate' ? 'only markDuplicate sets DUPLICATE' : rule.setBy === 'expiry' ? 'only the needs-info expiry sets EXPIRED' : `only triage sets ${to}`;
    throw itemsError('STATUS_NOT_SETTABLE', `status: ${how} (${allowed()})`, 'status');
  }
  if (!rule.kinds.includes(kind)) {
    throw itemsError('STATUS_NOT_FOR_KIND', `status: ${to} is for ${rule.kinds.map((k) => KIND_NAMES[k]).join(' and ')} only (${allowed()})`, 'status');
  }
  const from_ = rule.setBy === by ? rule.from : also;
  if (from_ && !from_.includes(from)) {
    throw itemsError('STATUS_NOT_FROM', `status: ${to} only follows ${from_.join(' or ')}`, 'status');
  }
  return true;
}

/** "New → Triaged" */
export function describeTransition(from: ItemStatus, to: ItemStatus): string {
  return `${STATUS_RULES[from].label} → ${STATUS_RULES[to].label}`;
}
