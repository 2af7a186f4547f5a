// Threads through the whole server: membership first, replies out of the timeline (unless also
// sent to it) but numbered in the conversation's seq, the top message's summary, followers'
// unread markers, live events, and catch-up.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendMessage } from '@/lib/chat/messages';
import { writeNote } from '@/lib/chat/timeline';
import { sendMessageInput, type MessageDto, type ThreadPage } from '@/lib/protocol';
import { startTestServer, type TestServer } from './helpers/server';
import { nextEvent, type ChatClient } from './helpers/factories';
import { api, connect, groupChat, makeMembers, privateChat, type Member } from './helpers/chat';

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

async function say(member: Member, conversationId: string, content: string, thread?: { threadRootId: string; alsoInConversation?: boolean }) {
  return (await sendMessage(server.context.db, member.user.id, sendMessageInput.parse({ conversationId, content, ...thread }))).message;
}

const history = async (member: Member, conversationId: string) =>
  (await api(server, member.token, 'GET', `/api/conversations/${conversationId}/messages`)).body.messages as MessageDto[];
const thread = (member: Member, rootId: string, query = '') => api(server, member.token, 'GET', `/api/messages/${rootId}/thread${query}`);
const unreadThreads = async (member: Member, conversationId: string) =>
  (await api(server, member.token, 'GET', `/api/threads?conversationId=${conversationId}`)).body.threads as { rootId: string; unreadCount: number }[];

describe('threads: authorization first', () => {
  it('a non-member can neither read a thread nor reply in it nor mark it read', async () => {
    const [alice, bob, mallory] = await makeMembers(server, 3);
    const chat = await privateChat(server, alice!, bob!);
    const root = await say(alice!, chat.id, 'plans');
    const reply = await say(bob!, chat.id, 'secret reply', { threadRootId: root.id });

    const read = await thread(mallory!, root.id);
    expect(read.status).toBe(404);
    expect(JSON.stringify(read.body)).not.toContain('secret');
    const posted = await api(server, mallory!.token, 'POST', `/api/conversations/${chat.id}/messages`, { content: 'let me in', threadRootId: root.id });
    expect(posted.status).toBe(404);
    expect((await api(server, mallory!.token, 'POST', `/api/messages/${root.id}/thread/read`, { messageId: reply.id })).status).toBe(404);
    // Replying from my own conversation into someone else's thread: refused, nothing stored.
    const [, other] = [alice, await privateChat(server, mallory!, bob!)];
    const elsewhere = await api(server, mallory!.token, 'POST', `/api/conversations/${other.id}/messages`, { content: 'sneaky', threadRootId: root.id });
    expect(elsewhere.status).toBe(400);
    expect((await thread(alice!, root.id)).body.replies.map((m: MessageDto) => m.content)).toEqual(['secret reply']);
  });
});

