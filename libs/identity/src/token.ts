import { createHash, randomBytes } from 'node:crypto';

/** Prefix of every Headwaters token, so leaked ones are easy to recognise and scan for. */
export const TOKEN_PREFIX = 'hwt_';

/** A new opaque token: 32 random bytes. Shown once; only its hash is stored. */
export function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What is stored of a token: its SHA-256 (tokens are random, so no salt or slow hash is needed). */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
