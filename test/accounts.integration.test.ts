// Accounts people manage themselves: display name, avatar (cropped square, served under the
// attachments' rules: signed in, and able to see its owner), and deleting the account (messages
// stay as "Deleted user", personal data goes, no sign-in or token works again).
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server';
import { connectClient, createUser, postJson, TEST_PASSWORD, tokenFor, uniqueName } from './helpers/factories';
import { api, eventually, privateChat, type Member } from './helpers/chat';
import { sendMessage } from '@/lib/chat/messages';

let server: TestServer;
let admin: Member;

beforeAll(async () => {
  server = await startTestServer();
  const user = await createUser(server.context.db);
  admin = { user, token: await tokenFor(server.config, user) };
});
afterAll(async () => {
  await server?.close();
});

async function member(username = uniqueName('acc')): Promise<Member> {
  const user = await createUser(server.context.db, { username });
  return { user, token: await tokenFor(server.config, user) };
}

function uploadAvatar(token: string, body: Buffer, type: string) {
  return fetch(`${server.url}/api/me/avatar`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: new Uint8Array(body) });
}

describe('profile', () => {
  it('changes the display name, which others then see', async () => {
    const [me, other] = [await member(), await member()];
    const chat = await privateChat(server, me, other);
    const response = await api(server, me.token, 'PATCH', '/api/me', { name: '  Ada Lovelace ' });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ id: me.user.id, name: 'Ada Lovelace' });
    const seen = await api(server, other.token, 'GET', `/api/conversations/${chat.id}`);
    expect(seen.body.conversation.participants.map((p: { user: { name: string } }) => p.user.name)).toContain('Ada Lovelace');
    expect((await api(server, me.token, 'PATCH', '/api/me', { name: '' })).status).toBe(400);
    expect((await api(server, me.token, 'PATCH', '/api/me', { name: 'tab\tname' })).status).toBe(400);
  });
});

