// The REST surface of the contract, through the whole server (Next route handlers included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server';
import { nextEvent } from './helpers/factories';
import { api, connect, groupChat, makeMembers, privateChat, type Member } from './helpers/chat';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const NO_SUCH_ID = '01900000-0000-7000-8000-000000000000';

async function send(member: Member, conversationId: string, content: string, extra: Record<string, unknown> = {}) {
  const response = await api(server, member.token, 'POST', `/api/conversations/${conversationId}/messages`, { content, ...extra });
  expect(response.status).toBe(201);
  return response.body.message as { id: string; content: string; createdAt: string };
}

describe('conversations', () => {
  it('creates a private conversation once; the same pair gets it back with 200', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const created = await api(server, alice!.token, 'POST', '/api/conversations', { type: 'private', participantIds: [bob!.user.id] });
    expect(created.status).toBe(201);
    expect(created.body.conversation).toMatchObject({ type: 'private', unreadCount: 0, lastMessage: null });
    const again = await api(server, bob!.token, 'POST', '/api/conversations', { type: 'private', participantIds: [alice!.user.id] });
    expect(again.status).toBe(200);
    expect(again.body.conversation.id).toBe(created.body.conversation.id);
  });

  it('keeps one private conversation per pair under concurrent creation', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2
          ? api(server, alice!.token, 'POST', '/api/conversations', { type: 'private', participantIds: [bob!.user.id] })
          : api(server, bob!.token, 'POST', '/api/conversations', { type: 'private', participantIds: [alice!.user.id] }),
      ),
    );
    expect(attempts.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(attempts.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(attempts.map((r) => r.body.conversation.id)).size).toBe(1);
    const count = await server.context.db.conversation.count({
      where: { type: 'private', AND: [{ participants: { some: { userId: alice!.user.id } } }, { participants: { some: { userId: bob!.user.id } } }] },
    });
    expect(count).toBe(1);
  });

  it('tells the other member about a new conversation over the socket', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const socket = await connect(server, bob!);
    try {
      const announced = nextEvent(socket, 'newConversation');
      const created = await api(server, alice!.token, 'POST', '/api/conversations', { type: 'group', name: 'Ops', participantIds: [bob!.user.id] });
      expect(created.status).toBe(201);
      expect((await announced).conversation.id).toBe(created.body.conversation.id);
    } finally {
      socket.close();
    }
  });

  it('refuses bad input with 400 and a message', async () => {
    const [alice] = await makeMembers(server, 1);
    for (const body of [
      { type: 'private', participantIds: [] },
      { type: 'private', participantIds: [alice!.user.id] },
      { type: 'group', participantIds: ['not-an-id'] },
      { type: 'group', participantIds: [NO_SUCH_ID] },
      { type: 'channel', participantIds: [] },
      { type: 'group', name: 'x'.repeat(101), participantIds: [NO_SUCH_ID] },
    ]) {
      const response = await api(server, alice!.token, 'POST', '/api/conversations', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
    }
  });

  it('lists conversations by last activity with participants, last message and unread count', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const withBob = await privateChat(server, alice!, bob!);
    const withCarol = await privateChat(server, alice!, carol!);
    await send(bob!, withBob.id, 'hi from bob');
    await send(carol!, withCarol.id, 'hi from carol');
    await send(carol!, withCarol.id, 'again');
    const { status, body } = await api(server, alice!.token, 'GET', '/api/conversations');
    expect(status).toBe(200);
    expect(body.conversations.map((c: { id: string }) => c.id)).toEqual([withCarol.id, withBob.id]);
    const [first, second] = body.conversations;
    expect(first).toMatchObject({ unreadCount: 2, lastMessage: { content: 'again' } });
    expect(second).toMatchObject({ unreadCount: 1, lastMessage: { content: 'hi from bob', sender: { id: bob!.user.id } } });
    expect(first.participants.map((p: { user: { id: string } }) => p.user.id).sort()).toEqual([alice!.user.id, carol!.user.id].sort());
    expect(JSON.stringify(body)).not.toContain('@example.test');

    const unread = await api(server, alice!.token, 'GET', '/api/unread');
    expect(unread.body).toEqual({
      total: 3,
      byConversation: { [withBob.id]: 1, [withCarol.id]: 2 },
      mentions: 0,
      mentionsByConversation: { [withBob.id]: 0, [withCarol.id]: 0 },
    });
  });

  it('answers 404 to non-members and unknown or malformed ids alike', async () => {
    const [alice, bob, mallory] = await makeMembers(server, 3);
    const conversation = await privateChat(server, alice!, bob!);
    const message = await send(alice!, conversation.id, 'secret plans');
    const paths = [
      ['GET', `/api/conversations/${conversation.id}`],
      ['GET', `/api/conversations/${conversation.id}/messages`],
      ['GET', `/api/conversations/${conversation.id}/messages?after=${message.id}`],
      ['GET', `/api/conversations/${conversation.id}/search?q=secret`],
      ['PATCH', `/api/conversations/${conversation.id}`],
      ['POST', `/api/conversations/${conversation.id}/participants`],
      ['PATCH', `/api/messages/${message.id}`],
      ['DELETE', `/api/messages/${message.id}`],
      ['GET', `/api/conversations/${NO_SUCH_ID}`],
      ['GET', '/api/conversations/not-a-uuid'],
    ] as const;
    for (const [method, path] of paths) {
      const body = method === 'PATCH' ? { content: 'x', name: 'x' } : method === 'POST' ? { userId: mallory!.user.id } : undefined;
      const response = await api(server, mallory!.token, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('secret');
    }
    expect((await api(server, undefined, 'GET', `/api/conversations/${conversation.id}`)).status).toBe(401);
  });
});

