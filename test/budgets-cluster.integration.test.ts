// Budgets and the socket cap across two server processes on Redis: one user spends one budget and
// holds one count of sockets, whichever nodes their connections land on.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '@/lib/auth/tokens';
import { BUDGETS } from '@/lib/chat/budgets';
import { createConversation } from '@/lib/chat/conversations';
import type { UserDto } from '@/lib/protocol';
import { connectClient, createUser, type ChatClient } from './helpers/factories';
import { sleep } from './helpers/chat';
import { createSharedDatabase, startNode, type NodeProcess, type SharedDatabase } from './helpers/cluster';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from './helpers/redis';

const AUTH_SECRET = randomBytes(32).toString('hex');
const MAX_SOCKETS = 2;

let db: SharedDatabase;
let prefix: string;
let nodeA: NodeProcess;
let nodeB: NodeProcess;
const open: ChatClient[] = [];

beforeAll(async () => {
  db = await createSharedDatabase();
  prefix = uniquePrefix('budgets');
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    AUTH_SECRET,
    LOG_LEVEL: 'warn',
    SERVE_WEB: 'false',
    MAX_SOCKETS_PER_USER: String(MAX_SOCKETS),
  };
  [nodeA, nodeB] = await Promise.all([startNode(env), startNode(env)]);
}, 90_000);

afterEach(() => {
  while (open.length) open.pop()!.close();
});

afterAll(async () => {
  await Promise.all([nodeA?.stop(), nodeB?.stop()]);
  await db?.close();
  if (prefix) await deletePrefix(prefix);
});

async function member(): Promise<{ user: UserDto; token: string }> {
  const user = await createUser(db.db);
  const { token } = await issueToken({ sub: user.id, username: user.username, name: user.name }, AUTH_SECRET, 3600);
  return { user, token };
}

async function on(node: NodeProcess, token: string): Promise<ChatClient> {
  const socket = await connectClient(node.url, token);
  open.push(socket);
  return socket;
}

describe('two nodes on Redis', () => {
  it('share one send budget per user', async () => {
    const [alice, bob] = [await member(), await member()];
    const { conversation } = await createConversation(db.db, alice.user.id, { type: 'private', participantIds: [bob.user.id] });
    const [a, b] = [await on(nodeA, alice.token), await on(nodeB, alice.token)];
    const each = BUDGETS.send.points;
    const send = (socket: ChatClient, i: number) =>
      socket.timeout(20_000).emitWithAck('sendMessage', { conversationId: conversation.id, content: `both nodes ${i}` });
    const acks = await Promise.all(Array.from({ length: each }, (_, i) => [send(a, i), send(b, i)]).flat());
    expect(acks.filter((ack) => ack.ok)).toHaveLength(BUDGETS.send.points);
    expect(acks.filter((ack) => !ack.ok && ack.error.code === 'rate_limited')).toHaveLength(each * 2 - BUDGETS.send.points);
    expect(await db.db.message.count({ where: { senderId: alice.user.id } })).toBe(BUDGETS.send.points);
  });

  it('count a user’s sockets on every node against one cap', async () => {
    const alice = await member();
    await on(nodeA, alice.token);
    const onB = await on(nodeB, alice.token);
    await expect(connectClient(nodeA.url, alice.token)).rejects.toThrow('too_many_connections');
    await expect(connectClient(nodeB.url, alice.token)).rejects.toThrow('too_many_connections');
    onB.close();
    await sleep(300);
    await on(nodeA, alice.token);
  });
});
