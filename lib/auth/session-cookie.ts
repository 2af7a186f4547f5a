// A browser session cookie issued by the app itself, in next-auth's format and with its cookie
// name and options, for when next-auth is not the one signing in: a password change keeps the
// browser that made it signed in.
import type { NextResponse } from 'next/server';
import { encode, type JWT } from 'next-auth/jwt';
import type { Config } from '../config';
import { isSecureOrigin, sessionCookieName } from './tokens';

export async function setSessionCookie(response: NextResponse, claims: JWT, config: Pick<Config, 'authSecret' | 'tokenTtlSeconds'>): Promise<void> {
  const value = await encode({ token: claims, secret: config.authSecret, maxAge: config.tokenTtlSeconds });
  response.cookies.set(sessionCookieName(), value, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: isSecureOrigin(),
    maxAge: config.tokenTtlSeconds,
  });
}

/** Whether a request came with the browser session cookie (rather than a bearer token alone). */
export function hasSessionCookie(req: { cookies: { has(name: string): boolean } }): boolean {
  return req.cookies.has(sessionCookieName());
}

export function clearSessionCookie(response: NextResponse): void {
  response.cookies.set(sessionCookieName(), '', { httpOnly: true, sameSite: 'lax', path: '/', secure: isSecureOrigin(), maxAge: 0 });
}
