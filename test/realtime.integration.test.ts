// The /chat namespace end to end: real server, real socket.io clients, real database.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDto } from '@/lib/protocol';
import { TYPING_TTL_MS } from '@/server/realtime/typing';
import { startTestServer, type TestServer } from './helpers/server';
import { connectClient, nextEvent, type ChatClient } from './helpers/factories';
import { api, collect, connect, eventually, groupChat, makeMembers, privateChat, sleep, type Member } from './helpers/chat';

let server: TestServer;
const open: ChatClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  while (open.length) open.pop()!.close();
});
afterAll(async () => {
  await server?.close();
});

async function online(member: Member): Promise<ChatClient> {
  const socket = await connect(server, member);
  open.push(socket);
  return socket;
}

const ACK_MS = 5000;

describe('seed gateway cases', () => {
  it('connects with a valid token and refuses an invalid one', async () => {
    const [alice] = await makeMembers(server, 1);
    const socket = await online(alice!);
    expect(socket.connected).toBe(true);
    await expect(connectClient(server.url, alice!.token + 'x')).rejects.toThrow('unauthorized');
  });

  it('sends and receives a message in a conversation', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const [a, b] = [await online(alice!), await online(bob!)];
    const received = nextEvent(b, 'newMessage');
    const ack = await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'Hello Bob' });
    expect(ack).toMatchObject({ ok: true, message: { content: 'Hello Bob', senderId: alice!.user.id, messageType: 'text' } });
    const event = await received;
    expect(event.message).toMatchObject({ content: 'Hello Bob', sender: { id: alice!.user.id, username: alice!.user.username } });
    expect(event.conversation).toEqual({ id: conversation.id, name: null, type: 'private' });
  });

  it('answers a bad payload with an error event when there is no acknowledgement', async () => {
    const [alice] = await makeMembers(server, 1);
    const socket = await online(alice!);
    const error = nextEvent(socket, 'error');
    socket.emit('sendMessage', { conversationId: '', content: '' });
    expect(await error).toMatchObject({ code: 'bad_request', message: expect.stringContaining('conversationId') });
  });

  it('broadcasts typing to the other members only', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const [a, b] = [await online(alice!), await online(bob!)];
    const atAlice = collect(a, 'userTyping');
    const typing = nextEvent(b, 'userTyping');
    expect(await a.timeout(ACK_MS).emitWithAck('typing', { conversationId: conversation.id, isTyping: true })).toEqual({ ok: true });
    expect(await typing).toMatchObject({ userId: alice!.user.id, username: alice!.user.username, conversationId: conversation.id, isTyping: true });
    const stopped = nextEvent(b, 'userTyping');
    await a.timeout(ACK_MS).emitWithAck('typing', { conversationId: conversation.id, isTyping: false });
    expect(await stopped).toMatchObject({ isTyping: false });
    expect(atAlice).toEqual([]);
  });

  it('joins and leaves a conversation room', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const [a, b] = [await online(alice!), await online(bob!)];
    const left = nextEvent(b, 'leftConversation');
    expect(await b.timeout(ACK_MS).emitWithAck('leaveConversation', { conversationId: conversation.id })).toMatchObject({ ok: true });
    expect(await left).toMatchObject({ conversationId: conversation.id });
    const atBob = collect<{ message: MessageDto }>(b, 'newMessage');
    await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'while away' });
    await sleep(200);
    expect(atBob).toEqual([]);

    const joined = nextEvent(b, 'joinedConversation');
    expect(await b.timeout(ACK_MS).emitWithAck('joinConversation', { conversationId: conversation.id })).toMatchObject({ ok: true });
    expect(await joined).toMatchObject({ conversationId: conversation.id });
    const back = nextEvent(b, 'newMessage');
    await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'welcome back' });
    expect((await back).message.content).toBe('welcome back');
  });
});

describe('typing', () => {
  it('expires by itself when the client never says it stopped', { timeout: 15_000 }, async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const [a, b] = [await online(alice!), await online(bob!)];
    const events = collect<{ isTyping: boolean; timestamp: string }>(b, 'userTyping');
    const started = Date.now();
    await a.timeout(ACK_MS).emitWithAck('typing', { conversationId: conversation.id, isTyping: true });
    await eventually(() => events.length === 2, 10_000, 'typing to expire');
    expect(events.map((e) => e.isTyping)).toEqual([true, false]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TYPING_TTL_MS - 100);
  });

  it('is throttled: a burst of keystrokes relays one start', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const [a, b] = [await online(alice!), await online(bob!)];
    const events = collect<{ isTyping: boolean }>(b, 'userTyping');
    for (let i = 0; i < 8; i += 1) await a.timeout(ACK_MS).emitWithAck('typing', { conversationId: conversation.id, isTyping: true });
    await sleep(200);
    expect(events).toHaveLength(1);
    const sent = nextEvent(b, 'userTyping');
    await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'done typing' });
    expect(await sent).toMatchObject({ isTyping: false });
  });
});

