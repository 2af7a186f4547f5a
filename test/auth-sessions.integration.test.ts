// Revocable sessions: sign-out ends that browser's session on the server (its cookie is refused
// afterwards, even a copy of it); "sign out everywhere" and a password change end every session
// and token of the user at once, their live sockets included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { startTestServer, type TestServer } from './helpers/server';
import { connectClient, postJson, uniqueName, TEST_PASSWORD, type ChatClient } from './helpers/factories';
import { eventually } from './helpers/chat';
import { CHAT_NAMESPACE } from '@/lib/protocol';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function registerAccount() {
  const username = uniqueName('ses');
  const response = await postJson(`${server.url}/api/auth/register`, { email: `${username}@example.test`, username, password: TEST_PASSWORD });
  expect(response.status).toBe(201);
  return { username, id: (response.body as { user: { id: string } }).user.id };
}

async function bearerToken(username: string, password = TEST_PASSWORD): Promise<string> {
  const response = await postJson(`${server.url}/api/auth/token`, { username, password });
  expect(response.status).toBe(200);
  return (response.body as { token: string }).token;
}

type Browser = { cookies: Map<string, string> };

function cookieHeader(browser: Browser): string {
  return [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

function keepCookies(browser: Browser, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(';');
    const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
    const expired = attributes.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
    if (expired || value === '') browser.cookies.delete(name);
    else browser.cookies.set(name, value);
  }
}

/** A browser signed in through next-auth's credentials callback. */
async function signInBrowser(identifier: string, password = TEST_PASSWORD): Promise<Browser> {
  const browser: Browser = { cookies: new Map() };
  const csrf = await fetch(`${server.url}/api/auth/csrf`);
  keepCookies(browser, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(browser), origin: server.url },
    body: new URLSearchParams({ csrfToken, identifier, password, json: 'true' }),
  });
  expect(response.status).toBe(200);
  keepCookies(browser, response);
  expect(sessionCookie(browser)).toBeTruthy();
  return browser;
}

function sessionCookie(browser: Browser): string | undefined {
  return browser.cookies.get('next-auth.session-token');
}

/** Signs out as the app's sign-out button does (next-auth's POST /api/auth/signout). */
async function signOutBrowser(browser: Browser): Promise<void> {
  const csrf = await fetch(`${server.url}/api/auth/csrf`, { headers: { cookie: cookieHeader(browser) } });
  keepCookies(browser, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${server.url}/api/auth/signout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(browser), origin: server.url },
    body: new URLSearchParams({ csrfToken, json: 'true' }),
  });
  expect(response.status).toBe(200);
  keepCookies(browser, response);
}

const meWithCookie = (cookie: string) => fetch(`${server.url}/api/me`, { headers: { cookie: `next-auth.session-token=${cookie}` } });
const meWithToken = (token: string) => fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });

