// Bearer tokens are next-auth JWTs (the same encrypted format as the browser's session cookie),
// so one verification path serves the cookie, `Authorization: Bearer` and the socket handshake.
// Every credential carries the user's token version (`ver`) and a browser session its own id
// (`sid`): lib/auth/sessions.ts decides whether they still count.
import { randomBytes } from 'node:crypto';
import { encode, getToken, type JWT } from 'next-auth/jwt';
import { parse as parseCookies } from 'cookie';
import { idSchema } from '../protocol';

export type TokenClaims = {
  sub: string;
  username: string;
  name: string;
  /** The user's token version when issued; absent counts as 0 (tokens from before versions). */
  ver?: number;
  /** A browser session's id (session cookies only). */
  sid?: string;
};

/** What a credential says: whose it is, and what lib/auth/sessions.ts checks it against. */
export type Credential = { userId: string; version: number; sessionId: string | null };

export async function issueToken(claims: TokenClaims, secret: string, ttlSeconds: number) {
  const token = await encode({ token: { ...claims }, secret, maxAge: ttlSeconds });
  return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() };
}

/** A fresh id for a browser session. */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The credential a decoded JWT carries, or null when it names no possible user: a well-signed
 * token whose subject is not a user id is as good as no token (401, never a database error).
 */
export function credentialOf(jwt: JWT | null | undefined): Credential | null {
  if (!jwt || !idSchema.safeParse(jwt.sub).success) return null;
  const { ver, sid } = jwt as { ver?: unknown; sid?: unknown };
  if (ver !== undefined && !Number.isInteger(ver)) return null;
  return { userId: jwt.sub!, version: (ver as number | undefined) ?? 0, sessionId: typeof sid === 'string' && sid ? sid : null };
}

/**
 * The credential a request presents, or null. Accepts `Authorization: Bearer <token>`, an
 * explicit token (socket `auth.token`) or the next-auth session cookie.
 */
export async function readCredential(
  source: { headers: Record<string, string | string[] | undefined>; token?: unknown },
  secret: string,
): Promise<Credential | null> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(source.headers)) {
    if (typeof value === 'string') headers[key.toLowerCase()] = value;
  }
  if (typeof source.token === 'string' && source.token) headers.authorization = `Bearer ${source.token}`;
  const cookies = headers.cookie ? parseCookies(headers.cookie) : {};
  const req = { headers, cookies } as unknown as Parameters<typeof getToken>[0]['req'];
  try {
    return credentialOf(await getToken({ req, secret, secureCookie: isSecureOrigin() }));
  } catch {
    return null;
  }
}

/** next-auth's session cookie name: __Secure- prefixed when the site is served over https. */
export function sessionCookieName(): string {
  return isSecureOrigin() ? '__Secure-next-auth.session-token' : 'next-auth.session-token';
}

export function isSecureOrigin(): boolean {
  return process.env.NEXTAUTH_URL?.startsWith('https://') ?? false;
}