describe('conversations over the socket', () => {
  it('a new conversation reaches the other member, whose sockets join it at once', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const [a, b] = [await online(alice!), await online(bob!)];
    const announced = nextEvent(b, 'newConversation');
    const ack = await a.timeout(ACK_MS).emitWithAck('createConversation', { type: 'group', name: 'Launch', participantIds: [bob!.user.id] });
    expect(ack).toMatchObject({ ok: true, created: true, conversation: { type: 'group', name: 'Launch' } });
    const { conversation, createdBy } = await announced;
    expect(createdBy).toEqual({ id: alice!.user.id, username: alice!.user.username });
    expect(conversation.participants.map((p) => p.user.id).sort()).toEqual([alice!.user.id, bob!.user.id].sort());
    const message = nextEvent(b, 'newMessage');
    await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'first!' });
    expect((await message).message.content).toBe('first!');
  });

  it('members added later join the room at once; removed members leave it at once', async () => {
    const [admin, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, admin!, [bob!]);
    const [a, c] = [await online(admin!), await online(carol!)];
    const updated = nextEvent(c, 'conversationUpdated');
    const { addParticipant, removeParticipant } = await import('@/lib/chat/conversations');
    await addParticipant(server.context.db, admin!.user.id, group.id, carol!.user.id);
    await server.context.notifier.conversationUpdated(group.id, { added: [carol!.user.id] });
    expect((await updated).conversation.id).toBe(group.id);
    const arrived = nextEvent(c, 'newMessage');
    await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: group.id, content: 'welcome carol' });
    expect((await arrived).message.content).toBe('welcome carol');

    const removed = nextEvent(c, 'removedFromConversation');
    await removeParticipant(server.context.db, admin!.user.id, group.id, carol!.user.id);
    await server.context.notifier.conversationUpdated(group.id, { removed: [carol!.user.id] });
    await removed;
    const atCarol = collect(c, 'newMessage');
    await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: group.id, content: 'carol is gone' });
    await sleep(200);
    expect(atCarol).toEqual([]);
  });

  it('a renamed group reaches each member as they see it, with their own unread count', async () => {
    const [admin, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, admin!, [bob!, carol!]);
    const [a, b, c] = [await online(admin!), await online(bob!), await online(carol!)];
    for (const content of ['one', 'two']) await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: group.id, content });
    const fromBob = await b.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: group.id, content: 'three' });
    if (!fromBob.ok) throw new Error('send failed');
    await c.timeout(ACK_MS).emitWithAck('markAsRead', { conversationId: group.id, messageId: fromBob.message.id });

    const updates = [a, b, c].map((socket) => nextEvent(socket, 'conversationUpdated'));
    const response = await api(server, admin!.token, 'PATCH', `/api/conversations/${group.id}`, { name: 'Renamed' });
    expect(response.status).toBe(200);
    const [atAdmin, atBob, atCarol] = (await Promise.all(updates)).map((event) => event.conversation);
    expect([atAdmin, atBob, atCarol].map((view) => view?.name)).toEqual(['Renamed', 'Renamed', 'Renamed']);
    // Unread: the others' messages after the reader's read mark.
    expect([atAdmin!.unreadCount, atBob!.unreadCount, atCarol!.unreadCount]).toEqual([1, 2, 0]);
  });

  it('edits and deletes reach the other side', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const [a, b] = [await online(alice!), await online(bob!)];
    const sent = await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'typo' });
    if (!sent.ok) throw new Error('send failed');
    const edited = nextEvent(b, 'messageEdited');
    const editAck = await a.timeout(ACK_MS).emitWithAck('editMessage', { messageId: sent.message.id, content: 'fixed' });
    expect(editAck).toMatchObject({ ok: true, message: { content: 'fixed', editedAt: expect.any(String) } });
    expect((await edited).message).toMatchObject({ id: sent.message.id, content: 'fixed' });

    expect(await b.timeout(ACK_MS).emitWithAck('editMessage', { messageId: sent.message.id, content: 'hijack' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const deleted = nextEvent(b, 'messageDeleted');
    expect(await a.timeout(ACK_MS).emitWithAck('deleteMessage', { messageId: sent.message.id })).toEqual({ ok: true, messageId: sent.message.id });
    expect(await deleted).toEqual({ messageId: sent.message.id, conversationId: conversation.id });
  });
});

