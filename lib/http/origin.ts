// Which pages may use the browser session. A browser attaches the session cookie to requests that
// any other page starts, so a cookie-authenticated write or socket handshake is honoured only when
// it comes from the app's own origin (or one the operator lists in ALLOWED_ORIGINS). Bearer
// credentials are sent by the client deliberately, so they need no such check.
import { parse as parseCookies } from 'cookie';
import type { Config } from '../config';

type Headers = Record<string, string | string[] | undefined>;

/** next-auth's session cookie, with its https prefix and the numbered chunks of a large one. */
const SESSION_COOKIE = /^(?:__Secure-)?next-auth\.session-token(?:\.\d+)?$/;

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function hasSessionCookie(headers: Headers): boolean {
  const cookie = header(headers, 'cookie');
  if (!cookie) return false;
  return Object.keys(parseCookies(cookie)).some((name) => SESSION_COOKIE.test(name));
}

export function hasBearer(headers: Headers): boolean {
  return /^bearer\s+\S/i.test(header(headers, 'authorization') ?? '');
}

/**
 * The origin of the page that started the request: `Origin`, else the origin of `Referer` (a
 * same-origin GET, such as Socket.IO's first polling request, carries no Origin). null when the
 * request names neither, or names an opaque origin ("null").
 */
export function requestOrigin(headers: Headers): string | null {
  const origin = header(headers, 'origin');
  if (origin !== undefined) return origin === 'null' ? null : normalizedOrigin(origin);
  const referer = header(headers, 'referer');
  return referer ? normalizedOrigin(referer) : null;
}

function normalizedOrigin(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * The origins whose pages may use the session on this request: the public origin (NEXTAUTH_URL)
 * when it is configured, otherwise the origin the request was sent to (its Host, over http or
 * https), and every ALLOWED_ORIGINS entry.
 */
export function allowedOrigins(config: Pick<Config, 'publicUrl' | 'allowedOrigins'>, headers: Headers): string[] {
  const own: string[] = [];
  if (config.publicUrl) {
    own.push(new URL(config.publicUrl).origin);
  } else {
    const host = header(headers, 'host');
    if (host) own.push(...['http', 'https'].flatMap((scheme) => normalizedOrigin(`${scheme}://${host}`) ?? []));
  }
  return [...own, ...config.allowedOrigins];
}

/** Whether the page that started this request may use the session cookie. */
export function isSameAppOrigin(config: Pick<Config, 'publicUrl' | 'allowedOrigins'>, headers: Headers): boolean {
  const origin = requestOrigin(headers);
  return origin !== null && allowedOrigins(config, headers).includes(origin);
}

/**
 * Whether the session cookie on this request may be used: always when there is none; otherwise
 * only from an allowed origin. (A request that fails here may still authenticate with a bearer
 * credential, but never with the cookie.)
 */
export function sessionCookieUsable(config: Pick<Config, 'publicUrl' | 'allowedOrigins'>, headers: Headers): boolean {
  return !hasSessionCookie(headers) || isSameAppOrigin(config, headers);
}

/** The headers without the cookie, so only an explicit credential can authenticate. */
export function withoutCookie<H extends Headers>(headers: H): H {
  const { cookie: _dropped, ...rest } = headers;
  return rest as H;
}
