// Two server processes behind one chat, sharing PostgreSQL and Redis: messages, typing, receipts,
// room changes and presence cross nodes, and a node killed with SIGKILL takes its users offline.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '@/lib/auth/tokens';
import { createConversation } from '@/lib/chat/conversations';
import type { UserDto } from '@/lib/protocol';
import { connectClient, createUser, nextEvent, type ChatClient } from './helpers/factories';
import { collect, sleep } from './helpers/chat';
import { createSharedDatabase, startNode, type NodeProcess, type SharedDatabase } from './helpers/cluster';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from './helpers/redis';

const AUTH_SECRET = randomBytes(32).toString('hex');
const GRACE_MS = 300;
const NODE_TTL_MS = 2000;
const EVENT_MS = 10_000;

let db: SharedDatabase;
let prefix: string;
let nodeA: NodeProcess;
let nodeB: NodeProcess;
const open: ChatClient[] = [];

beforeAll(async () => {
  db = await createSharedDatabase();
  prefix = uniquePrefix('cluster');
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    AUTH_SECRET,
    LOG_LEVEL: 'warn',
    PRESENCE_GRACE_MS: String(GRACE_MS),
    PRESENCE_NODE_TTL_MS: String(NODE_TTL_MS),
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  };
  // A serves REST too (for removing a member); B serves sockets only.
  [nodeA, nodeB] = await Promise.all([startNode({ ...env, SERVE_WEB: 'true' }), startNode({ ...env, SERVE_WEB: 'false' })]);
}, 90_000);

afterEach(() => {
  while (open.length) open.pop()!.close();
});

afterAll(async () => {
  await Promise.all([nodeA?.stop(), nodeB?.stop()]);
  await db?.close();
  if (prefix) await deletePrefix(prefix);
});

type Member = { user: UserDto; token: string };

async function members(count: number): Promise<Member[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const user = await createUser(db.db);
      const { token } = await issueToken({ sub: user.id, username: user.username, name: user.name }, AUTH_SECRET, 3600);
      return { user, token };
    }),
  );
}

async function on(node: NodeProcess, member: Member, beforeConnect?: (socket: ChatClient) => void): Promise<ChatClient> {
  const socket = await connectClient(node.url, member.token, beforeConnect);
  open.push(socket);
  return socket;
}

async function privateChat(a: Member, b: Member) {
  return (await createConversation(db.db, a.user.id, { type: 'private', participantIds: [b.user.id] })).conversation;
}

