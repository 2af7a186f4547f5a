// Server administration: who is an admin (the first account, ADMIN_EMAILS, made by an admin), the
// check every admin route and event makes first (anyone else: 404 / not_found), deactivation
// (sockets disconnected at once, no sign-in, no token), registration modes and server invites,
// password reset links, moderation, server settings (upload limit, directory visibility) and the
// audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server';
import { connectClient, createUser, nextEvent, postJson, TEST_PASSWORD, tokenFor, uniqueName } from './helpers/factories';
import { api, eventually, groupChat, privateChat, type Member } from './helpers/chat';
import { sendMessage } from '@/lib/chat/messages';

const CONFIG_ADMIN_EMAIL = `${uniqueName('boss')}@example.test`;

let server: TestServer;
let admin: Member;

beforeAll(async () => {
  server = await startTestServer({ env: { ADMIN_EMAILS: `someone@else.test, ${CONFIG_ADMIN_EMAIL.toUpperCase()}` } });
  // The first account on this empty server.
  const user = await createUser(server.context.db);
  admin = { user, token: await tokenFor(server.config, user) };
});
afterAll(async () => {
  await server?.close();
});

async function member(): Promise<Member> {
  const user = await createUser(server.context.db);
  return { user, token: await tokenFor(server.config, user) };
}

async function tokenBySignIn(username: string, password = TEST_PASSWORD) {
  return postJson(`${server.url}/api/auth/token`, { username, password });
}

async function setSettings(body: Record<string, unknown>) {
  const response = await api(server, admin.token, 'PATCH', '/api/admin/settings', body);
  expect(response.status).toBe(200);
  return response.body.settings as Record<string, unknown>;
}

function register(username: string, extra: Record<string, unknown> = {}) {
  return postJson(`${server.url}/api/auth/register`, { email: `${username}@example.test`, username, password: TEST_PASSWORD, ...extra });
}

describe('who is a server admin', () => {
  it('the first account is; the accounts after it are not', async () => {
    expect((await api(server, admin.token, 'GET', '/api/me')).body.isAdmin).toBe(true);
    const other = await member();
    expect((await api(server, other.token, 'GET', '/api/me')).body.isAdmin).toBe(false);
  });

  it('an account whose e-mail is in ADMIN_EMAILS is, whatever its case', async () => {
    const username = uniqueName('cfg');
    const user = await createUser(server.context.db, { username });
    await server.context.db.user.update({ where: { id: user.id }, data: { email: CONFIG_ADMIN_EMAIL } });
    const token = await tokenFor(server.config, user);
    expect((await api(server, token, 'GET', '/api/me')).body.isAdmin).toBe(true);
    expect((await api(server, token, 'GET', '/api/admin/settings')).status).toBe(200);
    const listed = await api(server, admin.token, 'GET', `/api/admin/users?q=${username}`);
    expect(listed.body.users[0]).toMatchObject({ isAdmin: true, adminByConfig: true });
    // Not revocable in the console: the configuration says so.
    expect((await api(server, admin.token, 'PATCH', `/api/admin/users/${user.id}`, { admin: false })).status).toBe(409);
  });
});