describe('authorization: a non-member learns nothing', () => {
  it('cannot send, type, mark read or delivered, or join', async () => {
    const [alice, bob, mallory] = await makeMembers(server, 3);
    const conversation = await privateChat(server, alice!, bob!);
    const [a, b, m] = [await online(alice!), await online(bob!), await online(mallory!)];
    const sent = await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'private' });
    if (!sent.ok) throw new Error('send failed');
    const atBob = collect(b, 'userTyping');
    const receiptsAtAlice = [...collect(a, 'messageRead'), ...collect(a, 'messageDelivered')];
    const notFound = { ok: false, error: { code: 'not_found' } };
    const messageRef = { conversationId: conversation.id, messageId: sent.message.id };
    expect(await m.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'let me in' })).toMatchObject(notFound);
    expect(await m.timeout(ACK_MS).emitWithAck('typing', { conversationId: conversation.id, isTyping: true })).toMatchObject(notFound);
    expect(await m.timeout(ACK_MS).emitWithAck('markAsRead', messageRef)).toMatchObject(notFound);
    expect(await m.timeout(ACK_MS).emitWithAck('markAsDelivered', messageRef)).toMatchObject(notFound);
    expect(await m.timeout(ACK_MS).emitWithAck('joinConversation', { conversationId: conversation.id })).toMatchObject(notFound);
    expect(await m.timeout(ACK_MS).emitWithAck('editMessage', { messageId: sent.message.id, content: 'x' })).toMatchObject(notFound);
    expect(await m.timeout(ACK_MS).emitWithAck('deleteMessage', { messageId: sent.message.id })).toMatchObject(notFound);
    await sleep(200);
    expect(atBob).toEqual([]);
    expect(receiptsAtAlice).toEqual([]);
    const history = await server.context.db.message.count({ where: { conversationId: conversation.id } });
    expect(history).toBe(1);
  });

  it('the same answer for a conversation that does not exist', async () => {
    const [mallory] = await makeMembers(server, 1);
    const m = await online(mallory!);
    const ack = await m.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: '01900000-0000-7000-8000-000000000000', content: 'hi' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_found', message: 'Conversation not found.' } });
  });
});

describe('hostile payloads', () => {
  const cases: [string, unknown][] = [
    ['wrong types', { conversationId: 42, content: ['a'] }],
    ['missing fields', {}],
    ['10 001 characters', { content: 'x'.repeat(10_001) }],
    ['an operator object', { conversationId: { $ne: null }, content: 'x' }],
    ['an unknown message type', { content: 'x', messageType: 'script' }],
    ['not an object', 'sendMessage'],
    ['null', null],
  ];

  it.each(cases)('%s get ok:false and the socket stays usable', async (_label, payload) => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const a = await online(alice!);
    const full = payload && typeof payload === 'object' && !('conversationId' in payload) && Object.keys(payload).length
      ? { conversationId: conversation.id, ...payload }
      : payload;
    const ack = await a.timeout(ACK_MS).emitWithAck('sendMessage', full as never);
    expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.any(String) } });
    const after = await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'still here' });
    expect(after).toMatchObject({ ok: true });
    expect(await server.context.db.message.count({ where: { conversationId: conversation.id } })).toBe(1);
  });

  it('10 000 characters are accepted', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const a = await online(alice!);
    const ack = await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'y'.repeat(10_000) });
    expect(ack).toMatchObject({ ok: true });
  });
});

describe('idempotent retries', () => {
  it('a repeated clientId returns the first message, even for two concurrent retries', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const a = await online(alice!);
    const b = await online(bob!);
    const atBob = collect<{ message: MessageDto }>(b, 'newMessage');
    const payload = { conversationId: conversation.id, content: 'once', clientId: 'retry-1' };
    const [first, second] = await Promise.all([
      a.timeout(ACK_MS).emitWithAck('sendMessage', payload),
      a.timeout(ACK_MS).emitWithAck('sendMessage', payload),
    ]);
    const third = await a.timeout(ACK_MS).emitWithAck('sendMessage', payload);
    if (!first.ok || !second.ok || !third.ok) throw new Error('send failed');
    expect(second.message.id).toBe(first.message.id);
    expect(third.message.id).toBe(first.message.id);
    expect(await server.context.db.message.count({ where: { conversationId: conversation.id } })).toBe(1);
    await sleep(200);
    expect(atBob).toHaveLength(1);
  });
});