describe('history paging', () => {
  it('pages back with before, catches up with after, and stays stable while messages arrive', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const sent: string[] = [];
    for (let i = 0; i < 25; i += 1) sent.push((await send(i % 2 ? bob! : alice!, conversation.id, `m${i}`)).id);
    const base = `/api/conversations/${conversation.id}/messages`;

    const newest = await api(server, bob!.token, 'GET', `${base}?limit=10`);
    expect(newest.body.messages.map((m: { id: string }) => m.id)).toEqual(sent.slice(15));
    expect(newest.body).toMatchObject({ hasMore: true, nextCursor: sent[15] });

    // New messages arrive meanwhile; the next older page is unaffected.
    const during = await Promise.all([0, 1, 2, 3, 4].map((i) => send(alice!, conversation.id, `late${i}`)));
    const older = await api(server, bob!.token, 'GET', `${base}?limit=10&before=${newest.body.nextCursor}`);
    expect(older.body.messages.map((m: { id: string }) => m.id)).toEqual(sent.slice(5, 15));
    const oldest = await api(server, bob!.token, 'GET', `${base}?limit=10&before=${older.body.nextCursor}`);
    expect(oldest.body.messages.map((m: { id: string }) => m.id)).toEqual(sent.slice(0, 5));
    expect(oldest.body.hasMore).toBe(false);

    const caughtUp = await api(server, bob!.token, 'GET', `${base}?after=${sent[24]}`);
    expect(caughtUp.body.messages.map((m: { id: string }) => m.id).sort()).toEqual(during.map((m) => m.id).sort());
    expect(caughtUp.body.hasMore).toBe(false);
  });

  it('validates the page parameters', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const base = `/api/conversations/${conversation.id}/messages`;
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'before=nope', `before=${NO_SUCH_ID}`, `before=${NO_SUCH_ID}&after=${NO_SUCH_ID}`]) {
      expect((await api(server, alice!.token, 'GET', `${base}?${query}`)).status, query).toBe(400);
    }
    expect((await api(server, alice!.token, 'GET', `${base}?limit=100`)).status).toBe(200);
  });
});

describe('unread counts', () => {
  it('count what others sent after the read cursor and since joining', async () => {
    const [admin, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, admin!, [bob!]);
    const before = await send(bob!, group.id, 'before carol');
    expect((await api(server, admin!.token, 'POST', `/api/conversations/${group.id}/participants`, { userId: carol!.user.id })).status).toBe(201);
    const unreadOf = async (member: Member) => (await api(server, member.token, 'GET', '/api/unread')).body.byConversation[group.id];
    expect(await unreadOf(carol!)).toBe(0);
    expect(await unreadOf(admin!)).toBe(1);
    await send(bob!, group.id, 'after carol');
    await send(admin!, group.id, 'from the admin');
    expect(await unreadOf(carol!)).toBe(2);
    expect(await unreadOf(admin!)).toBe(2);
    const adminSocket = await connect(server, admin!);
    try {
      expect(await adminSocket.timeout(5000).emitWithAck('markAsRead', { conversationId: group.id, messageId: before.id })).toEqual({ ok: true, advanced: true });
    } finally {
      adminSocket.close();
    }
    expect(await unreadOf(admin!)).toBe(1);
    const { body } = await api(server, admin!.token, 'GET', `/api/conversations/${group.id}`);
    expect(body.conversation.participants.find((p: { user: { id: string } }) => p.user.id === admin!.user.id)).toMatchObject({
      lastReadMessageId: before.id,
      lastReadSeq: 1,
      lastDeliveredSeq: 1,
    });
  });
});

