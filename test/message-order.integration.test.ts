// Message order end to end: a burst of sends from one socket, fired without waiting for acks (as
// an outbox flush does after a reconnect), comes back in send order from every read (history,
// catch-up, sync, search) and live; two senders interleaving are seen in one order by everyone.
// Real server, real socket.io clients over loopback, real database.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDto } from '@/lib/protocol';
import { startTestServer, type TestServer } from './helpers/server';
import type { ChatClient } from './helpers/factories';
import { api, collect, connect, eventually, groupChat, makeMembers } from './helpers/chat';

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

const ACK_MS = 15_000;

/** Fires every send at once, without waiting for one ack before the next. */
function burst(socket: ChatClient, conversationId: string, contents: string[]) {
  return Promise.all(
    contents.map((content, i) => socket.timeout(ACK_MS).emitWithAck('sendMessage', { conversationId, content, clientId: `${content}-${i}` })),
  );
}

const contentsOf = (messages: MessageDto[]) => messages.map((m) => m.content);

describe('message order', () => {
  it('30 concurrent sends from one socket come back in send order from history, catch-up, sync, search and live', { timeout: 60_000 }, async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await groupChat(server, alice!, [bob!], 'Order');
    const [a, b] = [await connect(server, alice!), await connect(server, bob!)];
    open.push(a, b);
    const live = collect<{ message: MessageDto }>(b, 'newMessage');
    const sent = Array.from({ length: 30 }, (_, i) => `burst ${String(i).padStart(2, '0')}`);

    const acks = await burst(a, conversation.id, sent);
    expect(acks.filter((ack) => !ack.ok)).toEqual([]);
    const acked = acks.map((ack) => (ack.ok ? ack.message : null)!);

    // History (what a reload shows).
    const history = await api(server, bob!.token, 'GET', `/api/conversations/${conversation.id}/messages?limit=50`);
    expect(contentsOf(history.body.messages)).toEqual(sent);
    // Each send got the next seq, in the order sent.
    expect(acked.map((m) => m.seq)).toEqual(sent.map((_, i) => i + 1));
    expect(history.body.messages.map((m: MessageDto) => m.seq)).toEqual(sent.map((_, i) => i + 1));

    // Catch-up after the first message.
    const after = await api(server, bob!.token, 'GET', `/api/conversations/${conversation.id}/messages?after=${acked[0]!.id}&limit=100`);
    expect(contentsOf(after.body.messages)).toEqual(sent.slice(1));
    expect(after.body).toMatchObject({ hasMore: false, nextCursor: acked.at(-1)!.id });

    // Sync from the start.
    const sync = await api(server, bob!.token, 'POST', '/api/sync', { conversations: { [conversation.id]: 0 } });
    expect(sync.status).toBe(200);
    expect(contentsOf(sync.body.messages[conversation.id].messages)).toEqual(sent);

    // Search: newest first, so the reverse of the send order.
    const found = await api(server, bob!.token, 'GET', `/api/conversations/${conversation.id}/search?q=burst`);
    expect(contentsOf(found.body.messages)).toEqual([...sent].reverse());

    // Live, at the other member.
    await eventually(() => live.length === 30, 10_000, '30 live messages');
    expect(live.map((event) => event.message.content)).toEqual(sent);
    expect(live.map((event) => event.message.seq)).toEqual(sent.map((_, i) => i + 1));
  });

  it('two senders interleaving: every client live and history agree on one order, the seq order', { timeout: 60_000 }, async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const conversation = await groupChat(server, alice!, [bob!, carol!], 'Two voices');
    const [a, b, c] = [await connect(server, alice!), await connect(server, bob!), await connect(server, carol!)];
    open.push(a, b, c);
    const seen = [a, b, c].map((socket) => collect<{ message: MessageDto }>(socket, 'newMessage'));

    const fromAlice = Array.from({ length: 15 }, (_, i) => `alice ${i}`);
    const fromBob = Array.from({ length: 15 }, (_, i) => `bob ${i}`);
    const [aliceAcks, bobAcks] = await Promise.all([burst(a, conversation.id, fromAlice), burst(b, conversation.id, fromBob)]);
    expect([...aliceAcks, ...bobAcks].filter((ack) => !ack.ok)).toEqual([]);

    const history = await api(server, carol!.token, 'GET', `/api/conversations/${conversation.id}/messages?limit=50`);
    const order: string[] = contentsOf(history.body.messages);
    expect(history.body.messages.map((m: MessageDto) => m.seq)).toEqual(order.map((_, i) => i + 1));
    // Each sender's own messages in the order they sent them.
    expect(order.filter((content) => content.startsWith('alice'))).toEqual(fromAlice);
    expect(order.filter((content) => content.startsWith('bob'))).toEqual(fromBob);

    await eventually(() => seen.every((events) => events.length === 30), 10_000, '30 live messages at every client');
    for (const events of seen) expect(events.map((event) => event.message.content)).toEqual(order);
  });
});
