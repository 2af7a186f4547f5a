// Who is a server admin, and the one check every admin route and socket event makes first. An
// admin is an active account marked as one (the first account on the server, or made one by an
// admin) or whose e-mail is in ADMIN_EMAILS. Anyone else is told the admin route does not exist.
import type { Config } from '../config';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { findActiveUser } from '../chat/users';

export function isServerAdmin(user: { isAdmin: boolean; email: string; isActive: boolean }, config: Pick<Config, 'adminEmails'>): boolean {
  return user.isActive && (user.isAdmin || config.adminEmails.includes(user.email.toLowerCase()));
}

/** Resolves with the admin's row, or throws not_found (404) for anyone who is not one. */
export async function requireServerAdmin(db: Db, config: Pick<Config, 'adminEmails'>, userId: string) {
  const user = await findActiveUser(db, userId);
  if (!user || !isServerAdmin(user, config)) throw new AppError('not_found');
  return user;
}
