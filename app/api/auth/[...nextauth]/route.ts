import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { getAppContext } from '@/lib/context';
import { buildAuthOptions } from '@/lib/auth/next-auth';
import { isCredentialsAttempt, limitCredentialsAttempt } from '@/lib/auth/credentials-limit';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per request from the server's context (its secret and database). A password
// attempt spends the sign-in budget first: next-auth itself cannot answer 429.
async function handler(req: NextRequest, context: RouteContext) {
  const ctx = getAppContext();
  if (isCredentialsAttempt(req, (await context.params).nextauth)) {
    const refused = await limitCredentialsAttempt(ctx, req);
    if (refused) return refused;
  }
  return NextAuth(req, context, buildAuthOptions(ctx));
}

export { handler as GET, handler as POST };
