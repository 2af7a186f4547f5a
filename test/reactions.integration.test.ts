// Reactions through the whole server: membership first, live to the room, never conversation
// activity, one emoji grapheme, a cap per user and message.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendMessage } from '@/lib/chat/messages';
import { removeParticipant } from '@/lib/chat/conversations';
import { LIMITS, sendMessageInput, type MessageDto } from '@/lib/protocol';
import { startTestServer, type TestServer } from './helpers/server';
import { nextEvent, type ChatClient } from './helpers/factories';
import { api, collect, connect, eventually, groupChat, makeMembers, privateChat, type Member } from './helpers/chat';

let server: TestServer;
const open: ChatClient[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const socket of open.splice(0)) socket.close();
});
afterAll(async () => {
  await server?.close();
});

async function online(member: Member): Promise<ChatClient> {
  const socket = await connect(server, member);
  open.push(socket);
  return socket;
}

async function say(member: Member, conversationId: string, content: string): Promise<MessageDto> {
  return (await sendMessage(server.context.db, member.user.id, sendMessageInput.parse({ conversationId, content }))).message;
}

const react = (member: Member, messageId: string, emoji: string) => api(server, member.token, 'POST', `/api/messages/${messageId}/reactions`, { emoji });
const unreact = (member: Member, messageId: string, emoji: string) =>
  api(server, member.token, 'DELETE', `/api/messages/${messageId}/reactions?emoji=${encodeURIComponent(emoji)}`);
const history = async (member: Member, conversationId: string) =>
  (await api(server, member.token, 'GET', `/api/conversations/${conversationId}/messages`)).body.messages as MessageDto[];

describe('reactions: authorization first', () => {
  it('a non-member can neither add nor remove a reaction, over REST or the socket, and learns nothing', async () => {
    const [alice, bob, mallory] = await makeMembers(server, 3);
    const chat = await privateChat(server, alice!, bob!);
    const message = await say(alice!, chat.id, 'private words');
    await react(bob!, message.id, '👍');

    expect((await react(mallory!, message.id, '👍')).status).toBe(404);
    expect((await unreact(mallory!, message.id, '👍')).status).toBe(404);
    const socket = await online(mallory!);
    const ack = await socket.emitWithAck('addReaction', { messageId: message.id, emoji: '🎉' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Unknown and other people's messages look the same.
    expect((await react(mallory!, '01900000-0000-7000-8000-000000000000', '👍')).status).toBe(404);
    expect((await history(alice!, chat.id))[0]!.reactions).toEqual([{ emoji: '👍', userIds: [bob!.user.id] }]);
  });

  it('a member who left can no longer react', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, alice!, [bob!, carol!], 'Leavers');
    const message = await say(alice!, group.id, 'hello');
    await removeParticipant(server.context.db, carol!.user.id, group.id, carol!.user.id);
    expect((await react(carol!, message.id, '👍')).status).toBe(404);
  });
});

