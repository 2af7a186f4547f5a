// Bearer tokens are next-auth JWTs (the same encrypted format as the browser's session cookie),
// so one verification path serves the cookie, `Authorization: Bearer` and the socket handshake.
import { encode, getToken } from 'next-auth/jwt';
import { parse as parseCookies } from 'cookie';

export type TokenClaims = { sub: string; username: string; name: string };

export async function issueToken(claims: TokenClaims, secret: string, ttlSeconds: number) {
  const token = await encode({ token: { ...claims, name: claims.name }, secret, maxAge: ttlSeconds });
  return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() };
}

/**
 * The user id a request's credential names, or null. Accepts `Authorization: Bearer <token>`,
 * an explicit token (socket `auth.token`) or the next-auth session cookie.
 */
export async function userIdFromCredential(
  source: { headers: Record<string, string | string[] | undefined>; token?: unknown },
  secret: string,
): Promise<string | null> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(source.headers)) {
    if (typeof value === 'string') headers[key.toLowerCase()] = value;
  }
  if (typeof source.token === 'string' && source.token) headers.authorization = `Bearer ${source.token}`;
  const cookies = headers.cookie ? parseCookies(headers.cookie) : {};
  const req = { headers, cookies } as unknown as Parameters<typeof getToken>[0]['req'];
  try {
    const jwt = await getToken({ req, secret, secureCookie: isSecureOrigin() });
    return typeof jwt?.sub === 'string' ? jwt.sub : null;
  } catch {
    return null;
  }
}

function isSecureOrigin(): boolean {
  // Cookie names follow next-auth's rule: __Secure- prefix when the site is served over https.
  return process.env.NEXTAUTH_URL?.startsWith('https://') ?? false;
}