describe('search', () => {
  it('finds whole words and prefixes, newest first, and never deleted messages', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const first = await send(alice!, conversation.id, 'The deploy is green');
    await send(bob!, conversation.id, 'Lunch?');
    const second = await send(bob!, conversation.id, 'Deployment finished, all green');
    const gone = await send(alice!, conversation.id, 'green light for the deploy');
    await api(server, alice!.token, 'DELETE', `/api/messages/${gone.id}`);
    const search = (q: string) => api(server, bob!.token, 'GET', `/api/conversations/${conversation.id}/search?q=${encodeURIComponent(q)}`);
    expect((await search('green')).body.messages.map((m: { id: string }) => m.id)).toEqual([second.id, first.id]);
    expect((await search('deploy GREEN')).body.messages.map((m: { id: string }) => m.id)).toEqual([second.id, first.id]);
    expect((await search('lunch')).body.messages).toHaveLength(1);
  });

  it('is safe for any query string', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    await send(alice!, conversation.id, 'a perfectly normal message');
    for (const q of ["'); DROP TABLE \"Message\"; --", '.*', '(((', ':* & | !', '\\', '%_%', 'ünïcödé 日本語', '$regex']) {
      const response = await api(server, bob!.token, 'GET', `/api/conversations/${conversation.id}/search?q=${encodeURIComponent(q)}`);
      expect(response.status, q).toBe(200);
      expect(Array.isArray(response.body.messages)).toBe(true);
    }
    expect((await api(server, bob!.token, 'GET', `/api/conversations/${conversation.id}/search?q=`)).status).toBe(400);
    expect(await server.context.db.message.count({ where: { conversationId: conversation.id } })).toBe(1);
  });
});

describe('group membership', () => {
  it('admins add and remove, members leave, and a non-admin cannot manage', async () => {
    const [admin, bob, carol, dave] = await makeMembers(server, 4);
    const group = await groupChat(server, admin!, [bob!]);
    const path = `/api/conversations/${group.id}/participants`;
    expect((await api(server, admin!.token, 'POST', path, { userId: carol!.user.id })).status).toBe(201);
    expect((await api(server, admin!.token, 'POST', path, { userId: carol!.user.id })).status).toBe(409);
    expect((await api(server, bob!.token, 'POST', path, { userId: dave!.user.id })).status).toBe(403);
    expect((await api(server, bob!.token, 'DELETE', `${path}/${carol!.user.id}`)).status).toBe(403);
    expect((await api(server, carol!.token, 'GET', `/api/conversations/${group.id}`)).status).toBe(200);

    const carolSocket = await connect(server, carol!);
    try {
      const removed = nextEvent(carolSocket, 'removedFromConversation');
      expect((await api(server, admin!.token, 'DELETE', `${path}/${carol!.user.id}`)).status).toBe(204);
      // Removed by an admin, Carol keeps a read-only view up to her removal (channels.integration.test.ts).
      expect(await removed).toMatchObject({ conversationId: group.id, conversation: { id: group.id, left: { removedBy: { id: admin!.user.id } } } });
      expect((await api(server, carol!.token, 'GET', `/api/conversations/${group.id}`)).body.conversation.left).not.toBeNull();
      expect((await api(server, carol!.token, 'POST', `/api/conversations/${group.id}/messages`, { content: 'still here?' })).status).toBe(404);
    } finally {
      carolSocket.close();
    }
    expect((await api(server, bob!.token, 'DELETE', `${path}/${bob!.user.id}`)).status).toBe(204);
    expect((await api(server, bob!.token, 'GET', `/api/conversations/${group.id}`)).status).toBe(404);
  });

  it('when the last admin leaves, the longest-standing member becomes admin', async () => {
    const [admin, early, late] = await makeMembers(server, 3);
    const group = await groupChat(server, admin!, [early!]);
    await api(server, admin!.token, 'POST', `/api/conversations/${group.id}/participants`, { userId: late!.user.id });
    expect((await api(server, admin!.token, 'DELETE', `/api/conversations/${group.id}/participants/${admin!.user.id}`)).status).toBe(204);
    const { body } = await api(server, early!.token, 'GET', `/api/conversations/${group.id}`);
    const roles = Object.fromEntries(body.conversation.participants.map((p: { user: { id: string }; role: string }) => [p.user.id, p.role]));
    expect(roles).toEqual({ [early!.user.id]: 'admin', [late!.user.id]: 'member' });
  });

  it('private conversations keep their two people', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const conversation = await privateChat(server, alice!, bob!);
    expect((await api(server, alice!.token, 'POST', `/api/conversations/${conversation.id}/participants`, { userId: carol!.user.id })).status).toBe(400);
    expect((await api(server, alice!.token, 'DELETE', `/api/conversations/${conversation.id}/participants/${alice!.user.id}`)).status).toBe(400);
  });

  it('renames a group (admins only) and keeps per-user mute and archive settings', async () => {
    const [admin, bob] = await makeMembers(server, 2);
    const group = await groupChat(server, admin!, [bob!]);
    expect((await api(server, bob!.token, 'PATCH', `/api/conversations/${group.id}`, { name: 'Mine' })).status).toBe(403);
    const renamed = await api(server, admin!.token, 'PATCH', `/api/conversations/${group.id}`, { name: 'Renamed' });
    expect(renamed.body.conversation.name).toBe('Renamed');
    const until = new Date(Date.now() + 3600_000).toISOString();
    const muted = await api(server, bob!.token, 'PATCH', `/api/conversations/${group.id}/settings`, { mutedUntil: until, archived: true });
    expect(muted.body.conversation).toMatchObject({ mutedUntil: until, archivedAt: expect.any(String) });
    const adminView = await api(server, admin!.token, 'GET', `/api/conversations/${group.id}`);
    expect(adminView.body.conversation).toMatchObject({ name: 'Renamed', mutedUntil: null, archivedAt: null });
  });
});