describe('the admin check', () => {
  const someId = '0190f5a2-0000-7000-8000-000000000000';
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/admin/settings'],
    ['PATCH', '/api/admin/settings', { registrationMode: 'open' }],
    ['GET', '/api/admin/users'],
    ['PATCH', `/api/admin/users/${someId}`, { active: false }],
    ['POST', `/api/admin/users/${someId}/reset-link`],
    ['DELETE', `/api/admin/messages/${someId}`],
    ['GET', '/api/admin/invites'],
    ['POST', '/api/admin/invites', {}],
    ['DELETE', `/api/admin/invites/${someId}`],
    ['GET', '/api/admin/audit'],
  ];

  it('answers 404 to a signed-in non-admin on every admin route, and 401 to no one signed in', async () => {
    const plain = await member();
    // A real target for the routes that name one, so only the admin check can refuse.
    const victim = await member();
    const chat = await privateChat(server, plain, victim);
    const sent = await sendMessage(server.context.db, victim.user.id, { conversationId: chat.id, content: 'mine', messageType: 'text' });
    for (const [method, path, body] of routes) {
      const real = path.replace(`users/${someId}`, `users/${victim.user.id}`).replace(`messages/${someId}`, `messages/${sent.message.id}`);
      const asPlain = await api(server, plain.token, method, real, body);
      expect({ method, path, status: asPlain.status }).toEqual({ method, path, status: 404 });
      const anonymous = await api(server, undefined, method, real, body);
      expect({ method, path, status: anonymous.status }).toEqual({ method, path, status: 401 });
    }
    // Nothing happened: the victim is active, the message is there, nothing was audited by them.
    const victimRow = await server.context.db.user.findUniqueOrThrow({ where: { id: victim.user.id } });
    expect(victimRow.isActive).toBe(true);
    const message = await server.context.db.message.findUniqueOrThrow({ where: { id: sent.message.id } });
    expect(message.deletedAt).toBeNull();
    expect(await server.context.db.auditEntry.count({ where: { actorId: plain.user.id } })).toBe(0);
  });

  it('answers not_found to a non-admin’s removeMessage event, and lets an admin’s through', async () => {
    const [a, b] = [await member(), await member()];
    const chat = await privateChat(server, a, b);
    const sent = await sendMessage(server.context.db, b.user.id, { conversationId: chat.id, content: 'hello', messageType: 'text' });
    const socket = await connectClient(server.url, a.token);
    try {
      const ack = await socket.emitWithAck('removeMessage', { messageId: sent.message.id });
      expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect((await server.context.db.message.findUniqueOrThrow({ where: { id: sent.message.id } })).deletedAt).toBeNull();

      const deleted = nextEvent(socket, 'messageDeleted');
      const adminSocket = await connectClient(server.url, admin.token);
      try {
        expect(await adminSocket.emitWithAck('removeMessage', { messageId: sent.message.id })).toEqual({ ok: true, messageId: sent.message.id });
      } finally {
        adminSocket.close();
      }
      expect(await deleted).toEqual({ messageId: sent.message.id, conversationId: chat.id, removedByAdmin: true });
    } finally {
      socket.close();
    }
  });

  it('a user made admin gets in; a demoted one is out again; an admin cannot demote or deactivate themselves', async () => {
    const other = await member();
    expect((await api(server, admin.token, 'PATCH', `/api/admin/users/${other.user.id}`, { admin: true })).body.user.isAdmin).toBe(true);
    expect((await api(server, other.token, 'GET', '/api/admin/users')).status).toBe(200);
    expect((await api(server, admin.token, 'PATCH', `/api/admin/users/${other.user.id}`, { admin: false })).status).toBe(200);
    expect((await api(server, other.token, 'GET', '/api/admin/users')).status).toBe(404);

    expect((await api(server, admin.token, 'PATCH', `/api/admin/users/${admin.user.id}`, { admin: false })).status).toBe(409);
    expect((await api(server, admin.token, 'PATCH', `/api/admin/users/${admin.user.id}`, { active: false })).status).toBe(409);
  });
});

describe('deactivation', () => {
  it('disconnects every socket of the user at once; they cannot sign in or use their tokens until reactivated', async () => {
    const username = uniqueName('off');
    const user = await createUser(server.context.db, { username });
    const signedIn = await tokenBySignIn(username);
    const token = (signedIn.body as { token: string }).token;
    const sockets = await Promise.all([connectClient(server.url, token), connectClient(server.url, token)]);
    const gone = sockets.map(() => false);
    sockets.forEach((socket, i) => socket.on('disconnect', () => (gone[i] = true)));

    const response = await api(server, admin.token, 'PATCH', `/api/admin/users/${user.id}`, { active: false });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ id: user.id, isActive: false });
    await eventually(() => gone.every(Boolean), 2000, 'both sockets to be disconnected');

    expect((await tokenBySignIn(username)).status).toBe(401);
    expect((await api(server, token, 'GET', '/api/me')).status).toBe(401);
    await expect(connectClient(server.url, token)).rejects.toThrow('unauthorized');
    // Not found by people search either.
    const looker = await member();
    expect((await api(server, looker.token, 'GET', `/api/users?q=${username}`)).body.users).toEqual([]);

    expect((await api(server, admin.token, 'PATCH', `/api/admin/users/${user.id}`, { active: true })).body.user.isActive).toBe(true);
    expect((await tokenBySignIn(username)).status).toBe(200);
    // Tokens from before the deactivation stay ended.
    expect((await api(server, token, 'GET', '/api/me')).status).toBe(401);
  });
});

