import { NextResponse } from 'next/server';
import { authedRoute } from '@/lib/http/route';
import { endAllSessions } from '@/lib/auth/sessions';
import { clearSessionCookie } from '@/lib/auth/session-cookie';

// Ends every session and bearer token of the user, this one included, and their live sockets.
export const POST = authedRoute({ budget: 'account' }, async ({ ctx, userId }) => {
  await endAllSessions(ctx.db, userId);
  await ctx.notifier.signedOut(userId);
  const response = new NextResponse(null, { status: 204 });
  clearSessionCookie(response);
  return response;
});
