// Deleting one's account: the messages stay (their sender shows as "Deleted user"), everything
// personal goes — name, username, e-mail, password, avatar, push subscriptions, reset links — and
// no credential of the account works again. The username and e-mail are free to be taken anew.
import type { Db } from '../db/open';
import { AppError } from '../errors';
import type { FileStorage } from '../storage';
import { verifyPassword } from '../auth/password';

export const DELETED_USER_NAME = 'Deleted user';

export async function deleteAccount(db: Db, storage: FileStorage, userId: string, password: string): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user || !user.isActive || user.deletedAt) throw new AppError('unauthorized');
  if (!(await verifyPassword(user.passwordHash, password))) throw new AppError('invalid_credentials', 'Your password is not right.');
  const tag = userId.replace(/-/g, '').slice(-12);
  await db.$transaction([
    db.user.update({
      where: { id: userId },
      data: {
        name: DELETED_USER_NAME,
        username: `deleted_${tag}`,
        email: `deleted-${userId}@deleted.invalid`,
        // No password matches an empty hash: the account can never be signed in to.
        passwordHash: '',
        avatarUrl: null,
        avatarKey: null,
        isActive: false,
        isAdmin: false,
        lastSeenAt: null,
        deletedAt: new Date(),
        tokenVersion: { increment: 1 },
        signedOutSessionIds: { set: [] },
      },
    }),
    db.pushSubscription.deleteMany({ where: { userId } }),
    db.passwordResetToken.deleteMany({ where: { userId } }),
  ]);
  if (user.avatarKey) await storage.delete(user.avatarKey).catch(() => undefined);
}
