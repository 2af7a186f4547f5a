// With an https public origin: next-auth's cookies are Secure (and __Secure- named), the server
// reads them back by the same name, and every answer carries HSTS. (Served over loopback http
// here, as behind a TLS-terminating proxy.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server';
import { createUser, TEST_PASSWORD } from './helpers/factories';

const PUBLIC = 'https://chat.example.test';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { NEXTAUTH_URL: PUBLIC } });
});
afterAll(async () => {
  await server?.close();
});

describe('an https public origin', () => {
  it('gets Secure session cookies from next-auth, usable from its pages', async () => {
    const user = await createUser(server.context.db);
    const csrf = await fetch(`${server.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const csrfCookie = csrf.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
    expect(csrfCookie).toContain('__Host-next-auth.csrf-token=');
    const signIn = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie, origin: PUBLIC },
      body: new URLSearchParams({ csrfToken, identifier: user.username, password: TEST_PASSWORD, json: 'true' }),
    });
    const session = signIn.headers.getSetCookie().find((cookie) => cookie.startsWith('__Secure-next-auth.session-token='));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);

    const cookie = session!.split(';')[0]!;
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).toBe(200);
    // Writes with it: from the public origin only (the http address it is served on is not it).
    const write = (origin: string) =>
      fetch(`${server.url}/api/conversations`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'group', name: 'Ops', participantIds: [] }),
      });
    expect((await write(server.url)).status).toBe(403);
    expect((await write(PUBLIC)).status).not.toBe(403);
  });

  it('sends Strict-Transport-Security on every answer', async () => {
    for (const path of ['/login', '/api/me', '/no-such-page']) {
      const response = await fetch(server.url + path, { redirect: 'manual' });
      expect(response.headers.get('strict-transport-security'), path).toBe('max-age=31536000');
    }
  });
});
