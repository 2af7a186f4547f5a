// One-time secrets handed out in links (password resets, server invites): random, 32 bytes,
// URL-safe; only their SHA-256 is stored, so a copy of the database opens no account.
import { createHash, randomBytes } from 'node:crypto';

export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
