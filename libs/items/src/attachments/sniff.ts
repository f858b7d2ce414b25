/**
 * The content type of a file, told from its first bytes: the type a client declares is never
 * used (a "screenshot.png" that is really HTML must not be served as HTML). Only types people
 * attach to bug reports are recognised; text is `text/plain` whatever it contains (HTML, SVG and
 * scripts included, so nothing uploaded is ever rendered); anything else is
 * `application/octet-stream`.
 */
export function sniffContentType(head: Uint8Array): string {
  for (const { type, offset, bytes } of SIGNATURES) {
    if (startsWith(head, bytes, offset)) return type;
  }
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (looksLikeText(head)) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

/** How many leading bytes {@link sniffContentType} looks at. */
export const SNIFF_BYTES = 4096;

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

const SIGNATURES: { type: string; offset?: number; bytes: number[] }[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: ascii('GIF87a') },
  { type: 'image/gif', bytes: ascii('GIF89a') },
  { type: 'image/bmp', bytes: ascii('BM') },
  { type: 'application/pdf', bytes: ascii('%PDF-') },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { type: 'application/gzip', bytes: [0x1f, 0x8b] },
  { type: 'application/x-bzip2', bytes: ascii('BZh') },
  { type: 'application/x-xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { type: 'application/zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { type: 'application/x-7z-compressed', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: 'application/x-tar', offset: 257, bytes: ascii('ustar') },
  { type: 'application/x-executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { type: 'application/vnd.tcpdump.pcap', bytes: [0xd4, 0xc3, 0xb2, 0xa1] },
  { type: 'application/vnd.tcpdump.pcap', bytes: [0xa1, 0xb2, 0xc3, 0xd4] },
];

function startsWith(head: Uint8Array, bytes: number[], offset = 0): boolean {
  if (head.length < offset + bytes.length) return false;
  return bytes.every((b, i) => head[offset + i] === b);
}

/**
 * UTF-8 (or ASCII) with no NUL and few control characters: logs, status reports, configs.
 * A multi-byte sequence cut at the end of `head` still counts as text.
 */
function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return true;
  let controls = 0;
  let i = 0;
  while (i < head.length) {
    const b = head[i];
    if (b === 0) return false;
    if (b < 0x80) {
      if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) controls++;
      i++;
      continue;
    }
    const length = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
    if (length === 0) return false;
    for (let k = 1; k < length; k++) {
      if (i + k >= head.length) return controls * 100 <= head.length;
      if ((head[i + k] & 0xc0) !== 0x80) return false;
    }
    i += length;
  }
  return controls * 100 <= head.length;
}
