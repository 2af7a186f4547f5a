import { NextResponse } from 'next/server';
import { authedRoute, parseJson } from '@/lib/http/route';
import { deleteAccountInput, updateProfileInput } from '@/lib/protocol';
import { findActiveUser, toUserDto } from '@/lib/chat/users';
import { AppError } from '@/lib/errors';
import { isServerAdmin } from '@/lib/admin/server-admin';
import { updateProfile } from '@/lib/accounts/profile';
import { deleteAccount } from '@/lib/accounts/deletion';
import { spendPasswordAttempt } from '@/lib/auth/sign-in-limits';
import { clientAddress } from '@/lib/http/rate-limit';
import { clearSessionCookie } from '@/lib/auth/session-cookie';

export const GET = authedRoute({ budget: 'read' }, async ({ ctx, userId }) => {
  const user = await findActiveUser(ctx.db, userId);
  if (!user) throw new AppError('not_found');
  return { body: { ...toUserDto(user, userId), isAdmin: isServerAdmin(user, ctx.config) } };
});

/** The display name. */
export const PATCH = authedRoute({ budget: 'profile' }, async ({ req, ctx, userId }) => {
  const user = await updateProfile(ctx.db, userId, await parseJson(req, updateProfileInput));
  return { body: { user } };
});

// Deleting the account needs its password (a password attempt like any sign-in). Its messages
// stay, shown as "Deleted user"; every session ends and its sockets are disconnected.
export const DELETE = authedRoute({ budget: 'account' }, async ({ req, ctx, userId }) => {
  const { password } = await parseJson(req, deleteAccountInput);
  await spendPasswordAttempt(ctx, clientAddress(req), { userId });
  await deleteAccount(ctx.db, ctx.storage, userId, password);
  await ctx.notifier.signedOut(userId);
  const response = new NextResponse(null, { status: 204 });
  clearSessionCookie(response);
  return response;
});
