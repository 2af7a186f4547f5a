// Public channels and the channel browser, invite links, timeline notes, removed members'
// read-only views, receipts against the members at the time, and last seen: through the whole
// server (route handlers and /chat), authorization first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDto, MessageDto } from '@/lib/protocol';
import { startTestServer, type TestServer } from './helpers/server';
import { nextEvent, uniqueName } from './helpers/factories';
import { api, collect, connect, eventually, groupChat, makeMembers, type Member } from './helpers/chat';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const ACK_MS = 5000;

async function send(member: Member, conversationId: string, content: string): Promise<MessageDto> {
  const response = await api(server, member.token, 'POST', `/api/conversations/${conversationId}/messages`, { content });
  expect(response.status).toBe(201);
  return response.body.message as MessageDto;
}

async function publicChannel(admin: Member, others: Member[] = [], name = uniqueName('channel')): Promise<ConversationDto> {
  const created = await api(server, admin.token, 'POST', '/api/conversations', {
    type: 'group',
    name,
    description: `All about ${name}`,
    privacy: 'public',
    participantIds: others.map((m) => m.user.id),
  });
  expect(created.status).toBe(201);
  return created.body.conversation as ConversationDto;
}

async function history(member: Member, conversationId: string, query = '') {
  return api(server, member.token, 'GET', `/api/conversations/${conversationId}/messages${query}`);
}

async function browse(member: Member, q: string, extra = '') {
  const response = await api(server, member.token, 'GET', `/api/channels?q=${encodeURIComponent(q)}${extra}`);
  expect(response.status).toBe(200);
  return response.body as { channels: { id: string; name: string; description: string | null; memberCount: number; joined: boolean }[]; nextCursor: string | null };
}

