// Accounts as admins see and change them: search, deactivate (no sign-in, every session and token
// ended — the route disconnects their sockets), reactivate, make or revoke admin.
import type { Config } from '../config';
import type { Db } from '../db/open';
import type { User } from '../db/generated/client';
import { AppError } from '../errors';
import type { AdminUserDto } from '../protocol';
import { recordAudit } from './audit';
import { isServerAdmin } from './server-admin';

const PAGE = 50;

export function toAdminUserDto(user: User, config: Pick<Config, 'adminEmails'>): AdminUserDto {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    avatarUrl: user.avatarUrl,
    email: user.email,
    isActive: user.isActive,
    isAdmin: isServerAdmin({ ...user, isActive: true }, config),
    adminByConfig: config.adminEmails.includes(user.email.toLowerCase()),
    createdAt: user.createdAt.toISOString(),
    lastSeenAt: user.lastSeenAt?.toISOString() ?? null,
  };
}

/** Accounts (deleted ones aside) whose username, name or e-mail contains the query, by username. */
export async function listUsersForAdmin(db: Db, config: Pick<Config, 'adminEmails'>, query: { q: string; after?: string }) {
  const q = query.q.trim();
  const rows = await db.user.findMany({
    where: {
      deletedAt: null,
      ...(q
        ? { OR: [{ username: { contains: q.toLowerCase() } }, { name: { contains: q, mode: 'insensitive' } }, { email: { contains: q.toLowerCase() } }] }
        : {}),
    },
    orderBy: { id: 'asc' },
    ...(query.after ? { cursor: { id: query.after }, skip: 1 } : {}),
    take: PAGE + 1,
  });
  const users = rows.slice(0, PAGE).map((u) => toAdminUserDto(u, config));
  return { users, nextCursor: rows.length > PAGE ? (users.at(-1)?.id ?? null) : null };
}

/**
 * Changes whether an account is active and/or an admin. An admin cannot deactivate or demote
 * themselves (a server must not lose its last way in by a slip). Says whether the account was
 * deactivated now, so the caller can disconnect its sockets.
 */
export async function updateUserAsAdmin(
  db: Db,
  config: Pick<Config, 'adminEmails'>,
  adminId: string,
  userId: string,
  change: { active?: boolean; admin?: boolean },
): Promise<{ user: AdminUserDto; deactivated: boolean }> {
  if (userId === adminId && (change.active === false || change.admin === false)) {
    throw new AppError('conflict', 'You cannot deactivate or demote yourself; ask another admin.');
  }
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId } });
    if (!before || before.deletedAt) throw new AppError('not_found', 'User not found.');
    if (change.admin === false && config.adminEmails.includes(before.email.toLowerCase())) {
      throw new AppError('conflict', 'This account is an admin by ADMIN_EMAILS; change the server configuration instead.');
    }
    const deactivated = change.active === false && before.isActive;
    const user = await tx.user.update({
      where: { id: userId },
      data: {
        ...(change.active !== undefined ? { isActive: change.active } : {}),
        ...(change.admin !== undefined ? { isAdmin: change.admin } : {}),
        // Every session and token ends with the deactivation, so reactivating revives none of them.
        ...(deactivated ? { tokenVersion: { increment: 1 }, signedOutSessionIds: { set: [] } } : {}),
      },
    });
    const target = { type: 'user' as const, id: userId };
    if (change.active !== undefined && change.active !== before.isActive) {
      await recordAudit(tx, adminId, change.active ? 'user.reactivate' : 'user.deactivate', target, { username: before.username });
    }
    if (change.admin !== undefined && change.admin !== before.isAdmin) {
      await recordAudit(tx, adminId, change.admin ? 'user.make_admin' : 'user.revoke_admin', target, { username: before.username });
    }
    return { user: toAdminUserDto(user, config), deactivated };
  });
}
