import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { getAppContext } from '@/lib/context';
import { buildAuthOptions } from '@/lib/auth/next-auth';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per request from the server's context (its secret and database).
async function handler(req: NextRequest, context: RouteContext) {
  return NextAuth(req, context, buildAuthOptions(getAppContext()));
}

export { handler as GET, handler as POST };
