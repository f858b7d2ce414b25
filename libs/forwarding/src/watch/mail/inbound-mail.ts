import { simpleParser, type AddressObject } from 'mailparser';

/** A mail received by the listener, reduced to what routing, loop prevention and posting need. */
export interface InboundMail {
  /** Without angle brackets; null when the mail has none. */
  messageId: string | null;
  /** Every Message-ID named by In-Reply-To and References, without angle brackets. */
  inReplyTo: string[];
  from: { address: string; name: string } | null;
  /** Envelope recipients and To/Cc addresses, lower-cased. */
  recipients: string[];
  subject: string;
  /** The plain-text body (mailparser's text, from HTML when that is all there is). */
  text: string;
  /** The raw value of each header the rules read, lower-cased names. */
  headers: Record<string, string>;
}

const RULE_HEADERS = ['auto-submitted', 'list-id', 'list-post', 'x-debian-pr-message', 'x-loop', 'precedence', 'x-auto-response-suppress'];

/** Parses a raw message (RFC 5322) with mailparser. */
export async function parseInboundMail(raw: Buffer, envelopeRecipients: string[] = []): Promise<InboundMail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipHtmlToText: false });
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    if (RULE_HEADERS.includes(key) && headers[key] === undefined) headers[key] = line.slice(line.indexOf(':') + 1).trim();
  }
  const ids = [parsed.inReplyTo ?? '', ...(Array.isArray(parsed.references) ? parsed.references : [parsed.references ?? ''])]
    .flatMap((v) => v.match(/<[^<>\s]+>/g) ?? (v.trim() ? [v.trim()] : []))
    .map(bare);
  const from = parsed.from?.value[0];
  return {
    messageId: parsed.messageId ? bare(parsed.messageId) : null,
    inReplyTo: [...new Set(ids)],
    from: from?.address ? { address: from.address.toLowerCase(), name: from.name ?? '' } : null,
    recipients: [...new Set([...envelopeRecipients, ...addresses(parsed.to), ...addresses(parsed.cc)].map((a) => a.toLowerCase()))],
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    headers,
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  return (Array.isArray(field) ? field : [field]).flatMap((f) => f.value.flatMap((v) => [v.address ?? '', ...(v.group ?? []).map((g) => g.address ?? '')])).filter(Boolean);
}

const bare = (id: string): string => id.trim().replace(/^</, '').replace(/>$/, '');
