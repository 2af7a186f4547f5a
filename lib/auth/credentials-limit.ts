// The sign-in budget in front of next-auth's credentials callback. next-auth answers every failed
// `authorize` with 401, so a spent budget is answered here, before next-auth runs: 429 with
// Retry-After, in the shape next-auth's `signIn()` reads (`{ url }` whose `error` parameter it
// returns), the message being the one the login page shows.
import { NextResponse, type NextRequest } from 'next/server';
import type { AppContext } from '../context';
import { isAppError, toErrorBody } from '../errors';
import { clientAddress } from '../http/rate-limit';
import { spendSignInAttempt } from './sign-in-limits';

/** Whether a next-auth request is a password attempt (`POST /api/auth/callback/credentials`). */
export function isCredentialsAttempt(req: NextRequest, nextauth: readonly string[] | undefined): boolean {
  return req.method === 'POST' && nextauth?.[0] === 'callback' && nextauth[1] === 'credentials';
}

/** Spends a sign-in attempt for a credentials callback; the 429 response when the budget is spent, else null. */
export async function limitCredentialsAttempt(ctx: AppContext, req: NextRequest): Promise<Response | null> {
  // A copy of the body: next-auth reads the original.
  const form = new URLSearchParams(await req.clone().text());
  try {
    await spendSignInAttempt(ctx, clientAddress(req), form.get('identifier') ?? '');
    return null;
  } catch (error) {
    if (!isAppError(error) || error.code !== 'rate_limited') throw error;
    const url = new URL('/api/auth/error', req.nextUrl.origin);
    url.searchParams.set('error', error.message);
    return NextResponse.json(
      { url: url.toString(), error: toErrorBody(error) },
      { status: 429, headers: { 'retry-after': String(error.retryAfterSec ?? 60) } },
    );
  }
}
