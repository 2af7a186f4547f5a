// @mentions end to end on a real database and server: names resolve to members only (a stranger's
// name stays text), @here/@all are for group admins (anyone else is refused, nothing stored), an
// edit re-resolves, a deletion forgets, and the same holds over the socket and over REST (both go
// through the one writer). Unread mentions are counted by the server in the conversation list and
// GET /api/unread, and reading clears them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addParticipant, listConversations } from '@/lib/chat/conversations';
import { deleteMessage, editMessage, sendMessage } from '@/lib/chat/messages';
import { markRead } from '@/lib/chat/receipts';
import { sendMessageInput, type MessageDto } from '@/lib/protocol';
import { createUser } from './helpers/factories';
import { testDatabaseKind } from './helpers/database';
import { startTestServer, type TestServer } from './helpers/server';
import { api, connect, groupChat, makeMembers, privateChat, type Member } from './helpers/chat';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const db = () => server.context.db;
const send = (sender: Member, conversationId: string, content: string) =>
  sendMessage(db(), sender.user.id, sendMessageInput.parse({ conversationId, content })).then((sent) => sent.message);
const stored = (id: string) => db().message.findUniqueOrThrow({ where: { id }, select: { mentionedUserIds: true, mentionsEveryone: true, content: true } });

describe(`mentions on ${testDatabaseKind}`, () => {
  it('stores the members a message names, in any case, once each; a non-member or unknown name stays text', async () => {
    const [admin, bob, carol, outsider] = await makeMembers(server, 4);
    const group = await groupChat(server, admin!, [bob!, carol!]);
    const message = await send(
      admin!,
      group.id,
      `hi @${bob!.user.username.toUpperCase()} and @${carol!.user.username}, not @${outsider!.user.username} nor @nobody_here_x, again @${bob!.user.username}; mail ${carol!.user.username}@example.test`,
    );
    expect(new Set(message.mentionedUserIds)).toEqual(new Set([bob!.user.id, carol!.user.id]));
    expect(message.mentionedUserIds).toHaveLength(2);
    expect(message.mentionsEveryone).toBeNull();
    const row = await stored(message.id);
    expect(new Set(row.mentionedUserIds)).toEqual(new Set([bob!.user.id, carol!.user.id]));
    // Read back through the read path (history) the same.
    const history = await api(server, bob!.token, 'GET', `/api/conversations/${group.id}/messages`);
    expect(history.status).toBe(200);
    const read = (history.body.messages as MessageDto[]).find((m) => m.id === message.id)!;
    expect(new Set(read.mentionedUserIds)).toEqual(new Set([bob!.user.id, carol!.user.id]));
    expect(read.mentionsEveryone).toBeNull();
  });

  it('lets group admins write @here and @all; refuses a member with a clear error and stores nothing', async () => {
    const [admin, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, admin!, [bob!, carol!]);
    expect((await send(admin!, group.id, '@all release at 5')).mentionsEveryone).toBe('all');
    expect((await send(admin!, group.id, '@here standup')).mentionsEveryone).toBe('here');
    expect((await send(admin!, group.id, `@here and @all and @${bob!.user.username}`)).mentionsEveryone).toBe('all');

    await expect(send(bob!, group.id, '@all look at this')).rejects.toMatchObject({ code: 'forbidden', message: 'Only group admins can mention @here or @all.' });
    await expect(send(bob!, group.id, 'hey @here')).rejects.toMatchObject({ code: 'forbidden' });
    expect(await db().message.count({ where: { conversationId: group.id, senderId: bob!.user.id } })).toBe(0);
    // Other sends in the same batch are not hurt by the refused one.
    const together = await Promise.allSettled([send(bob!, group.id, '@all no'), send(carol!, group.id, `ping @${bob!.user.username}`)]);
    expect(together[0]).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    expect(together[1]).toMatchObject({ status: 'fulfilled', value: { mentionedUserIds: [bob!.user.id] } });
  });

  it('treats @here/@all in a one-to-one conversation as text (the other person hears every message anyway)', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const message = await send(bob!, chat.id, `@all @here @${alice!.user.username}`);
    expect(message.mentionsEveryone).toBeNull();
    expect(message.mentionedUserIds).toEqual([alice!.user.id]);
  });

  it('resolves mentions again on edit (admins only for @all), and forgets them on delete', async () => {
    const [admin, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, admin!, [bob!, carol!]);
    const mine = await send(bob!, group.id, `cc @${carol!.user.username}`);
    expect(mine.mentionedUserIds).toEqual([carol!.user.id]);

    const edited = await editMessage(db(), bob!.user.id, mine.id, `cc @${admin!.user.username} instead`);
    expect(edited.mentionedUserIds).toEqual([admin!.user.id]);
    expect((await stored(mine.id)).mentionedUserIds).toEqual([admin!.user.id]);

    await expect(editMessage(db(), bob!.user.id, mine.id, '@all now')).rejects.toMatchObject({ code: 'forbidden' });
    expect(await stored(mine.id)).toMatchObject({ content: `cc @${admin!.user.username} instead`, mentionsEveryone: null });

    const announcement = await send(admin!, group.id, 'news');
    expect((await editMessage(db(), admin!.user.id, announcement.id, '@all news')).mentionsEveryone).toBe('all');

    await deleteMessage(db(), server.context.storage, bob!.user.id, mine.id);
    expect(await stored(mine.id)).toMatchObject({ mentionedUserIds: [], mentionsEveryone: null });
  });

  it('a member added later can be mentioned; one who left cannot', async () => {
    const [admin, bob] = await makeMembers(server, 2);
    const late = await createUser(db());
    const group = await groupChat(server, admin!, [bob!]);
    expect((await send(admin!, group.id, `@${late.username}`)).mentionedUserIds).toEqual([]);
    await addParticipant(db(), admin!.user.id, group.id, late.id);
    expect((await send(admin!, group.id, `@${late.username}`)).mentionedUserIds).toEqual([late.id]);
  });

  it('over the socket: the ack and everyone’s newMessage carry the mentions; a member’s @all is refused in the ack', async () => {
    const [admin, bob] = await makeMembers(server, 2);
    const group = await groupChat(server, admin!, [bob!]);
    const [adminSocket, bobSocket] = await Promise.all([connect(server, admin!), connect(server, bob!)]);
    try {
      const heard = new Promise<MessageDto>((resolve) => bobSocket.on('newMessage', ({ message }) => resolve(message)));
      const ack = await adminSocket.emitWithAck('sendMessage', { conversationId: group.id, content: `@${bob!.user.username} @here` });
      expect(ack).toMatchObject({ ok: true, message: { mentionedUserIds: [bob!.user.id], mentionsEveryone: 'here' } });
      expect(await heard).toMatchObject({ mentionedUserIds: [bob!.user.id], mentionsEveryone: 'here' });

      const refused = await bobSocket.emitWithAck('sendMessage', { conversationId: group.id, content: '@all hello' });
      expect(refused).toEqual({ ok: false, error: { code: 'forbidden', message: 'Only group admins can mention @here or @all.' } });

      const mine = await bobSocket.emitWithAck('sendMessage', { conversationId: group.id, content: 'plain' });
      if (!mine.ok) throw new Error('send failed');
      const edit = await bobSocket.emitWithAck('editMessage', { messageId: mine.message.id, content: `plain @${admin!.user.username}` });
      expect(edit).toMatchObject({ ok: true, message: { mentionedUserIds: [admin!.user.id] } });
    } finally {
      adminSocket.close();
      bobSocket.close();
    }
  });

  it('over REST: sends and edits resolve the same way, and a member’s @here is a 403', async () => {
    const [admin, bob] = await makeMembers(server, 2);
    const group = await groupChat(server, admin!, [bob!]);
    const sent = await api(server, admin!.token, 'POST', `/api/conversations/${group.id}/messages`, { content: `@all and @${bob!.user.username}` });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({ mentionedUserIds: [bob!.user.id], mentionsEveryone: 'all' });

    const refused = await api(server, bob!.token, 'POST', `/api/conversations/${group.id}/messages`, { content: '@here?' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'forbidden', message: 'Only group admins can mention @here or @all.' });

    const own = await api(server, bob!.token, 'POST', `/api/conversations/${group.id}/messages`, { content: 'hello' });
    const edited = await api(server, bob!.token, 'PATCH', `/api/messages/${own.body.message.id}`, { content: `hello @${admin!.user.username}` });
    expect(edited.status).toBe(200);
    expect(edited.body.message).toMatchObject({ mentionedUserIds: [admin!.user.id], mentionsEveryone: null });
  });

  it('counts unread mentions per conversation in the list and GET /api/unread; reading clears them', async () => {
    const [admin, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, admin!, [bob!, carol!]);
    await send(admin!, group.id, 'no mention');
    await send(admin!, group.id, `@${bob!.user.username} look`);
    await send(carol!, group.id, `@${carol!.user.username} talking to myself`);
    await send(admin!, group.id, '@here everyone');
    const last = await send(carol!, group.id, `@${admin!.user.username} not bob`);

    const bobsView = (await listConversations(db(), bob!.user.id)).find((c) => c.id === group.id)!;
    expect(bobsView).toMatchObject({ unreadCount: 5, unreadMentionCount: 2 });
    const carolsView = (await listConversations(db(), carol!.user.id)).find((c) => c.id === group.id)!;
    expect(carolsView).toMatchObject({ unreadCount: 3, unreadMentionCount: 1 });

    const unread = await api(server, bob!.token, 'GET', '/api/unread');
    expect(unread.status).toBe(200);
    expect(unread.body).toMatchObject({ total: 5, mentions: 2, byConversation: { [group.id]: 5 }, mentionsByConversation: { [group.id]: 2 } });
    const one = await api(server, bob!.token, 'GET', `/api/conversations/${group.id}`);
    expect(one.body.conversation).toMatchObject({ unreadCount: 5, unreadMentionCount: 2 });

    await markRead(db(), bob!.user.id, group.id, last.id);
    expect((await listConversations(db(), bob!.user.id)).find((c) => c.id === group.id)).toMatchObject({ unreadCount: 0, unreadMentionCount: 0 });
  });
});