describe('receipts', () => {
  it('read cursors only move forward and unread counts follow them', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const [a, b] = [await online(alice!), await online(bob!)];
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const ack = await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: `m${i}` });
      if (!ack.ok) throw new Error('send failed');
      ids.push(ack.message.id);
    }
    const unread = async () => (await server.context.db.participant.findUniqueOrThrow({
      where: { conversationId_userId: { conversationId: conversation.id, userId: bob!.user.id } },
    }));
    const { unreadCounts } = await import('@/lib/chat/receipts');
    expect((await unreadCounts(server.context.db, bob!.user.id)).get(conversation.id)).toBe(5);

    const readEvent = nextEvent(a, 'messageRead');
    expect(await b.timeout(ACK_MS).emitWithAck('markAsRead', { conversationId: conversation.id, messageId: ids[3]! })).toEqual({ ok: true, advanced: true });
    expect(await readEvent).toMatchObject({ messageId: ids[3], seq: 4, conversationId: conversation.id, readBy: bob!.user.id });
    expect((await unreadCounts(server.context.db, bob!.user.id)).get(conversation.id)).toBe(1);

    // An older message arriving late never moves the cursor back.
    expect(await b.timeout(ACK_MS).emitWithAck('markAsRead', { conversationId: conversation.id, messageId: ids[1]! })).toEqual({ ok: true, advanced: false });
    expect((await unread()).lastReadMessageId).toBe(ids[3]);
    expect((await unread()).lastReadSeq).toBe(4n);
    // Reading implies delivery.
    expect((await unread()).lastDeliveredMessageId).toBe(ids[3]);
    expect(await b.timeout(ACK_MS).emitWithAck('markAsDelivered', { conversationId: conversation.id, messageId: ids[2]! })).toEqual({ ok: true, advanced: false });
    const delivered = nextEvent(a, 'messageDelivered');
    expect(await b.timeout(ACK_MS).emitWithAck('markAsDelivered', { conversationId: conversation.id, messageId: ids[4]! })).toEqual({ ok: true, advanced: true });
    expect(await delivered).toMatchObject({ messageId: ids[4], seq: 5, deliveredTo: bob!.user.id });
    expect((await unreadCounts(server.context.db, bob!.user.id)).get(conversation.id)).toBe(1);
    // Alice's own messages are never unread for her.
    expect((await unreadCounts(server.context.db, alice!.user.id)).get(conversation.id)).toBe(0);
  });

  it('concurrent receipts in any order settle on the newest', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const [a, b] = [await online(alice!), await online(bob!)];
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const ack = await a.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: `c${i}` });
      if (ack.ok) ids.push(ack.message.id);
    }
    await Promise.all([...ids].reverse().map((messageId) => b.timeout(ACK_MS).emitWithAck('markAsRead', { conversationId: conversation.id, messageId })));
    const cursor = await server.context.db.participant.findUniqueOrThrow({
      where: { conversationId_userId: { conversationId: conversation.id, userId: bob!.user.id } },
    });
    expect(cursor.lastReadMessageId).toBe(ids.at(-1));
    expect(cursor.lastReadSeq).toBe(8n);
  });
});

