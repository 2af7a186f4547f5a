import { NextResponse } from 'next/server';
import { authedRoute, parseJson } from '@/lib/http/route';
import { changePasswordInput } from '@/lib/protocol';
import { getUser } from '@/lib/chat/users';
import { changePassword } from '@/lib/auth/sessions';
import { spendPasswordAttempt } from '@/lib/auth/sign-in-limits';
import { clientAddress } from '@/lib/http/rate-limit';
import { issueToken } from '@/lib/auth/tokens';
import { browserSessionClaims } from '@/lib/auth/next-auth';
import { hasSessionCookie, setSessionCookie } from '@/lib/auth/session-cookie';

// Changing the password ends every session and token of the user, and their live sockets. The
// client that changed it stays signed in: a browser gets a fresh session cookie, a bearer client
// a fresh token in the answer.
export const POST = authedRoute({ budget: 'account' }, async ({ req, ctx, userId }) => {
  const { currentPassword, newPassword } = await parseJson(req, changePasswordInput);
  // Checking the current password is a password attempt like any sign-in.
  await spendPasswordAttempt(ctx, clientAddress(req), { userId });
  const tokenVersion = await changePassword(ctx.db, userId, currentPassword, newPassword);
  await ctx.notifier.signedOut(userId);
  const user = await getUser(ctx.db, userId, userId);
  if (hasSessionCookie(req)) {
    const response = NextResponse.json({ user });
    await setSessionCookie(response, browserSessionClaims(user, tokenVersion), ctx.config);
    return response;
  }
  const { token, expiresAt } = await issueToken(
    { sub: user.id, username: user.username, name: user.name, ver: tokenVersion },
    ctx.config.authSecret,
    ctx.config.tokenTtlSeconds,
  );
  return { body: { user, token, expiresAt } };
});