describe('registration modes and server invites', () => {
  it('open takes anyone; closed refuses everyone; invite-only refuses without a valid invite', async () => {
    await setSettings({ registrationMode: 'open' });
    expect((await register(uniqueName('open'))).status).toBe(201);

    await setSettings({ registrationMode: 'closed' });
    const closed = await register(uniqueName('closed'));
    expect(closed.status).toBe(403);
    expect((await fetch(`${server.url}/api/server`).then((r) => r.json())) as unknown).toMatchObject({ registrationMode: 'closed' });

    await setSettings({ registrationMode: 'invite-only' });
    expect((await register(uniqueName('noinv'))).status).toBe(403);
    expect((await register(uniqueName('badinv'), { invite: 'not-a-real-invite' })).status).toBe(403);

    const created = await api(server, admin.token, 'POST', '/api/admin/invites', { maxUses: 2, expiresInHours: 24 });
    expect(created.status).toBe(201);
    const code = new URL(created.body.url as string).searchParams.get('invite')!;
    expect((await register(uniqueName('inv1'), { invite: code })).status).toBe(201);
    // A sign-up refused for another reason keeps the invite's use.
    const taken = await register(admin.user.username, { invite: code });
    expect(taken.status).toBe(409);
    expect((await register(uniqueName('inv2'), { invite: code })).status).toBe(201);
    // Used up.
    expect((await register(uniqueName('inv3'), { invite: code })).status).toBe(403);

    const another = await api(server, admin.token, 'POST', '/api/admin/invites', { maxUses: null, expiresInHours: 1 });
    const anotherCode = new URL(another.body.url as string).searchParams.get('invite')!;
    expect((await api(server, admin.token, 'DELETE', `/api/admin/invites/${another.body.invite.id}`)).status).toBe(204);
    expect((await register(uniqueName('revoked'), { invite: anotherCode })).status).toBe(403);

    const expiring = await api(server, admin.token, 'POST', '/api/admin/invites', { maxUses: null, expiresInHours: 1 });
    await server.context.db.serverInvite.update({ where: { id: expiring.body.invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expiredCode = new URL(expiring.body.url as string).searchParams.get('invite')!;
    expect((await register(uniqueName('expired'), { invite: expiredCode })).status).toBe(403);

    const listed = await api(server, admin.token, 'GET', '/api/admin/invites');
    expect(listed.body.invites.find((i: { id: string }) => i.id === created.body.invite.id)).toMatchObject({ uses: 2, maxUses: 2 });
    // The stored row holds no usable code.
    const row = await server.context.db.serverInvite.findUniqueOrThrow({ where: { id: created.body.invite.id } });
    expect(JSON.stringify(row)).not.toContain(code);

    await setSettings({ registrationMode: 'open' });
  });
});

describe('password reset links', () => {
  it('an admin makes a one-time link that sets a new password and ends every session', async () => {
    const username = uniqueName('rst');
    const user = await createUser(server.context.db, { username });
    const oldToken = ((await tokenBySignIn(username)).body as { token: string }).token;
    const socket = await connectClient(server.url, oldToken);
    let gone = false;
    socket.on('disconnect', () => (gone = true));

    const link = await api(server, admin.token, 'POST', `/api/admin/users/${user.id}/reset-link`);
    expect(link.status).toBe(201);
    const url = new URL(link.body.url as string);
    expect(url.pathname).toBe('/reset-password');
    const token = url.searchParams.get('token')!;
    expect(await server.context.db.passwordResetToken.count({ where: { tokenHash: token } })).toBe(0);

    const newPassword = 'a brand new passphrase';
    expect((await postJson(`${server.url}/api/auth/password-reset/confirm`, { token, newPassword })).status).toBe(200);
    await eventually(() => gone, 2000, 'the socket to be disconnected');
    expect((await api(server, oldToken, 'GET', '/api/me')).status).toBe(401);
    expect((await tokenBySignIn(username)).status).toBe(401);
    expect((await tokenBySignIn(username, newPassword)).status).toBe(200);
    // Single use.
    expect((await postJson(`${server.url}/api/auth/password-reset/confirm`, { token, newPassword: 'yet another passphrase' })).status).toBe(400);
  });

  it('refuses an expired link, a made-up one, and asking by e-mail when no SMTP is configured', async () => {
    const user = await createUser(server.context.db);
    const link = await api(server, admin.token, 'POST', `/api/admin/users/${user.id}/reset-link`);
    const token = new URL(link.body.url as string).searchParams.get('token')!;
    await server.context.db.passwordResetToken.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await postJson(`${server.url}/api/auth/password-reset/confirm`, { token, newPassword: 'whatever passphrase' })).status).toBe(400);
    expect((await postJson(`${server.url}/api/auth/password-reset/confirm`, { token: 'made-up', newPassword: 'whatever passphrase' })).status).toBe(400);
    expect((await postJson(`${server.url}/api/auth/password-reset`, { email: 'someone@example.test' })).status).toBe(503);
  });
});

describe('moderation', () => {
  it('an admin removes a message in a conversation they are not in; members see it removed by an admin', async () => {
    const [a, b, c] = [await member(), await member(), await member()];
    const group = await groupChat(server, a, [b, c]);
    const sent = await sendMessage(server.context.db, b.user.id, { conversationId: group.id, content: 'something awful', messageType: 'text' });
    const socket = await connectClient(server.url, a.token);
    try {
      const deleted = nextEvent(socket, 'messageDeleted');
      const response = await api(server, admin.token, 'DELETE', `/api/admin/messages/${sent.message.id}`);
      expect(response.status).toBe(200);
      expect(await deleted).toEqual({ messageId: sent.message.id, conversationId: group.id, removedByAdmin: true });
    } finally {
      socket.close();
    }
    const history = await api(server, c.token, 'GET', `/api/conversations/${group.id}/messages`);
    const shown = history.body.messages.find((m: { id: string }) => m.id === sent.message.id);
    expect(shown).toMatchObject({ content: '', removedByAdmin: true });
    expect(shown.deletedAt).not.toBeNull();
    // An author's own delete is not marked as moderation.
    const own = await sendMessage(server.context.db, c.user.id, { conversationId: group.id, content: 'oops', messageType: 'text' });
    expect((await api(server, c.token, 'DELETE', `/api/messages/${own.message.id}`)).status).toBeLessThan(300);
    const after = await api(server, c.token, 'GET', `/api/conversations/${group.id}/messages`);
    expect(after.body.messages.find((m: { id: string }) => m.id === own.message.id)).toMatchObject({ removedByAdmin: false });
    expect((await api(server, admin.token, 'DELETE', '/api/admin/messages/0190f5a2-0000-7000-8000-000000000000')).status).toBe(404);
  });
});

describe('server settings', () => {
  it('the upload limit applies to uploads at once, never above UPLOAD_MAX_BYTES', async () => {
    const settings = await setSettings({ name: 'Acme chat', uploadMaxBytes: 1000 });
    expect(settings).toMatchObject({ name: 'Acme chat', uploadMaxBytes: 1000, uploadCeilingBytes: server.config.uploadMaxBytes, mailConfigured: false });
    expect(await fetch(`${server.url}/api/server`).then((r) => r.json())).toMatchObject({ name: 'Acme chat' });
    const uploader = await member();
    const upload = async (bytes: number) => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(bytes, 'a')], { type: 'text/plain' }), 'notes.txt');
      return fetch(`${server.url}/api/uploads`, { method: 'POST', headers: { authorization: `Bearer ${uploader.token}` }, body: form });
    };
    expect((await upload(2000)).status).toBe(413);
    expect((await upload(900)).status).toBe(201);
    await setSettings({ uploadMaxBytes: server.config.uploadMaxBytes * 10 });
    const stored = await api(server, admin.token, 'GET', '/api/admin/settings');
    expect(stored.body.settings.uploadMaxBytes).toBe(server.config.uploadMaxBytes * 10);
    expect((await upload(2000)).status).toBe(201);
    await setSettings({ uploadMaxBytes: null });
    expect((await api(server, admin.token, 'PATCH', '/api/admin/settings', { name: 'bad\u0000name' })).status).toBe(400);
  });

  it('directory visibility "shared" lists only people who share a conversation with the one searching', async () => {
    const tag = uniqueName('dir');
    const named = async (suffix: string): Promise<Member> => {
      const user = await createUser(server.context.db, { username: `${tag}${suffix}` });
      return { user, token: await tokenFor(server.config, user) };
    };
    const [seeker, contact, stranger] = [await named('a'), await named('b'), await named('c')];
    await privateChat(server, seeker, contact);
    const search = async () => ((await api(server, seeker.token, 'GET', `/api/users?q=${tag}`)).body.users as { id: string }[]).map((u) => u.id).sort();
    // Search everywhere lists people too.
    const everywhere = async () => ((await api(server, seeker.token, 'GET', `/api/search?q=${tag}`)).body.people as { id: string }[]).map((u) => u.id).sort();

    expect(await search()).toEqual([contact.user.id, stranger.user.id].sort());
    expect(await everywhere()).toEqual([contact.user.id, stranger.user.id].sort());
    await setSettings({ directoryVisibility: 'shared' });
    try {
      expect(await search()).toEqual([contact.user.id]);
      expect(await everywhere()).toEqual([contact.user.id]);
    } finally {
      await setSettings({ directoryVisibility: 'everyone' });
    }
  });
});

describe('the audit log', () => {
  it('records admin actions, newest first, with who did them', async () => {
    const target = await member();
    await api(server, admin.token, 'PATCH', `/api/admin/users/${target.user.id}`, { active: false });
    await api(server, admin.token, 'PATCH', `/api/admin/users/${target.user.id}`, { active: true });
    const { body } = await api(server, admin.token, 'GET', '/api/admin/audit');
    const [newest, previous] = body.entries as { action: string; targetId: string; actor: { id: string } }[];
    expect(newest).toMatchObject({ action: 'user.reactivate', targetId: target.user.id, actor: { id: admin.user.id } });
    expect(previous).toMatchObject({ action: 'user.deactivate', targetId: target.user.id });
    const actions = new Set((body.entries as { action: string }[]).map((e) => e.action));
    for (const action of ['settings.update', 'invite.create', 'invite.revoke', 'user.reset_link', 'message.remove', 'user.make_admin', 'user.revoke_admin']) {
      expect(actions).toContain(action);
    }
  });
});