describe('editing and deleting', () => {
  it('the author edits within 15 minutes; others cannot; deleting keeps the id and drops the content', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const message = await send(alice!, conversation.id, 'draft');
    const edited = await api(server, alice!.token, 'PATCH', `/api/messages/${message.id}`, { content: 'final' });
    expect(edited.body.message).toMatchObject({ content: 'final', editedAt: expect.any(String) });
    expect((await api(server, bob!.token, 'PATCH', `/api/messages/${message.id}`, { content: 'mine now' })).status).toBe(403);
    expect((await api(server, alice!.token, 'PATCH', `/api/messages/${message.id}`, { content: '   ' })).status).toBe(400);

    await server.context.db.message.update({ where: { id: message.id }, data: { createdAt: new Date(Date.now() - 16 * 60_000) } });
    const late = await api(server, alice!.token, 'PATCH', `/api/messages/${message.id}`, { content: 'too late' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('edit_window_passed');

    expect((await api(server, bob!.token, 'DELETE', `/api/messages/${message.id}`)).status).toBe(403);
    expect((await api(server, alice!.token, 'DELETE', `/api/messages/${message.id}`)).status).toBe(200);
    const history = await api(server, bob!.token, 'GET', `/api/conversations/${conversation.id}/messages`);
    expect(history.body.messages).toEqual([expect.objectContaining({ id: message.id, content: '', deletedAt: expect.any(String) })]);
    expect((await api(server, alice!.token, 'PATCH', `/api/messages/${message.id}`, { content: 'revive' })).status).toBe(409);
  });

  it('replies quote the original in the same conversation only', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const conversation = await privateChat(server, alice!, bob!);
    const other = await privateChat(server, alice!, carol!);
    const original = await send(alice!, conversation.id, 'Question?');
    const reply = await send(bob!, conversation.id, 'Answer.', { replyTo: original.id });
    expect(reply).toMatchObject({ replyTo: { id: original.id, content: 'Question?', senderName: alice!.user.name } });
    const elsewhere = await api(server, alice!.token, 'POST', `/api/conversations/${other.id}/messages`, { content: 'x', replyTo: original.id });
    expect(elsewhere.status).toBe(400);
  });
});

describe('users', () => {
  it('finds up to 20 users by username or name prefix, never the asker', async () => {
    const [alice] = await makeMembers(server, 1);
    const { body } = await api(server, alice!.token, 'GET', `/api/users?q=${alice!.user.username.slice(0, 6)}`);
    expect(body.users.length).toBeLessThanOrEqual(20);
    expect(body.users.map((u: { id: string }) => u.id)).not.toContain(alice!.user.id);
    const [bob] = await makeMembers(server, 1);
    const found = await api(server, alice!.token, 'GET', `/api/users?q=${bob!.user.username}`);
    expect(found.body.users).toEqual([{ id: bob!.user.id, username: bob!.user.username, name: bob!.user.name, avatarUrl: null }]);
  });
});