describe('channel browser', () => {
  it('never lists a private group, not even by its exact name, to members or anyone else', async () => {
    const [admin, bob, stranger] = await makeMembers(server, 3);
    const secret = uniqueName('secret');
    const group = await groupChat(server, admin!, [bob!], secret);
    for (const viewer of [stranger!, admin!, bob!]) expect((await browse(viewer, secret)).channels).toEqual([]);
    // Nor can anyone join it as if it were public.
    expect((await api(server, stranger!.token, 'POST', `/api/conversations/${group.id}/join`)).status).toBe(404);
    expect((await api(server, stranger!.token, 'GET', `/api/conversations/${group.id}`)).status).toBe(404);
  });

  it('lists public channels with name, description and member count, searchable in any case, a page at a time', async () => {
    const [admin, bob, viewer] = await makeMembers(server, 3);
    const stem = uniqueName('Garden');
    const a = await publicChannel(admin!, [bob!], `${stem}-alpha`);
    const b = await publicChannel(admin!, [], `${stem}-beta`);
    await publicChannel(admin!, [], uniqueName('unrelated'));

    const found = await browse(viewer!, stem.toUpperCase());
    expect(found.channels).toEqual([
      { id: a.id, name: `${stem}-alpha`, description: `All about ${stem}-alpha`, memberCount: 2, joined: false, lastActivityAt: expect.any(String) },
      { id: b.id, name: `${stem}-beta`, description: `All about ${stem}-beta`, memberCount: 1, joined: false, lastActivityAt: expect.any(String) },
    ]);
    const first = await browse(viewer!, stem, '&limit=1');
    expect(first.channels.map((c) => c.id)).toEqual([a.id]);
    const second = await browse(viewer!, stem, `&limit=1&cursor=${first.nextCursor}`);
    expect(second.channels.map((c) => c.id)).toEqual([b.id]);
    expect(second.nextCursor).toBeNull();
    // Wildcards are text: "%" finds nothing here.
    expect((await browse(viewer!, `${stem}%zzz`)).channels).toEqual([]);
    expect((await api(server, viewer!.token, 'GET', '/api/channels?q=%00')).status).toBe(400);
    expect((await api(server, undefined, 'GET', '/api/channels?q=x')).status).toBe(401);
  });

  it('anyone joins a public channel and reads its whole history; leaving drops it from their list', async () => {
    const [admin, joiner] = await makeMembers(server, 2);
    const channel = await publicChannel(admin!);
    const before = await send(admin!, channel.id, 'said before anyone joined');
    expect((await history(joiner!, channel.id)).status).toBe(404);

    const joined = await api(server, joiner!.token, 'POST', `/api/conversations/${channel.id}/join`);
    expect(joined.status).toBe(200);
    expect(joined.body.conversation.participants.map((p: { user: { id: string } }) => p.user.id)).toContain(joiner!.user.id);
    // History from before joining, then the note of the join; neither is unread.
    const page = (await history(joiner!, channel.id)).body.messages as MessageDto[];
    expect(page.map((m) => m.id)).toContain(before.id);
    expect(page.at(-1)).toMatchObject({ senderId: joiner!.user.id, system: { event: 'member_joined', via: 'browse' } });
    expect(joined.body.conversation.unreadCount).toBe(0);
    expect((await browse(joiner!, channel.name!)).channels[0]).toMatchObject({ joined: true, memberCount: 2 });
    expect((await api(server, joiner!.token, 'POST', `/api/conversations/${channel.id}/join`)).status).toBe(409);

    expect((await api(server, joiner!.token, 'DELETE', `/api/conversations/${channel.id}/participants/${joiner!.user.id}`)).status).toBe(204);
    const list = await api(server, joiner!.token, 'GET', '/api/conversations?include=left');
    expect(list.body.conversations.map((c: ConversationDto) => c.id)).not.toContain(channel.id);
    expect((await history(joiner!, channel.id)).status).toBe(404);
    // And back again.
    expect((await api(server, joiner!.token, 'POST', `/api/conversations/${channel.id}/join`)).status).toBe(200);
  });

  it('keeps public channel names unique, case-insensitive, on creation and when a group goes public', async () => {
    const [admin, bob] = await makeMembers(server, 2);
    const name = uniqueName('Design');
    await publicChannel(admin!, [], name);
    const clash = await api(server, bob!.token, 'POST', '/api/conversations', { type: 'group', name: name.toUpperCase(), privacy: 'public', participantIds: [] });
    expect(clash.status).toBe(409);
    const group = await groupChat(server, admin!, [bob!], name.toLowerCase());
    expect((await api(server, admin!.token, 'PATCH', `/api/conversations/${group.id}`, { privacy: 'public' })).status).toBe(409);
    const renamed = await api(server, admin!.token, 'PATCH', `/api/conversations/${group.id}`, { name: `${name}-2`, privacy: 'public' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.conversation).toMatchObject({ privacy: 'public', name: `${name}-2` });
    // Concurrent creations with one name: exactly one wins.
    const race = uniqueName('Race');
    const attempts = await Promise.all(
      [admin!, bob!, admin!, bob!].map((m, i) =>
        api(server, m.token, 'POST', '/api/conversations', { type: 'group', name: i % 2 ? race : race.toUpperCase(), privacy: 'public', participantIds: [] }),
      ),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  });

  it('lets only admins change privacy, name and description; each change is a note', async () => {
    const [admin, member, stranger] = await makeMembers(server, 3);
    const group = await groupChat(server, admin!, [member!], uniqueName('Team'));
    expect((await api(server, stranger!.token, 'PATCH', `/api/conversations/${group.id}`, { privacy: 'public' })).status).toBe(404);
    expect((await api(server, member!.token, 'PATCH', `/api/conversations/${group.id}`, { privacy: 'public' })).status).toBe(403);
    expect((await api(server, member!.token, 'PATCH', `/api/conversations/${group.id}`, { name: 'Mine' })).status).toBe(403);
    expect((await api(server, admin!.token, 'PATCH', `/api/conversations/${group.id}`, { privacy: 'secret' })).status).toBe(400);

    const name = uniqueName('Open');
    const changed = await api(server, admin!.token, 'PATCH', `/api/conversations/${group.id}`, { name, description: 'Everyone welcome', privacy: 'public' });
    expect(changed.status).toBe(200);
    const notes = ((await history(member!, group.id)).body.messages as MessageDto[]).filter((m) => m.system);
    expect(notes.map((m) => m.system!.event)).toEqual(['renamed', 'description_changed', 'privacy_changed']);
    expect(notes[0]!.content).toBe(`${admin!.user.name} renamed the group to “${name}”`);
    expect(notes[2]!.system).toMatchObject({ privacy: 'public', actorId: admin!.user.id });
    expect((await browse(stranger!, name)).channels.map((c) => c.id)).toEqual([group.id]);

    await api(server, admin!.token, 'PATCH', `/api/conversations/${group.id}`, { privacy: 'private' });
    expect((await browse(stranger!, name)).channels).toEqual([]);
  });
});

describe('invite links', () => {
  async function invite(admin: Member, conversationId: string, options: Record<string, unknown> = {}) {
    const response = await api(server, admin.token, 'POST', `/api/conversations/${conversationId}/invites`, options);
    expect(response.status).toBe(201);
    return response.body.invite as { id: string; code: string; path: string; state: string; uses: number };
  }

  it('only admins make, list and revoke links; non-members hear the group does not exist', async () => {
    const [admin, member, stranger] = await makeMembers(server, 3);
    const group = await groupChat(server, admin!, [member!], uniqueName('Team'));
    for (const [who, status] of [[stranger!, 404], [member!, 403]] as const) {
      expect((await api(server, who.token, 'POST', `/api/conversations/${group.id}/invites`, {})).status).toBe(status);
      expect((await api(server, who.token, 'GET', `/api/conversations/${group.id}/invites`)).status).toBe(status);
    }
    const link = await invite(admin!, group.id, { maxUses: 5, expiresInSec: 3600 });
    expect(link).toMatchObject({ path: `/join/${link.code}`, state: 'valid', uses: 0, maxUses: 5 });
    expect(link.code).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await api(server, member!.token, 'DELETE', `/api/conversations/${group.id}/invites/${link.id}`)).status).toBe(403);
    expect((await api(server, admin!.token, 'GET', `/api/conversations/${group.id}/invites`)).body.invites.map((i: { id: string }) => i.id)).toEqual([link.id]);
    expect((await api(server, admin!.token, 'POST', `/api/conversations/${group.id}/invites`, { maxUses: 0 })).status).toBe(400);
    expect((await api(server, admin!.token, 'POST', `/api/conversations/${group.id}/invites`, { expiresInSec: 5 })).status).toBe(400);
  });

  it('a valid link joins (the note says so); revoked, expired and used-up links say which, and join no one', async () => {
    const [admin, first, second, third] = await makeMembers(server, 4);
    const team = await groupChat(server, admin!, [first!], uniqueName('Team'));
    const single = await invite(admin!, team.id, { maxUses: 1 });

    const preview = await api(server, second!.token, 'GET', `/api/invites/${single.code}`);
    expect(preview.body.invite).toMatchObject({ state: 'valid', member: false, conversation: { id: team.id, name: team.name, memberCount: 2 } });
    const joined = await api(server, second!.token, 'POST', `/api/invites/${single.code}/join`);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ joined: true, conversation: { id: team.id } });
    const last = ((await history(second!, team.id)).body.messages as MessageDto[]).at(-1);
    expect(last).toMatchObject({ content: `${second!.user.name} joined with an invite link`, system: { event: 'member_joined', via: 'link' } });
    // Opening it again as a member spends nothing.
    expect((await api(server, second!.token, 'POST', `/api/invites/${single.code}/join`)).body.joined).toBe(false);

    const usedUp = await api(server, third!.token, 'POST', `/api/invites/${single.code}/join`);
    expect(usedUp.status).toBe(410);
    expect(usedUp.body.error.message).toMatch(/used as many times/);
    const usedUpPreview = await api(server, third!.token, 'GET', `/api/invites/${single.code}`);
    expect(usedUpPreview.body.invite).toEqual({ state: 'used_up', member: false, conversation: null });

    const revoked = await invite(admin!, team.id);
    expect((await api(server, admin!.token, 'DELETE', `/api/conversations/${team.id}/invites/${revoked.id}`)).body.invite.state).toBe('revoked');
    const refused = await api(server, third!.token, 'POST', `/api/invites/${revoked.code}/join`);
    expect([refused.status, refused.body.error.message]).toEqual([410, 'This invite link was revoked.']);

    const expiring = await invite(admin!, team.id, { expiresInSec: 60 });
    await server.context.db.inviteLink.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await api(server, third!.token, 'POST', `/api/invites/${expiring.code}/join`);
    expect([expired.status, expired.body.error.message]).toEqual([410, 'This invite link has expired.']);

    expect((await api(server, third!.token, 'POST', `/api/invites/${'x'.repeat(32)}/join`)).status).toBe(404);
    expect((await api(server, third!.token, 'GET', '/api/invites/short')).status).toBe(404);
    expect((await history(third!, team.id)).status).toBe(404);
    expect(await server.context.db.participant.count({ where: { conversationId: team.id } })).toBe(3);
  });

  it('a link with one use left admits exactly one of several people opening it at once', async () => {
    const [admin, first, ...rest] = await makeMembers(server, 6);
    const team = await groupChat(server, admin!, [first!], uniqueName('Team'));
    const link = await invite(admin!, team.id, { maxUses: 1 });
    const attempts = await Promise.all(rest.map((m) => api(server, m.token, 'POST', `/api/invites/${link.code}/join`)));
    expect(attempts.map((r) => r.status).sort()).toEqual([200, 410, 410, 410]);
    expect(await server.context.db.participant.count({ where: { conversationId: team.id } })).toBe(3);
  });
});