describe('avatars', () => {
  it('are cropped to a 256 px square and served to the owner and people who may see them, 404 to others', async () => {
    const [me, contact, stranger] = [await member(), await member(), await member()];
    await privateChat(server, me, contact);
    const wide = await sharp({ create: { width: 600, height: 200, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
    const response = await uploadAvatar(me.token, wide, 'image/png');
    expect(response.status).toBe(200);
    const { user } = (await response.json()) as { user: { avatarUrl: string } };
    expect(user.avatarUrl).toMatch(new RegExp(`^/api/users/${me.user.id}/avatar\\?v=`));

    const mine = await fetch(server.url + user.avatarUrl, { headers: { authorization: `Bearer ${me.token}` } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('image/webp');
    expect(mine.headers.get('cache-control')).toContain('private');
    const meta = await sharp(Buffer.from(await mine.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 256]);

    expect((await fetch(server.url + user.avatarUrl, { headers: { authorization: `Bearer ${contact.token}` } })).status).toBe(200);
    expect((await fetch(server.url + user.avatarUrl)).status).toBe(401);
    // The directory lists everyone: anyone signed in may see the picture people search shows.
    expect((await fetch(server.url + user.avatarUrl, { headers: { authorization: `Bearer ${stranger.token}` } })).status).toBe(200);
    await api(server, admin.token, 'PATCH', '/api/admin/settings', { directoryVisibility: 'shared' });
    try {
      expect((await fetch(server.url + user.avatarUrl, { headers: { authorization: `Bearer ${stranger.token}` } })).status).toBe(404);
      expect((await fetch(server.url + user.avatarUrl, { headers: { authorization: `Bearer ${contact.token}` } })).status).toBe(200);
    } finally {
      await api(server, admin.token, 'PATCH', '/api/admin/settings', { directoryVisibility: 'everyone' });
    }

    // A new picture replaces the old one in storage; removing it leaves none.
    const before = await server.context.db.user.findUniqueOrThrow({ where: { id: me.user.id } });
    const tall = await sharp({ create: { width: 100, height: 300, channels: 4, background: '#0000ff' } }).jpeg().toBuffer();
    expect((await uploadAvatar(me.token, tall, 'image/jpeg')).status).toBe(200);
    expect(await server.context.storage.get(before.avatarKey!)).toBeNull();
    const removed = await api(server, me.token, 'DELETE', '/api/me/avatar');
    expect(removed.body.user.avatarUrl).toBeNull();
    expect((await fetch(server.url + user.avatarUrl, { headers: { authorization: `Bearer ${me.token}` } })).status).toBe(404);
  });

  it('refuses what is not an allowed image, and anything over 5 MiB', async () => {
    const me = await member();
    expect((await uploadAvatar(me.token, Buffer.from('GIF89a but not really'), 'image/gif')).status).toBe(415);
    expect((await uploadAvatar(me.token, Buffer.from('%PDF-1.7'), 'application/pdf')).status).toBe(415);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect((await uploadAvatar(me.token, svg, 'image/svg+xml')).status).toBe(415);
    expect((await uploadAvatar(me.token, Buffer.alloc(5 * 1024 * 1024 + 1), 'image/png')).status).toBe(413);
    expect((await server.context.db.user.findUniqueOrThrow({ where: { id: me.user.id } })).avatarKey).toBeNull();
  });
});

describe('deleting an account', () => {
  it('needs the password; then messages stay as "Deleted user", personal data goes, nothing signs in', async () => {
    const username = uniqueName('del');
    const [me, other] = [await member(username), await member()];
    const chat = await privateChat(server, me, other);
    const sent = await sendMessage(server.context.db, me.user.id, { conversationId: chat.id, content: 'remember me', messageType: 'text' });
    const signedIn = await postJson(`${server.url}/api/auth/token`, { username, password: TEST_PASSWORD });
    const token = (signedIn.body as { token: string }).token;
    const socket = await connectClient(server.url, token);
    let gone = false;
    socket.on('disconnect', () => (gone = true));
    const wide = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#00ff00' } }).png().toBuffer();
    expect((await uploadAvatar(token, wide, 'image/png')).status).toBe(200);
    const avatarKey = (await server.context.db.user.findUniqueOrThrow({ where: { id: me.user.id } })).avatarKey!;

    expect((await api(server, token, 'DELETE', '/api/me', { password: 'not my password' })).status).toBe(401);
    const response = await fetch(`${server.url}/api/me`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: TEST_PASSWORD }),
    });
    expect(response.status).toBe(204);
    await eventually(() => gone, 2000, 'the socket to be disconnected');

    const history = await api(server, other.token, 'GET', `/api/conversations/${chat.id}/messages`);
    const kept = history.body.messages.find((m: { id: string }) => m.id === sent.message.id);
    expect(kept).toMatchObject({ content: 'remember me', sender: { id: me.user.id, name: 'Deleted user', avatarUrl: null } });
    expect(kept.sender.username).not.toBe(username);

    const row = await server.context.db.user.findUniqueOrThrow({ where: { id: me.user.id } });
    expect(row).toMatchObject({ isActive: false, passwordHash: '', avatarKey: null, avatarUrl: null, name: 'Deleted user' });
    expect(row.email).not.toContain(username);
    expect(row.deletedAt).not.toBeNull();
    expect(await server.context.storage.get(avatarKey)).toBeNull();

    expect((await postJson(`${server.url}/api/auth/token`, { username, password: TEST_PASSWORD })).status).toBe(401);
    expect((await api(server, token, 'GET', '/api/me')).status).toBe(401);
    await expect(connectClient(server.url, token)).rejects.toThrow('unauthorized');
    // The name is free again.
    expect((await postJson(`${server.url}/api/auth/register`, { email: `${username}@example.test`, username, password: TEST_PASSWORD })).status).toBe(201);
  });
});