function socketWithCookie(cookie: string): Promise<ChatClient> {
  const socket: ChatClient = io(server.url + CHAT_NAMESPACE, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    // A browser's handshake from the app's own page: the cookie counts only with its Origin.
    extraHeaders: { cookie: `next-auth.session-token=${cookie}`, origin: server.url },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

function disconnected(socket: ChatClient): () => boolean {
  let gone = false;
  socket.on('disconnect', () => (gone = true));
  return () => gone;
}

/** POST to one of the account routes, with a bearer token or a browser's cookie (and its Origin). */
async function accountPost(path: string, credential: { token: string } | { browser: Browser }, body: unknown = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if ('token' in credential) headers.authorization = `Bearer ${credential.token}`;
  else Object.assign(headers, { cookie: cookieHeader(credential.browser), origin: server.url });
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  if ('browser' in credential) keepCookies(credential.browser, response);
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
}

describe('next-auth sign-out', () => {
  it('makes the old session cookie useless, its socket included, and leaves other sessions alone', async () => {
    const { username } = await registerAccount();
    const browser = await signInBrowser(username);
    const other = await signInBrowser(username);
    const oldCookie = sessionCookie(browser)!;
    const socket = await socketWithCookie(oldCookie);
    const socketGone = disconnected(socket);
    expect((await meWithCookie(oldCookie)).status).toBe(200);

    await signOutBrowser(browser);

    expect(sessionCookie(browser)).toBeUndefined();
    expect((await meWithCookie(oldCookie)).status).toBe(401);
    await eventually(socketGone, 3000, 'the signed-out session’s socket to be disconnected');
    await expect(socketWithCookie(oldCookie)).rejects.toThrow('unauthorized');
    expect((await meWithCookie(sessionCookie(other)!)).status).toBe(200);
  });
});

describe('POST /api/me/sign-out-everywhere', () => {
  it('ends every token, cookie and live socket of the user at once', async () => {
    const { username } = await registerAccount();
    const token = await bearerToken(username);
    const browser = await signInBrowser(username);
    const cookie = sessionCookie(browser)!;
    const tokenSocket = await connectClient(server.url, token);
    const cookieSocket = await socketWithCookie(cookie);
    const gone = [disconnected(tokenSocket), disconnected(cookieSocket)];
    const bystander = await registerAccount();
    const bystanderToken = await bearerToken(bystander.username);

    const response = await accountPost('/api/me/sign-out-everywhere', { token });
    expect(response.status).toBe(204);

    expect((await meWithToken(token)).status).toBe(401);
    expect((await meWithCookie(cookie)).status).toBe(401);
    await eventually(() => gone.every((g) => g()), 2000, 'every socket of the user to be disconnected');
    await expect(connectClient(server.url, token)).rejects.toThrow('unauthorized');
    await expect(socketWithCookie(cookie)).rejects.toThrow('unauthorized');
    expect((await meWithToken(bystanderToken)).status).toBe(200);
    // Signing in again works.
    expect((await meWithToken(await bearerToken(username))).status).toBe(200);
  });
});

describe('POST /api/me/password', () => {
  const NEW_PASSWORD = 'a brand new passphrase';

  it('refuses a wrong current password with a clear message and changes nothing', async () => {
    const { username } = await registerAccount();
    const token = await bearerToken(username);
    const response = await accountPost('/api/me/password', { token }, { currentPassword: 'not my password', newPassword: NEW_PASSWORD });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: 'invalid_credentials', message: 'Your current password is not right.' } });
    expect((await meWithToken(token)).status).toBe(200);
    await bearerToken(username, TEST_PASSWORD);
    expect((await postJson(`${server.url}/api/auth/token`, { username, password: NEW_PASSWORD })).status).toBe(401);
  });

  it('refuses a new password that is too short', async () => {
    const { username } = await registerAccount();
    const token = await bearerToken(username);
    const response = await accountPost('/api/me/password', { token }, { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('password') } });
  });

  it('changes the password, ends every other credential and live socket, and keeps this browser signed in', async () => {
    const { username } = await registerAccount();
    const token = await bearerToken(username);
    const browser = await signInBrowser(username);
    const otherBrowser = await signInBrowser(username);
    const oldCookie = sessionCookie(browser)!;
    const socket = await connectClient(server.url, token);
    const socketGone = disconnected(socket);

    const response = await accountPost('/api/me/password', { browser }, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(response.status).toBe(200);

    expect((await meWithToken(token)).status).toBe(401);
    expect((await meWithCookie(oldCookie)).status).toBe(401);
    expect((await meWithCookie(sessionCookie(otherBrowser)!)).status).toBe(401);
    await eventually(socketGone, 2000, 'the user’s socket to be disconnected');
    await expect(connectClient(server.url, token)).rejects.toThrow('unauthorized');
    // The browser that changed it got a fresh session cookie.
    const freshCookie = sessionCookie(browser)!;
    expect(freshCookie).not.toBe(oldCookie);
    expect((await meWithCookie(freshCookie)).status).toBe(200);
    (await socketWithCookie(freshCookie)).close();
    // Only the new password signs in now.
    expect((await postJson(`${server.url}/api/auth/token`, { username, password: TEST_PASSWORD })).status).toBe(401);
    await bearerToken(username, NEW_PASSWORD);
  });

  it('gives a bearer client a fresh token in the answer', async () => {
    const { username } = await registerAccount();
    const token = await bearerToken(username);
    const response = await accountPost('/api/me/password', { token }, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect(response.status).toBe(200);
    const fresh = (response.body as { token: string }).token;
    expect((await meWithToken(token)).status).toBe(401);
    expect((await meWithToken(fresh)).status).toBe(200);
  });
});
