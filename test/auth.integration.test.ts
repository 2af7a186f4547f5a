import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server';
import { connectClient, createUser, postJson, uniqueName, TEST_PASSWORD } from './helpers/factories';
import { issueToken } from '@/lib/auth/tokens';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function register(overrides: Record<string, unknown> = {}) {
  const username = uniqueName('reg');
  const body = { email: `${username}@example.test`, username, password: TEST_PASSWORD, name: 'Reg Istered', ...overrides };
  return { body, response: await postJson(`${server.url}/api/auth/register`, body) };
}

/** Signs in through next-auth's credentials flow and returns the session cookie header. */
async function sessionCookie(identifier: string, password: string): Promise<string | null> {
  const csrfResponse = await fetch(`${server.url}/api/auth/csrf`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookie = csrfResponse.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const response = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, identifier, password, json: 'true' }),
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='));
  return session ? session.split(';')[0]! : null;
}

describe('POST /api/auth/register', () => {
  it('creates a user and answers 201 with it', async () => {
    const { body, response } = await register();
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ user: { username: body.username, email: body.email, name: 'Reg Istered' } });
    expect(JSON.stringify(response.body)).not.toContain('password');
  });

  it('answers 409 for a taken email or username, case-insensitively for email', async () => {
    const { body } = await register();
    const sameEmail = await postJson(`${server.url}/api/auth/register`, { ...body, username: uniqueName('other'), email: body.email.toUpperCase() });
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.body).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('email') } });
    const sameUsername = await postJson(`${server.url}/api/auth/register`, { ...body, email: `${uniqueName('x')}@example.test` });
    expect(sameUsername.status).toBe(409);
    expect(sameUsername.body).toMatchObject({ error: { message: expect.stringContaining('username') } });
  });

  it.each([
    [{ username: 'No Caps' }, 'username'],
    [{ username: 'ab' }, 'username'],
    [{ password: 'short' }, 'password'],
    [{ email: 'not-an-email' }, 'email'],
    [{ email: { $ne: null } }, 'email'],
  ])('answers 400 with a message for %j', async (overrides, field) => {
    const { response } = await register(overrides);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining(field) } });
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await postJson(`${server.url}/api/auth/register`, '{nope');
    expect(response.status).toBe(400);
  });
});

describe('POST /api/auth/token', () => {
  it('issues a bearer token that /api/me accepts, by username or email', async () => {
    const { body } = await register();
    for (const credentials of [{ username: body.username }, { email: body.email }]) {
      const response = await postJson(`${server.url}/api/auth/token`, { ...credentials, password: TEST_PASSWORD });
      expect(response.status).toBe(200);
      const { token, expiresAt, user } = response.body as { token: string; expiresAt: string; user: { id: string } };
      expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
      const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ id: user.id, username: body.username, email: body.email });
    }
  });

  it('gives the same 401 for a wrong password and an unknown user', async () => {
    const { body } = await register();
    const wrong = await postJson(`${server.url}/api/auth/token`, { username: body.username, password: 'wrong password' });
    const unknown = await postJson(`${server.url}/api/auth/token`, { username: uniqueName('ghost'), password: 'wrong password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses a missing or forged bearer token on REST', async () => {
    expect((await fetch(`${server.url}/api/me`)).status).toBe(401);
    const forged = await fetch(`${server.url}/api/me`, { headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
  });

  it('answers 401, not 500, for a well-signed token whose subject is not a user id', async () => {
    const { token } = await issueToken({ sub: 'not-a-uuid', username: 'x', name: 'x' }, server.config.authSecret, 60);
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
    expect(await me.json()).toMatchObject({ error: { code: 'unauthorized' } });
    await expect(connectClient(server.url, token)).rejects.toThrow('unauthorized');
  });
});

describe('browser session (next-auth credentials)', () => {
  it('signs in with a cookie that REST and the socket accept', async () => {
    const { body } = await register();
    const cookie = await sessionCookie(body.username, TEST_PASSWORD);
    expect(cookie).toBeTruthy();
    const me = await fetch(`${server.url}/api/me`, { headers: { cookie: cookie! } });
    expect(me.status).toBe(200);

    const { io } = await import('socket.io-client');
    const socket = io(`${server.url}/chat`, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: cookie!, origin: server.url } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.close();
  });

  it('refuses a wrong password with no session cookie', async () => {
    const { body } = await register();
    expect(await sessionCookie(body.username, 'wrong password')).toBeNull();
  });
});

describe('/chat handshake', () => {
  it('connects with a token from /api/auth/token', async () => {
    const { body } = await register();
    const { body: tokenBody } = await postJson(`${server.url}/api/auth/token`, { username: body.username, password: TEST_PASSWORD });
    const socket = await connectClient(server.url, (tokenBody as { token: string }).token);
    expect(socket.connected).toBe(true);
    socket.close();
  });

  it.each([['a forged token', 'forged'], ['no token', undefined]])('refuses %s with connect_error unauthorized', async (_label, token) => {
    await expect(connectClient(server.url, token)).rejects.toThrow('unauthorized');
  });
});

describe('GET /api/users', () => {
  it('treats LIKE wildcards in the query as plain characters', async () => {
    const viewer = await createUser(server.context.db);
    await createUser(server.context.db, { name: 'Percy Underscore' });
    const { token } = await issueToken({ sub: viewer.id, username: viewer.username, name: viewer.name }, server.config.authSecret, 60);
    const search = async (q: string) => {
      const response = await fetch(`${server.url}/api/users?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { users: { username: string }[] }).users;
    };
    expect((await search('per')).map((u) => u.username).length).toBeGreaterThan(0);
    for (const q of ['%', '_', '%er', '\\']) expect(await search(q), q).toEqual([]);
  });
});