describe('presence', () => {
  it('counts every tab: online with the first, offline only after the last closes', async () => {
    const [alice, bob, stranger] = await makeMembers(server, 3);
    await privateChat(server, alice!, bob!);
    const a = await online(alice!);
    const s = await online(stranger!);
    const onlineAtAlice = collect<{ userId: string }>(a, 'userOnline');
    const offlineAtAlice = collect<{ userId: string }>(a, 'userOffline');
    const atStranger = [...collect(s, 'userOnline'), ...collect(s, 'userOffline')];

    const tab1 = await connect(server, bob!);
    const tab2 = await connect(server, bob!);
    await eventually(() => onlineAtAlice.length > 0, 3000, 'userOnline');
    await sleep(150);
    expect(onlineAtAlice.map((e) => e.userId)).toEqual([bob!.user.id]);

    tab1.close();
    await sleep(server.config.presenceGraceMs + 300);
    expect(offlineAtAlice).toEqual([]);

    tab2.close();
    await eventually(() => offlineAtAlice.length > 0, server.config.presenceGraceMs + 3000, 'userOffline');
    expect(offlineAtAlice[0]).toMatchObject({ userId: bob!.user.id, username: bob!.user.username });
    expect(atStranger).toEqual([]);
    const stored = await server.context.db.user.findUniqueOrThrow({ where: { id: bob!.user.id } });
    expect(stored.lastSeenAt).not.toBeNull();
  });

  it('a reload within the grace period does not flap', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    await privateChat(server, alice!, bob!);
    const a = await online(alice!);
    const first = await connect(server, bob!);
    await sleep(200);
    const events = [...collect(a, 'userOnline'), ...collect(a, 'userOffline')];
    first.close();
    const again = await connect(server, bob!);
    open.push(again);
    await sleep(server.config.presenceGraceMs + 400);
    expect(events).toEqual([]);
  });

  it('tells a new socket who among its contacts is online', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    await privateChat(server, alice!, bob!);
    await online(bob!);
    await online(carol!);
    // Listen before connecting: the state is sent as soon as the handshake is accepted.
    let statePromise!: ReturnType<typeof nextEvent<'presenceState'>>;
    open.push(await connectClient(server.url, alice!.token, (socket) => (statePromise = nextEvent(socket, 'presenceState'))));
    const state = await statePromise;
    expect(state.online).toEqual([bob!.user.id]);
  });

  it('people who just became contacts learn at once that the other is online; strangers hear nothing', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const [a, b, c] = [await online(alice!), await online(bob!), await online(carol!)];
    const atAlice = collect<{ userId: string }>(a, 'userOnline');
    const atBob = collect<{ userId: string }>(b, 'userOnline');
    const atCarol = collect(c, 'userOnline');
    const ack = await a.timeout(ACK_MS).emitWithAck('createConversation', { type: 'private', participantIds: [bob!.user.id] });
    expect(ack.ok).toBe(true);
    await eventually(() => atAlice.length > 0 && atBob.length > 0, 3000, 'userOnline for the new contacts');
    expect(atAlice.map((e) => e.userId)).toEqual([bob!.user.id]);
    expect(atBob.map((e) => e.userId)).toEqual([alice!.user.id]);
    await sleep(200);
    expect(atCarol).toEqual([]);
  });

  it('a member added to a group learns who is online there, and the others learn of them', async () => {
    const [admin, bob, carol, dave] = await makeMembers(server, 4);
    const group = await groupChat(server, admin!, [bob!, dave!]); // dave stays offline
    const [a, c] = [await online(admin!), await online(carol!)];
    await online(bob!);
    await sleep(100);
    const atAdmin = collect<{ userId: string }>(a, 'userOnline');
    const atCarol = collect<{ userId: string }>(c, 'userOnline');
    const response = await api(server, admin!.token, 'POST', `/api/conversations/${group.id}/participants`, { userId: carol!.user.id });
    expect(response.status).toBe(201);
    await eventually(() => atCarol.length >= 2 && atAdmin.length >= 1, 3000, 'userOnline after the add');
    expect(atCarol.map((e) => e.userId).sort()).toEqual([admin!.user.id, bob!.user.id].sort());
    expect(atAdmin.map((e) => e.userId)).toEqual([carol!.user.id]);
  });
});

describe('load: 100 clients each sending 10 messages to one conversation', () => {
  it('delivers every message to every member, nothing lost', { timeout: 120_000 }, async () => {
    const members = await makeMembers(server, 100);
    const conversation = await groupChat(server, members[0]!, members.slice(1), 'Load');
    const sockets = await Promise.all(members.map((m) => online(m)));
    const received = sockets.map((s) => {
      const ids = new Set<string>();
      s.on('newMessage', ({ message }) => ids.add(message.id));
      return ids;
    });
    const acks = await Promise.all(
      sockets.flatMap((s, i) =>
        Array.from({ length: 10 }, (_, j) =>
          s.timeout(60_000).emitWithAck('sendMessage', { conversationId: conversation.id, content: `m${j} from ${i}`, clientId: `load-${i}-${j}` }),
        ),
      ),
    );
    expect(acks.filter((ack) => !ack.ok)).toEqual([]);
    const sentIds = new Set(acks.map((ack) => (ack.ok ? ack.message.id : '')));
    expect(sentIds.size).toBe(1000);
    await eventually(() => received.every((ids) => ids.size === 1000), 60_000, 'all deliveries');
    for (const ids of received) expect([...ids].every((id) => sentIds.has(id))).toBe(true);
    expect(await server.context.db.message.count({ where: { conversationId: conversation.id } })).toBe(1000);
  });
});