describe('reactions', () => {
  it('are live for everyone in the conversation, counted per emoji, and repeat-safe', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, alice!, [bob!, carol!], 'Reacting');
    const message = await say(alice!, group.id, 'ship it?');
    const aliceSocket = await online(alice!);
    const changes = collect<Record<string, unknown>>(aliceSocket, 'reactionChanged');

    const bobSocket = await online(bob!);
    const seen = nextEvent(aliceSocket, 'reactionChanged');
    expect(await bobSocket.emitWithAck('addReaction', { messageId: message.id, emoji: '👍🏽' })).toEqual({ ok: true, changed: true });
    expect(await seen).toEqual({ conversationId: group.id, messageId: message.id, emoji: '👍🏽', userId: bob!.user.id, added: true });

    expect((await react(carol!, message.id, '👍🏽')).body).toEqual({ changed: true });
    expect((await react(carol!, message.id, '🚀')).body).toEqual({ changed: true });
    // Again: nothing changes, nobody is told.
    expect((await react(carol!, message.id, '🚀')).body).toEqual({ changed: false });
    await eventually(() => changes.length === 3, 5000, 'three changes');

    const [withReactions] = await history(alice!, group.id);
    expect(withReactions!.reactions).toEqual([
      { emoji: '👍🏽', userIds: [bob!.user.id, carol!.user.id] },
      { emoji: '🚀', userIds: [carol!.user.id] },
    ]);

    expect((await unreact(carol!, message.id, '🚀')).body).toEqual({ changed: true });
    expect((await unreact(carol!, message.id, '🚀')).body).toEqual({ changed: false });
    await eventually(() => changes.length === 4, 5000, 'the removal');
    expect(changes[3]).toMatchObject({ emoji: '🚀', userId: carol!.user.id, added: false });
    expect((await history(bob!, group.id))[0]!.reactions).toEqual([{ emoji: '👍🏽', userIds: [bob!.user.id, carol!.user.id] }]);
  });

  it('never bump the conversation, its last message or anyone’s unread count', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const message = await say(alice!, chat.id, 'read me');
    const before = (await api(server, bob!.token, 'GET', `/api/conversations/${chat.id}`)).body.conversation;
    const aliceBefore = (await api(server, alice!.token, 'GET', `/api/conversations/${chat.id}`)).body.conversation;
    const aliceSocket = await online(alice!);
    const updates = collect(aliceSocket, 'conversationUpdated');
    const newMessages = collect(aliceSocket, 'newMessage');

    expect((await react(bob!, message.id, '❤️')).status).toBe(200);
    const after = (await api(server, bob!.token, 'GET', `/api/conversations/${chat.id}`)).body.conversation;
    const aliceAfter = (await api(server, alice!.token, 'GET', `/api/conversations/${chat.id}`)).body.conversation;
    expect(after.lastActivityAt).toBe(before.lastActivityAt);
    expect(after.unreadCount).toBe(before.unreadCount);
    expect(aliceAfter.unreadCount).toBe(0);
    expect(aliceAfter.lastActivityAt).toBe(aliceBefore.lastActivityAt);
    expect(after.lastMessage.id).toBe(message.id);
    expect((await api(server, alice!.token, 'GET', '/api/unread')).body.total).toBe(0);
    expect(updates).toEqual([]);
    expect(newMessages).toEqual([]);
  });

  it('take exactly one emoji: anything else is a 400 and nothing is stored', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const message = await say(alice!, chat.id, 'react to me');
    for (const emoji of ['', 'ok', '👍👍', '👍 ', '\u0000', '<b>x</b>', '🙂'.repeat(20), 'a'.repeat(5000)]) {
      const response = await react(bob!, message.id, emoji);
      expect(response.status, JSON.stringify(emoji)).toBe(400);
      expect(response.body.error.code).toBe('bad_request');
    }
    for (const emoji of ['👨‍👩‍👧‍👦', '🇯🇵', '1️⃣']) expect((await react(bob!, message.id, emoji)).status).toBe(200);
    expect((await history(alice!, chat.id))[0]!.reactions.map((r) => r.emoji)).toEqual(['👨‍👩‍👧‍👦', '🇯🇵', '1️⃣']);
  });

  it(`cap each user at ${LIMITS.reactionsPerUserPerMessage} different emoji per message, and refuse a deleted message`, async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const message = await say(alice!, chat.id, 'so many feelings');
    const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗🤩🤔'].slice(0, LIMITS.reactionsPerUserPerMessage + 1);
    for (const e of emoji.slice(0, -1)) expect((await react(bob!, message.id, e)).status).toBe(200);
    const over = await react(bob!, message.id, emoji.at(-1)!);
    expect(over.status).toBe(400);
    // Others still can.
    expect((await react(alice!, message.id, emoji.at(-1)!)).status).toBe(200);

    expect((await api(server, alice!.token, 'DELETE', `/api/messages/${message.id}`)).status).toBe(200);
    expect((await react(bob!, message.id, '👍')).status).toBe(409);
    expect((await history(alice!, chat.id))[0]!.reactions).toEqual([]);
  });

  it('spend their own budget', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const message = await say(alice!, chat.id, 'click click');
    let limited = 0;
    for (let i = 0; i < 40 && limited === 0; i += 1) {
      const response = await (i % 2 ? unreact(bob!, message.id, '👍') : react(bob!, message.id, '👍'));
      if (response.status === 429) limited += 1;
    }
    expect(limited).toBe(1);
  });
});
