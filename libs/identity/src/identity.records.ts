import type { Grant } from '@headwaters/core';

export interface UserRecord {
  id: number;
  username: string;
  createdAt: Date;
}

export interface AccessTokenRecord {
  id: number;
  kind: 'SESSION' | 'PERSONAL';
  name: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

/** A grant with its database id, as listed. */
export interface GrantRecord extends Grant {
  id: number;
}

export const USERNAME = /^[A-Za-z0-9_-]{2,39}$/;
export const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
export const EMAIL_MAX = 254;
/** How long a login or registration stays signed in. */
export const SESSION_DAYS = 30;
