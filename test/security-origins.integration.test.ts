// The session cookie is honoured on writes and socket handshakes only from the app's own pages:
// through the whole server over loopback, as a page of another origin's browser would send them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { CHAT_NAMESPACE, type MessageDto } from '@/lib/protocol';
import { startTestServer, type TestServer } from './helpers/server';
import { groupChat, makeMembers, type Member } from './helpers/chat';

let server: TestServer;
let alice: Member;
let bob: Member;
let conversationId: string;
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = (await makeMembers(server, 2)) as [Member, Member];
  conversationId = (await groupChat(server, alice, [bob])).id;
});
afterAll(async () => {
  await server?.close();
});

/** Another port on the same host: the same site for cookies, another origin. */
const ATTACKER = 'http://127.0.0.1:9';

/** The browser session cookie: next-auth's session JWT, the same format as a bearer token. */
const cookieOf = (member: Member) => `next-auth.session-token=${member.token}`;

async function post(headers: Record<string, string>, content: string, contentType = 'application/json') {
  const response = await fetch(`${server.url}/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body: JSON.stringify({ content }),
  });
  const body = (await response.json().catch(() => null)) as { message?: MessageDto; error?: { code: string; message: string } } | null;
  return { status: response.status, body };
}

async function stored(content: string) {
  return server.context.db.message.count({ where: { conversationId, content } });
}

describe('cookie-authenticated writes', () => {
  it('are taken from the app\'s own origin, by Origin or else by Referer', async () => {
    expect((await post({ cookie: cookieOf(alice), origin: server.url }, 'from our page')).status).toBe(201);
    // A same-origin request may carry no Origin; its Referer names the page.
    expect((await post({ cookie: cookieOf(alice), referer: `${server.url}/c/${conversationId}` }, 'by referer')).status).toBe(201);
  });

  it('are refused (403) from another origin, an opaque one, or one that names none, and change nothing', async () => {
    const cases: [string, Record<string, string>][] = [
      ['another port', { origin: ATTACKER }],
      ['a sibling host', { origin: server.url.replace('127.0.0.1', 'localhost') }],
      ['referer of another origin', { referer: `${ATTACKER}/page.html` }],
      ['opaque origin', { origin: 'null' }],
      ['neither header', {}],
    ];
    for (const [what, headers] of cases) {
      const content = `forged: ${what}`;
      const response = await post({ cookie: cookieOf(alice), ...headers }, content);
      expect(response.status, what).toBe(403);
      expect(response.body?.error?.code, what).toBe('forbidden');
      expect(await stored(content), what).toBe(0);
    }
  });

  it('refuses a text/plain body (what a cross-site form can send) even from our origin: 415', async () => {
    const response = await post({ cookie: cookieOf(alice), origin: server.url }, 'as text', 'text/plain');
    expect(response.status).toBe(415);
    expect(response.body?.error?.message).toMatch(/application\/json/);
    expect(await stored('as text')).toBe(0);
  });

  it('leaves reads alone: a page elsewhere cannot read the answer anyway', async () => {
    const response = await fetch(`${server.url}/api/me`, { headers: { cookie: cookieOf(alice), origin: ATTACKER } });
    expect(response.status).toBe(200);
  });

  it('refuses next-auth\'s own posts from another origin, and takes them from ours', async () => {
    const signOut = (origin: string) =>
      fetch(`${server.url}/api/auth/signout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookieOf(alice), origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'json=true',
      });
    expect((await signOut(ATTACKER)).status).toBe(403);
    expect((await signOut(server.url)).status).not.toBe(403);
  });
});

describe('bearer clients', () => {
  it('are unaffected by Origin; a cookie beside the bearer token is not what authenticates', async () => {
    const response = await post({ authorization: `Bearer ${bob.token}`, origin: ATTACKER }, 'bearer from anywhere');
    expect(response.status).toBe(201);
    const both = await post({ authorization: `Bearer ${bob.token}`, cookie: cookieOf(alice), origin: ATTACKER }, 'bearer beside a cookie');
    expect(both.status).toBe(201);
    expect(both.body?.message?.senderId).toBe(bob.user.id);
  });
});

describe('socket handshakes', () => {
  function handshake(options: { cookie?: string; origin?: string; token?: string }) {
    const socket = io(server.url + CHAT_NAMESPACE, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: options.token ? { token: options.token } : {},
      extraHeaders: { ...(options.cookie ? { cookie: options.cookie } : {}), ...(options.origin ? { origin: options.origin } : {}) },
    });
    return new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error) => resolve(error.message));
    }).finally(() => socket.close());
  }

  it('take the cookie from our origin only', async () => {
    expect(await handshake({ cookie: cookieOf(alice), origin: server.url })).toBe('connected');
    expect(await handshake({ cookie: cookieOf(alice), origin: ATTACKER })).toBe('unauthorized');
    expect(await handshake({ cookie: cookieOf(alice) })).toBe('unauthorized');
  });

  it('cannot be hijacked by adding a made-up token to the cookie; a real token works from anywhere', async () => {
    expect(await handshake({ cookie: cookieOf(alice), origin: ATTACKER, token: 'made-up' })).toBe('unauthorized');
    expect(await handshake({ origin: ATTACKER, token: bob.token })).toBe('connected');
  });
});
