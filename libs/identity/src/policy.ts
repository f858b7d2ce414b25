import { DomainError, type Actor } from '@headwaters/core';

/**
 * Everything a mutation may ask permission for. Reads of public data need none; anonymous users
 * read everything public.
 */
export type Action =
  | 'catalogue.manage'
  | 'role.manage'
  | 'item.file'
  | 'item.comment'
  | 'item.edit'
  | 'item.vote'
  | 'item.triage'
  | 'item.setImportance'
  | 'item.route'
  | 'item.markDuplicate'
  | 'item.forward'
  | 'item.attach'
  | 'item.assign'
  | 'item.disclose'
  | 'comment.edit'
  | 'comment.hide'
  | 'mail.moderate'
  | 'token.manage'
  | 'account.changePassword';

/**
 * What an action is about: the upstream an item is routed to and the component it sits on,
 * with that component's ancestors (nearest first), so subtree maintainers are recognised.
 */
export interface Target {
  upstreamId?: number | null;
  /** The component and its ancestors' ids, the component itself first. */
  componentLineage?: readonly number[];
  /** Who filed the item: reporters may edit what they wrote. */
  reporterId?: number | null;
  /** Who wrote the comment: only its author edits it. */
  authorId?: number | null;
}

const ANY_SIGNED_IN: ReadonlySet<Action> = new Set(['item.file', 'item.comment', 'item.vote', 'item.attach', 'token.manage', 'account.changePassword']);
const MAINTAINERS: ReadonlySet<Action> = new Set([
  'item.triage', 'item.setImportance', 'item.route', 'item.markDuplicate', 'item.forward', 'item.assign', 'item.disclose', 'comment.hide',
  // Mail from strangers held on an item: its maintainers approve or drop it.
  'mail.moderate',
]);

/** Whether the actor holds ADMIN. */
export function isAdmin(actor: Actor | null): boolean {
  return !!actor?.grants.some((g) => g.role === 'ADMIN');
}

/** Whether the actor maintains the target: its upstream, or a component on its lineage. */
export function maintains(actor: Actor, target: Target): boolean {
  return actor.grants.some(
    (g) =>
      g.role === 'MAINTAINER' &&
      ((g.upstreamId !== null && g.upstreamId === target.upstreamId) ||
        (g.componentId !== null && (target.componentLineage ?? []).includes(g.componentId))),
  );
}

/**
 * The one policy: may `actor` do `action` on `target`? Admins may do everything; maintainers
 * act on items routed to their upstream or sitting in their component subtree; any signed-in
 * user files, comments, attaches files, votes and manages their own tokens; reporters edit
 * their own items' title and description, as maintainers may; only a comment's author edits it
 * (admins included), while maintainers and admins hide comments and assign and disclose items.
 */
export function can(actor: Actor | null, action: Action, target: Target = {}): boolean {
  if (!actor) return false;
  // A comment is its author's words: nobody else rewrites them (maintainers hide instead).
  if (action === 'comment.edit') return target.authorId === actor.userId;
  if (isAdmin(actor)) return true;
  if (ANY_SIGNED_IN.has(action)) return true;
  if (MAINTAINERS.has(action)) return maintains(actor, target);
  if (action === 'item.edit') return target.reporterId === actor.userId || maintains(actor, target);
  return false;
}

/**
 * Throws unless `can(actor, action, target)`: UNAUTHENTICATED for nobody, FORBIDDEN for a user
 * without the right. Returns the actor, so callers get it non-null.
 */
export function authorize(actor: Actor | null, action: Action, target: Target = {}): Actor {
  if (!actor) throw DomainError.unauthenticated('AUTHENTICATION_REQUIRED', 'Sign in first: send "Authorization: Bearer <token>" (from login or register)');
  if (!can(actor, action, target)) {
    throw DomainError.forbidden('NOT_ALLOWED', forbiddenMessage(action));
  }
  return actor;
}

/**
 * Like {@link authorize}, passing when the actor may do `action` on any one of `targets` (e.g.
 * undoing a duplicate: rights over the duplicate, or over the original it changed).
 */
export function authorizeAny(actor: Actor | null, action: Action, targets: readonly Target[]): Actor {
  const allowed = targets.find((target) => can(actor, action, target));
  return authorize(actor, action, allowed ?? targets[0] ?? {});
}

function forbiddenMessage(action: Action): string {
  switch (action) {
    case 'catalogue.manage':
      return 'Only admins manage upstreams, components and releases';
    case 'role.manage':
      return 'Only admins grant and revoke roles';
    case 'item.edit':
      return "Only the item's reporter, maintainers of the upstream it is routed to (or of its component), and admins, may edit it";
    case 'comment.edit':
      return 'Only its author may edit a comment';
    default:
      return MAINTAINERS.has(action)
        ? 'Only maintainers of the upstream this item is routed to (or of its component), and admins, may do this'
        : 'You may not do this';
  }
}
