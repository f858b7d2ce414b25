/** Longest reply body kept as a comment, after trimming. */
export const MAX_REPLY_CHARS = 20_000;

const ATTRIBUTION = [
  /^On .{3,200}\bwrote:\s*$/i, // On Tue, 1 Dec 2026, Alice <a@example.org> wrote:
  /^Le .{3,200}\ba écrit\s*:\s*$/i,
  /^Am .{3,200}\bschrieb .{0,200}:\s*$/i,
  /^El .{3,200}\bescribió:\s*$/i,
  /^.{1,200} <[^>\s]+@[^>\s]+> (wrote|writes):\s*$/i,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above a forwarded header block
  /^From: .+$/, // a header block quoted without '>'
];

const SIGNATURE = [/^-- ?$/, /^—\s*$/, /^Sent from my \w+/i, /^Get Outlook for /i];

/**
 * The new text of a reply: quoted lines (`>`), the "On ... wrote:" line above them, everything
 * after a signature separator ("-- ") and after a quoted original message are dropped;
 * surrounding blank lines are trimmed and long runs of blank lines closed up.
 */
export function replyText(body: string): string {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (SIGNATURE.some((re) => re.test(line))) break;
    if (/^\s*>/.test(line)) continue;
    if (ATTRIBUTION.some((re) => re.test(line.trim()))) {
      // A header block or an attribution ends the reply once only quotes or blanks follow it.
      if (/^(-|_|From:)/.test(line.trim()) || onlyQuotesAfter(lines, i + 1)) break;
    }
    // "On Tue, 1 Dec 2026 at 10:00, Alice <a@example.org>" wrapped onto a second line before "wrote:".
    if (/^On .{3,200}$/i.test(line.trim()) && /^.{0,200}\bwrote:\s*$/i.test((lines[i + 1] ?? '').trim()) && onlyQuotesAfter(lines, i + 2)) break;
    kept.push(line.replace(/\s+$/, ''));
  }
  const text = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return text.length > MAX_REPLY_CHARS ? `${text.slice(0, MAX_REPLY_CHARS)}…` : text;
}

/** Whether only quoted or blank lines follow `from`, up to a signature or the end. */
function onlyQuotesAfter(lines: readonly string[], from: number): boolean {
  for (let j = from; j < lines.length; j++) {
    if (SIGNATURE.some((re) => re.test(lines[j]))) return true;
    if (lines[j].trim() !== '' && !/^\s*>/.test(lines[j])) return false;
  }
  return true;
}

/** The first lines of a reply, for a timeline summary. */
export function firstLines(text: string, maxChars = 200): string {
  const flat = text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
}
