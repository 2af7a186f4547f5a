// Which pages may use the session cookie, decided from the configuration and the request headers.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { hasSessionCookie, isSameAppOrigin, requestOrigin, sessionCookieUsable } from '@/lib/http/origin';

const SECRET = 'x'.repeat(32);
const configured = loadConfig({ AUTH_SECRET: SECRET, NEXTAUTH_URL: 'https://chat.example.com', ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:3000/' });
const bare = loadConfig({ AUTH_SECRET: SECRET });

describe('the origin of a request', () => {
  it('is Origin, else the origin of Referer; "null" and garbage name none', () => {
    expect(requestOrigin({ origin: 'https://chat.example.com' })).toBe('https://chat.example.com');
    expect(requestOrigin({ referer: 'https://chat.example.com/c/1?x=2' })).toBe('https://chat.example.com');
    expect(requestOrigin({ origin: 'null', referer: 'https://chat.example.com/' })).toBeNull();
    expect(requestOrigin({ referer: 'not a url' })).toBeNull();
    expect(requestOrigin({})).toBeNull();
  });
});

describe('the app\'s own origins', () => {
  it('are NEXTAUTH_URL and ALLOWED_ORIGINS when configured, whatever the Host', () => {
    expect(configured.allowedOrigins).toEqual(['https://app.example.com', 'http://localhost:3000']);
    const host = { host: 'evil.example.com' };
    expect(isSameAppOrigin(configured, { ...host, origin: 'https://chat.example.com' })).toBe(true);
    expect(isSameAppOrigin(configured, { ...host, origin: 'https://app.example.com' })).toBe(true);
    expect(isSameAppOrigin(configured, { ...host, origin: 'http://localhost:3000' })).toBe(true);
    expect(isSameAppOrigin(configured, { ...host, origin: 'https://evil.example.com' })).toBe(false);
    expect(isSameAppOrigin(configured, { ...host, origin: 'http://chat.example.com' })).toBe(false);
    expect(isSameAppOrigin(configured, { ...host, origin: 'https://chat.example.com:8443' })).toBe(false);
  });

  it('are the origin served (its Host) when no public origin is configured', () => {
    expect(isSameAppOrigin(bare, { host: 'localhost:3000', origin: 'http://localhost:3000' })).toBe(true);
    expect(isSameAppOrigin(bare, { host: 'localhost:3000', origin: 'http://localhost:4000' })).toBe(false);
    expect(isSameAppOrigin(bare, { host: 'chat.example.com', origin: 'https://sub.chat.example.com' })).toBe(false);
  });

  it('refuses an ALLOWED_ORIGINS entry that is not a URL', () => {
    expect(() => loadConfig({ AUTH_SECRET: SECRET, ALLOWED_ORIGINS: 'chat.example.com' })).toThrow(/ALLOWED_ORIGINS/);
  });
});

describe('the session cookie', () => {
  it('is recognised under its https name and in chunks, and other cookies are not it', () => {
    expect(hasSessionCookie({ cookie: 'a=1; next-auth.session-token=x' })).toBe(true);
    expect(hasSessionCookie({ cookie: '__Secure-next-auth.session-token.0=x' })).toBe(true);
    expect(hasSessionCookie({ cookie: 'next-auth.csrf-token=x; next-auth.callback-url=y' })).toBe(false);
  });

  it('is usable only from our pages; without it there is nothing to check', () => {
    const cookie = 'next-auth.session-token=x';
    expect(sessionCookieUsable(configured, { cookie, origin: 'https://chat.example.com' })).toBe(true);
    expect(sessionCookieUsable(configured, { cookie, origin: 'https://evil.example.com' })).toBe(false);
    expect(sessionCookieUsable(configured, { cookie })).toBe(false);
    expect(sessionCookieUsable(configured, { origin: 'https://evil.example.com' })).toBe(true);
  });
});