describe('timeline notes and removed members', () => {
  it('a removal is a note in order with the messages, live for everyone including the one removed, never unread', async () => {
    const [admin, bob, carol] = await makeMembers(server, 3);
    const team = await groupChat(server, admin!, [bob!, carol!], uniqueName('Team'));
    const [b, c] = [await connect(server, bob!), await connect(server, carol!)];
    try {
      const before = await send(admin!, team.id, 'before');
      const atBob = nextEvent(b, 'newMessage');
      const removedEvent = nextEvent(b, 'removedFromConversation');
      const atCarol = nextEvent(c, 'newMessage');
      expect((await api(server, admin!.token, 'DELETE', `/api/conversations/${team.id}/participants/${bob!.user.id}`)).status).toBe(204);
      const note = (await atCarol).message;
      expect(note).toMatchObject({
        seq: before.seq + 1,
        senderId: admin!.user.id,
        messageType: 'text',
        content: `${admin!.user.name} removed ${bob!.user.name}`,
        system: { event: 'member_removed', actorId: admin!.user.id, userIds: [bob!.user.id] },
      });
      expect((await atBob).message.id).toBe(note.id);
      const removed = await removedEvent;
      expect(removed.conversation).toMatchObject({ id: team.id, left: { seq: note.seq, removedBy: { id: admin!.user.id } }, unreadCount: 0 });

      // Carol's unread counts Admin's message, not the note; the note cannot be edited or deleted.
      const carolView = await api(server, carol!.token, 'GET', `/api/conversations/${team.id}`);
      expect(carolView.body.conversation.unreadCount).toBe(1);
      expect((await api(server, carol!.token, 'GET', '/api/unread')).body.byConversation[team.id]).toBe(1);
      expect((await api(server, admin!.token, 'PATCH', `/api/messages/${note.id}`, { content: 'rewritten' })).status).toBe(403);
      expect((await api(server, admin!.token, 'DELETE', `/api/messages/${note.id}`)).status).toBe(403);
      const edit = await c.timeout(ACK_MS).emitWithAck('editMessage', { messageId: note.id, content: 'x' });
      expect(edit).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      b.disconnect();
      c.disconnect();
    }
  });

  it('a removed member keeps a read-only view up to their removal, and deletes it from their list', async () => {
    const [admin, bob] = await makeMembers(server, 2);
    const team = await groupChat(server, admin!, [bob!], uniqueName('Team'));
    const said = await send(admin!, team.id, 'while Bob was here');
    await api(server, admin!.token, 'DELETE', `/api/conversations/${team.id}/participants/${bob!.user.id}`);
    await send(admin!, team.id, 'after Bob left: secret');
    await api(server, admin!.token, 'PATCH', `/api/conversations/${team.id}`, { name: uniqueName('Renamed'), description: 'Secret plans' });

    const view = await api(server, bob!.token, 'GET', `/api/conversations/${team.id}`);
    expect(view.status).toBe(200);
    expect(view.body.conversation).toMatchObject({
      // As it was when he left: the rename and description that came after are not his to see.
      name: team.name,
      description: null,
      left: { removedBy: { id: admin!.user.id, name: admin!.user.name } },
      lastMessage: { system: { event: 'member_removed' } },
      unreadCount: 0,
    });
    const page = (await history(bob!, team.id)).body.messages as MessageDto[];
    expect(page.map((m) => m.content)).toEqual(['while Bob was here', `${admin!.user.name} removed ${bob!.user.name}`]);
    expect((await history(bob!, team.id, `?after=${said.id}`)).body.messages).toHaveLength(1);
    const list = (await api(server, bob!.token, 'GET', '/api/conversations?include=left')).body.conversations as ConversationDto[];
    expect(list.find((c) => c.id === team.id)?.left).not.toBeNull();
    // Outside clients' list stays members-only.
    expect(((await api(server, bob!.token, 'GET', '/api/conversations')).body.conversations as ConversationDto[]).map((c) => c.id)).not.toContain(team.id);
    const sync = await api(server, bob!.token, 'POST', '/api/sync', { conversations: { [team.id]: said.seq } });
    expect(sync.body.left.map((c: ConversationDto) => c.id)).toEqual([team.id]);
    expect(sync.body.messages[team.id].messages.map((m: MessageDto) => m.system?.event)).toEqual(['member_removed']);

    // Read-only, enforced: no sends, typing or receipts, on REST or the socket.
    expect((await api(server, bob!.token, 'POST', `/api/conversations/${team.id}/messages`, { content: 'let me back' })).status).toBe(404);
    const b = await connect(server, bob!);
    try {
      const sent = await b.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: team.id, content: 'hello?' });
      expect(sent).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await b.timeout(ACK_MS).emitWithAck('typing', { conversationId: team.id, isTyping: true })).toMatchObject({ ok: false });
      expect(await b.timeout(ACK_MS).emitWithAck('markAsRead', { conversationId: team.id, messageId: said.id })).toMatchObject({ ok: false });
      expect(await b.timeout(ACK_MS).emitWithAck('joinConversation', { conversationId: team.id })).toMatchObject({ ok: false });
    } finally {
      b.disconnect();
    }

    // Deleting it from the list: gone for good; a member must leave first; strangers hear 404.
    expect((await api(server, admin!.token, 'DELETE', `/api/conversations/${team.id}`)).status).toBe(409);
    expect((await api(server, bob!.token, 'DELETE', `/api/conversations/${team.id}`)).status).toBe(204);
    expect((await api(server, bob!.token, 'GET', `/api/conversations/${team.id}`)).status).toBe(404);
    expect((await history(bob!, team.id)).status).toBe(404);
    expect((await api(server, bob!.token, 'DELETE', `/api/conversations/${team.id}`)).status).toBe(404);
  });

  it('someone who leaves by themselves does not keep it; added members see the note of their adding', async () => {
    const [admin, bob, carol] = await makeMembers(server, 3);
    const team = await groupChat(server, admin!, [bob!], uniqueName('Team'));
    const c = await connect(server, carol!);
    try {
      const carolHears = collect<{ message: MessageDto }>(c, 'newMessage');
      expect((await api(server, admin!.token, 'POST', `/api/conversations/${team.id}/participants`, { userId: carol!.user.id })).status).toBe(201);
      await eventually(() => carolHears.length > 0, 5000, 'the note of her adding');
      expect(carolHears[0]!.message).toMatchObject({ content: `${admin!.user.name} added ${carol!.user.name}`, system: { event: 'member_added' } });
    } finally {
      c.disconnect();
    }
    await api(server, bob!.token, 'DELETE', `/api/conversations/${team.id}/participants/${bob!.user.id}`);
    expect((await api(server, bob!.token, 'GET', `/api/conversations/${team.id}`)).status).toBe(404);
    const notes = ((await history(admin!, team.id)).body.messages as MessageDto[]).map((m) => m.content);
    expect(notes.at(-1)).toBe(`${bob!.user.name} left`);
  });
});

