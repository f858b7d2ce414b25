/** The fields a list row shows. */
export const ITEM_ROW = `number title kind status importance voteCount closed createdAt component { slug name } route { upstream { slug name } }`;

export interface ItemRow {
  number: number;
  title: string;
  kind: 'BUG' | 'FEATURE';
  status: string;
  importance: string;
  voteCount: number;
  closed: boolean;
  createdAt: string;
  component: { slug: string; name: string } | null;
  route: { upstream: { slug: string; name: string } } | null;
}

export const STATUSES = ['NEW', 'INCOMPLETE', 'CONFIRMED', 'TRIAGED', 'PLANNED', 'IN_PROGRESS', 'FIX_COMMITTED', 'FIX_RELEASED', 'WONT_FIX', 'INVALID', 'DUPLICATE', 'EXPIRED'] as const;
export const IMPORTANCES = ['UNDECIDED', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'WISHLIST'] as const;

/** NEW -> "New", IN_PROGRESS -> "In progress". */
export function words(value: string): string {
  const lower = value.toLowerCase().replace(/_/g, ' ');
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

export function kindWord(kind: string): string {
  return kind === 'FEATURE' ? 'Feature suggestion' : 'Bug';
}

export function votesWord(count: number): string {
  return count === 1 ? '1 vote' : `${count} votes`;
}

/** "3 Dec 2026" (UTC, so every reader sees the same). */
export function day(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function ItemList({ items, empty, label }: { items: ItemRow[]; empty: string; label?: string }) {
  if (items.length === 0) return <p class="empty">{empty}</p>;
  return (
    <ul class="items" aria-label={label}>
      {items.map((item) => (
        <li key={item.number}>
          <a href={`/items/${item.number}`}>
            #{item.number} {item.title}
          </a>
          <span class="meta">
            <span class={`badge kind-${item.kind.toLowerCase()}`}>{kindWord(item.kind)}</span>
            <span class={`badge status-${item.status.toLowerCase()}`}>{words(item.status)}</span>
            {item.importance !== 'UNDECIDED' && <span class="badge">{words(item.importance)}</span>}
            <span>{votesWord(item.voteCount)}</span>
            {item.component && <span>{item.component.slug}</span>}
            {item.route && <span>→ {item.route.upstream.name}</span>}
            <span>{day(item.createdAt)}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
