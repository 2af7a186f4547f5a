// Which credentials still count, and what ends them. Every session cookie and bearer token
// carries the user's token version: bumping it ("sign out everywhere", a password change) ends
// them all. Signing out of one browser ends that session alone: its id is remembered on the user
// until the next bump, so the cookie, or a stolen copy of it, is refused from then on.
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { findActiveUser } from '../chat/users';
import { hashPassword, verifyPassword } from './password';
import type { Credential } from './tokens';

/**
 * Sessions signed out one by one are remembered until the version is bumped; past this many the
 * bump happens instead (every session ends), so the list a request reads stays small.
 */
const MAX_SIGNED_OUT_SESSIONS = 50;

/** What a bump writes: a new version, and no list to remember (no older session counts anyway). */
const endEverySession = { tokenVersion: { increment: 1 }, signedOutSessionIds: { set: [] } };

/** The active user a credential names, or null when the user is gone or the credential was ended. */
export async function userForCredential(db: Db, credential: Credential | null) {
  if (!credential) return null;
  const user = await findActiveUser(db, credential.userId);
  if (!user || user.tokenVersion !== credential.version) return null;
  if (credential.sessionId && user.signedOutSessionIds.includes(credential.sessionId)) return null;
  return user;
}

/**
 * Ends the browser session a credential belongs to (next-auth sign-out). A session from before
 * session ids existed can only be ended with all the others. Says which it ended, or 'none' for a
 * credential that no longer counted.
 */
export async function endSession(db: Db, credential: Credential): Promise<'session' | 'all' | 'none'> {
  if (!(await userForCredential(db, credential))) return 'none';
  if (!credential.sessionId) {
    await endAllSessions(db, credential.userId);
    return 'all';
  }
  const { signedOutSessionIds } = await db.user.update({
    where: { id: credential.userId },
    data: { signedOutSessionIds: { push: credential.sessionId } },
    select: { signedOutSessionIds: true },
  });
  if (signedOutSessionIds.length <= MAX_SIGNED_OUT_SESSIONS) return 'session';
  await endAllSessions(db, credential.userId);
  return 'all';
}

/** Ends every session and bearer token of a user; returns the new token version. */
export async function endAllSessions(db: Db, userId: string): Promise<number> {
  const { tokenVersion } = await db.user.update({ where: { id: userId }, data: endEverySession, select: { tokenVersion: true } });
  return tokenVersion;
}

/**
 * Changes a user's password when the current one is given, and ends every session and token
 * (whoever else knew the old password is out). Returns the new token version.
 */
export async function changePassword(db: Db, userId: string, currentPassword: string, newPassword: string): Promise<number> {
  const user = await findActiveUser(db, userId);
  if (!user) throw new AppError('unauthorized');
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError('invalid_credentials', 'Your current password is not right.');
  }
  const passwordHash = await hashPassword(newPassword);
  const { tokenVersion } = await db.user.update({
    where: { id: userId },
    data: { passwordHash, ...endEverySession },
    select: { tokenVersion: true },
  });
  return tokenVersion;
}