describe('receipts against the members at the time', () => {
  it('keeps the cursors of members who left, with when they left', async () => {
    const [admin, bob, carol] = await makeMembers(server, 3);
    const team = await groupChat(server, admin!, [bob!, carol!], uniqueName('Team'));
    const message = await send(admin!, team.id, 'read by everyone');
    for (const reader of [bob!, carol!]) {
      const socket = await connect(server, reader);
      try {
        expect(await socket.timeout(ACK_MS).emitWithAck('markAsRead', { conversationId: team.id, messageId: message.id })).toMatchObject({ ok: true });
      } finally {
        socket.disconnect();
      }
    }
    await api(server, admin!.token, 'DELETE', `/api/conversations/${team.id}/participants/${bob!.user.id}`);
    await api(server, carol!.token, 'DELETE', `/api/conversations/${team.id}/participants/${carol!.user.id}`);
    const view = (await api(server, admin!.token, 'GET', `/api/conversations/${team.id}`)).body.conversation as ConversationDto;
    expect(view.participants.map((p) => p.user.id)).toEqual([admin!.user.id]);
    expect(view.formerMembers).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ id: bob!.user.id }), lastReadSeq: message.seq, removedById: admin!.user.id, leftSeq: message.seq + 1 }),
      expect.objectContaining({ user: expect.objectContaining({ id: carol!.user.id }), lastReadSeq: message.seq, removedById: null, leftSeq: message.seq + 2 }),
    ]);
  });
});

describe('last seen', () => {
  it('is set when a user’s last socket closes, and members see it', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const team = await groupChat(server, alice!, [bob!], uniqueName('Team'));
    const a = await connect(server, alice!);
    try {
      const b1 = await connect(server, bob!);
      const b2 = await connect(server, bob!);
      const offline = nextEvent(a, 'userOffline');
      b1.disconnect();
      // One socket still open: online, nothing recorded.
      expect((await server.context.db.user.findUniqueOrThrow({ where: { id: bob!.user.id } })).lastSeenAt).toBeNull();
      const closedAt = Date.now();
      b2.disconnect();
      const event = await offline;
      expect(event.userId).toBe(bob!.user.id);
      const view = (await api(server, alice!.token, 'GET', `/api/conversations/${team.id}`)).body.conversation as ConversationDto;
      const seen = view.participants.find((p) => p.user.id === bob!.user.id)!.lastSeenAt;
      expect(seen).toBe(event.timestamp);
      expect(Date.parse(seen!)).toBeGreaterThanOrEqual(closedAt - 1000);
    } finally {
      a.disconnect();
    }
  });
});
