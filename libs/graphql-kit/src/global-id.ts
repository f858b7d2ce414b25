import { DomainError } from '@headwaters/core';

/**
 * Opaque, globally unique IDs (Relay): base64url of `Type:id`. Clients must not build them;
 * the encoding is only stable enough to survive restarts.
 */
export function toGlobalId(type: string, id: number | string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export interface DecodedGlobalId {
  type: string;
  id: number;
}

/** Decodes any global ID, or returns null when it is not one of ours. */
export function parseGlobalId(globalId: string): DecodedGlobalId | null {
  if (typeof globalId !== 'string' || globalId.length === 0 || globalId.length > 200 || !/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Z][A-Za-z]*):([1-9][0-9]{0,9})$/.exec(decoded);
  if (!match) return null;
  const id = Number(match[2]);
  return id <= 2147483647 ? { type: match[1], id } : null;
}

/**
 * Decodes a global ID that must be of one of `types`; anything else is BAD_USER_INPUT naming `field`.
 */
export function fromGlobalId(globalId: string, types: readonly string[], field: string): DecodedGlobalId {
  const decoded = parseGlobalId(globalId);
  if (!decoded) throw DomainError.invalid('INVALID_ID', `${field} is not a valid ID`, field);
  if (!types.includes(decoded.type)) {
    throw DomainError.invalid('INVALID_ID', `${field} must be the ID of a ${types.join(' or ')}, not of a ${decoded.type}`, field);
  }
  return decoded;
}