describe('two nodes', () => {
  it('delivers a message sent on one node to a member on the other', async () => {
    const [alice, bob] = await members(2);
    const conversation = await privateChat(alice!, bob!);
    const [a, b] = [await on(nodeA, alice!), await on(nodeB, bob!)];
    const received = nextEvent(b, 'newMessage', EVENT_MS);
    const ack = await a.timeout(EVENT_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'across nodes' });
    expect(ack).toMatchObject({ ok: true });
    const event = await received;
    expect(event.message).toMatchObject({ content: 'across nodes', senderId: alice!.user.id, conversationId: conversation.id });

    const back = nextEvent(a, 'newMessage', EVENT_MS);
    await b.timeout(EVENT_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'and back' });
    expect((await back).message).toMatchObject({ content: 'and back', senderId: bob!.user.id });
  });

  it('relays typing and read and delivered receipts across nodes', async () => {
    const [alice, bob] = await members(2);
    const conversation = await privateChat(alice!, bob!);
    const [a, b] = [await on(nodeA, alice!), await on(nodeB, bob!)];

    const typing = nextEvent(b, 'userTyping', EVENT_MS);
    await a.timeout(EVENT_MS).emitWithAck('typing', { conversationId: conversation.id, isTyping: true });
    expect(await typing).toMatchObject({ userId: alice!.user.id, conversationId: conversation.id, isTyping: true });
    const stopped = nextEvent(b, 'userTyping', EVENT_MS);
    await a.timeout(EVENT_MS).emitWithAck('typing', { conversationId: conversation.id, isTyping: false });
    expect(await stopped).toMatchObject({ userId: alice!.user.id, isTyping: false });

    const ack = await a.timeout(EVENT_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'read me' });
    if (!ack.ok) throw new Error(ack.error.message);
    const messageId = ack.message.id;
    const delivered = nextEvent(a, 'messageDelivered', EVENT_MS);
    await b.timeout(EVENT_MS).emitWithAck('markAsDelivered', { conversationId: conversation.id, messageId });
    expect(await delivered).toMatchObject({ messageId, deliveredTo: bob!.user.id });
    const read = nextEvent(a, 'messageRead', EVENT_MS);
    await b.timeout(EVENT_MS).emitWithAck('markAsRead', { conversationId: conversation.id, messageId });
    expect(await read).toMatchObject({ messageId, conversationId: conversation.id, readBy: bob!.user.id });
  });

  it('joins and removes the sockets of a user connected to the other node', async () => {
    const [alice, carol] = await members(2);
    const [a, c] = [await on(nodeA, alice!), await on(nodeB, carol!)];

    // Created on A: carol's socket on B joins the room through the adapter.
    const invited = nextEvent(c, 'newConversation', EVENT_MS);
    const created = await a.timeout(EVENT_MS).emitWithAck('createConversation', { type: 'group', name: 'Ops', participantIds: [carol!.user.id] });
    if (!created.ok) throw new Error(created.error.message);
    const conversationId = created.conversation.id;
    expect((await invited).conversation.id).toBe(conversationId);
    const atCarol = collect<{ message: { content: string } }>(c, 'newMessage');
    const first = nextEvent(c, 'newMessage', EVENT_MS);
    await a.timeout(EVENT_MS).emitWithAck('sendMessage', { conversationId, content: 'welcome' });
    expect((await first).message.content).toBe('welcome');

    // Removed over REST on A: carol's socket on B leaves the room.
    const removed = nextEvent(c, 'removedFromConversation', EVENT_MS);
    const response = await fetch(`${nodeA.url}/api/conversations/${conversationId}/participants/${carol!.user.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${alice!.token}` },
    });
    expect(response.status).toBe(204);
    expect(await removed).toEqual({ conversationId });
    const own = nextEvent(a, 'newMessage', EVENT_MS);
    await a.timeout(EVENT_MS).emitWithAck('sendMessage', { conversationId, content: 'after carol left' });
    await own; // delivered on A; the same broadcast reached B by now or is about to
    await sleep(500);
    expect(atCarol.map((event) => event.message.content)).toEqual(['welcome']);
  });

  it('counts a user with a tab on each node online until both close', async () => {
    const [dave, erin] = await members(2);
    await privateChat(dave!, erin!);
    const e = await on(nodeA, erin!);
    const offline = collect<{ userId: string }>(e, 'userOffline');

    const cameOnline = nextEvent(e, 'userOnline', EVENT_MS);
    const onB = await on(nodeB, dave!);
    expect(await cameOnline).toMatchObject({ userId: dave!.user.id });
    const onA = await on(nodeA, dave!);

    onA.close();
    await sleep(GRACE_MS + 1500);
    expect(offline).toEqual([]);
    // A new socket of erin's, on the other node, is told dave is online.
    let state!: ReturnType<typeof nextEvent<'presenceState'>>;
    await on(nodeB, erin!, (fresh) => (state = nextEvent(fresh, 'presenceState', EVENT_MS)));
    expect((await state).online).toContain(dave!.user.id);

    expect((await db.db.user.findUniqueOrThrow({ where: { id: dave!.user.id } })).lastSeenAt).toBeNull();
    const wentOffline = nextEvent(e, 'userOffline', EVENT_MS);
    onB.close();
    const offlineEvent = await wentOffline;
    expect(offlineEvent).toMatchObject({ userId: dave!.user.id });
    // Last seen is stored by the node where the last socket went, as the time the others were told.
    expect((await db.db.user.findUniqueOrThrow({ where: { id: dave!.user.id } })).lastSeenAt?.toISOString()).toBe(offlineEvent.timestamp);
  });

  // Last: node A does not survive it.
  it('takes the users of a node killed with SIGKILL offline for the others', async () => {
    const [frank, gina] = await members(2);
    const conversation = await privateChat(frank!, gina!);
    const g = await on(nodeB, gina!);
    const cameOnline = nextEvent(g, 'userOnline', EVENT_MS);
    await on(nodeA, frank!);
    await cameOnline;

    const wentOffline = nextEvent(g, 'userOffline', NODE_TTL_MS + EVENT_MS);
    await nodeA.stop('SIGKILL');
    const killedAt = Date.now();
    const offlineEvent = await wentOffline;
    expect(offlineEvent).toMatchObject({ userId: frank!.user.id });
    // The survivor stores the crashed node's user's last seen.
    expect((await db.db.user.findUniqueOrThrow({ where: { id: frank!.user.id } })).lastSeenAt?.toISOString()).toBe(offlineEvent.timestamp);
    // Not the grace timer of a node that said goodbye: the crash was noticed by expiry.
    expect(Date.now() - killedAt).toBeGreaterThan(NODE_TTL_MS / 2);

    // The surviving node goes on serving its own sockets.
    const echo = nextEvent(g, 'newMessage', EVENT_MS);
    await g.timeout(EVENT_MS).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'still here' });
    expect((await echo).message.content).toBe('still here');
  });
});