describe('threads', () => {
  it('keep replies out of the timeline, numbered in its seq, and summarise them on the top message', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, alice!, [bob!, carol!], 'Threads');
    const root = await say(alice!, group.id, 'Release on Friday?');
    const aliceSocket = await online(alice!);
    const carolSocket = await online(carol!);

    const live = nextEvent(carolSocket, 'newMessage');
    const summary = nextEvent(aliceSocket, 'threadUpdated');
    const bobSocket = await online(bob!);
    const ack = await bobSocket.emitWithAck('sendMessage', { conversationId: group.id, content: 'Yes, **Friday**', threadRootId: root.id });
    expect(ack.ok).toBe(true);
    const reply = (ack as { message: MessageDto }).message;
    expect(reply).toMatchObject({ threadRootId: root.id, alsoInConversation: false, seq: root.seq + 1 });
    expect((await live).message.id).toBe(reply.id);
    expect(await summary).toEqual({
      conversationId: group.id,
      rootId: root.id,
      thread: { replyCount: 1, lastReplyAt: reply.createdAt, lastReplySeq: reply.seq, repliers: [bob!.user] .map(({ id, username, name, avatarUrl }) => ({ id, username, name, avatarUrl })) },
    });

    const also = await say(carol!, group.id, 'Friday works for me', { threadRootId: root.id, alsoInConversation: true });
    const after = await say(alice!, group.id, 'next topic');
    expect([reply.seq, also.seq, after.seq]).toEqual([root.seq + 1, root.seq + 2, root.seq + 3]);

    // The timeline: the top message (with its summary), the reply also sent there, the next message.
    const timeline = await history(alice!, group.id);
    expect(timeline.map((m) => m.id)).toEqual([root.id, also.id, after.id]);
    expect(timeline[0]!.thread).toMatchObject({ replyCount: 2, lastReplySeq: also.seq });
    expect(timeline[0]!.thread!.repliers.map((u) => u.id)).toEqual([carol!.user.id, bob!.user.id]);

    const page = (await thread(bob!, root.id)).body as ThreadPage;
    expect(page.root.id).toBe(root.id);
    expect(page.replies.map((m) => m.id)).toEqual([reply.id, also.id]);
    expect(page.hasMore).toBe(false);
    // Paging back from a reply.
    const older = (await thread(bob!, root.id, `?before=${also.id}&limit=1`)).body as ThreadPage;
    expect(older.replies.map((m) => m.id)).toEqual([reply.id]);

    // A reply to a reply is not a thread of its own.
    const nested = await api(server, bob!.token, 'POST', `/api/conversations/${group.id}/messages`, { content: 'deeper', threadRootId: reply.id });
    expect(nested.status).toBe(400);
    expect((await thread(bob!, reply.id)).status).toBe(400);
  });

  it('a thread-only reply neither bumps the conversation nor counts as unread in it', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const root = await say(alice!, chat.id, 'top');
    const before = (await api(server, alice!.token, 'GET', `/api/conversations/${chat.id}`)).body.conversation;
    await say(bob!, chat.id, 'in the thread', { threadRootId: root.id });
    const after = (await api(server, alice!.token, 'GET', `/api/conversations/${chat.id}`)).body.conversation;
    expect(after.lastMessage.id).toBe(root.id);
    expect(after.lastActivityAt).toBe(before.lastActivityAt);
    expect(after.unreadCount).toBe(0);
    // Also sent to the conversation: it is news there.
    const also = await say(bob!, chat.id, 'and here', { threadRootId: root.id, alsoInConversation: true });
    const bumped = (await api(server, alice!.token, 'GET', `/api/conversations/${chat.id}`)).body.conversation;
    expect(bumped.lastMessage.id).toBe(also.id);
    expect(bumped.unreadCount).toBe(1);
  });

  it('followers (the top message’s author, repliers) get an unread marker until they read it', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, alice!, [bob!, carol!], 'Followers');
    const root = await say(alice!, group.id, 'question');
    const first = await say(bob!, group.id, 'answer one', { threadRootId: root.id });
    await say(bob!, group.id, 'answer two', { threadRootId: root.id });

    expect(await unreadThreads(alice!, group.id)).toEqual([expect.objectContaining({ rootId: root.id, unreadCount: 2 })]);
    // Bob wrote them; Carol does not follow.
    expect(await unreadThreads(bob!, group.id)).toEqual([]);
    expect(await unreadThreads(carol!, group.id)).toEqual([]);

    const socket = await online(alice!);
    expect(await socket.emitWithAck('markThreadRead', { rootId: root.id, messageId: first.id })).toEqual({ ok: true, advanced: true });
    expect(await unreadThreads(alice!, group.id)).toEqual([expect.objectContaining({ unreadCount: 1 })]);
    const last = (await thread(alice!, root.id)).body.replies.at(-1) as MessageDto;
    expect((await api(server, alice!.token, 'POST', `/api/messages/${root.id}/thread/read`, { messageId: last.id })).body).toEqual({ advanced: true });
    expect(await unreadThreads(alice!, group.id)).toEqual([]);

    // Carol writes in it: she follows from now, and Bob hears of her reply.
    await say(carol!, group.id, 'me too', { threadRootId: root.id });
    expect(await unreadThreads(bob!, group.id)).toEqual([expect.objectContaining({ rootId: root.id, unreadCount: 1 })]);
    expect(await unreadThreads(carol!, group.id)).toEqual([]);
  });

  it('a member mentioned in a reply follows the thread', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, alice!, [bob!, carol!], 'Mentions');
    const root = await say(alice!, group.id, 'who knows?');
    await say(bob!, group.id, `@${carol!.user.username} might`, { threadRootId: root.id });
    expect(await unreadThreads(carol!, group.id)).toEqual([expect.objectContaining({ rootId: root.id, unreadCount: 1 })]);
  });

  it('a timeline note starts no thread and takes no reaction', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const group = await groupChat(server, alice!, [bob!], 'Notes');
    const note = await writeNote(server.context.db, group.id, { event: 'renamed', actorId: alice!.user.id, name: 'Notes 2' });
    const reply = await api(server, bob!.token, 'POST', `/api/conversations/${group.id}/messages`, { content: 'on a note', threadRootId: note.id });
    expect(reply.status).toBe(400);
    expect((await thread(bob!, note.id)).status).toBe(400);
    expect((await api(server, bob!.token, 'POST', `/api/messages/${note.id}/reactions`, { emoji: '👍' })).status).toBe(400);
  });

  it('catch-up after a reconnect includes thread replies', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const root = await say(alice!, chat.id, 'root');
    const reply = await say(bob!, chat.id, 'missed while away', { threadRootId: root.id });
    const { body } = await api(server, alice!.token, 'POST', '/api/sync', { conversations: { [chat.id]: root.seq } });
    expect(body.messages[chat.id].messages.map((m: MessageDto) => [m.id, m.threadRootId])).toEqual([[reply.id, root.id]]);
  });

  it('deleting a reply updates the summary live', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const root = await say(alice!, chat.id, 'root');
    const reply = await say(bob!, chat.id, 'oops', { threadRootId: root.id });
    const socket = await online(alice!);
    const updated = nextEvent(socket, 'threadUpdated');
    expect((await api(server, bob!.token, 'DELETE', `/api/messages/${reply.id}`)).status).toBe(200);
    expect((await updated).thread).toMatchObject({ replyCount: 0, repliers: [] });
    expect((await history(alice!, chat.id))[0]!.thread).toBeNull();
  });
});
