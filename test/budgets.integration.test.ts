// Per-user budgets on every action, over REST and the socket alike, and the per-user socket cap:
// one user flooding is cut off with rate_limited (429 with Retry-After over REST), others are not.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUDGETS } from '@/lib/chat/budgets';
import { startTestServer, type TestServer } from './helpers/server';
import { api, collect, connect, groupChat, makeMembers, privateChat, sleep, type Member } from './helpers/chat';
import { connectClient, type ChatClient } from './helpers/factories';

const MAX_SOCKETS = 3;
let server: TestServer;
const open: ChatClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { MAX_SOCKETS_PER_USER: String(MAX_SOCKETS) } });
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

/** Runs the calls with at most `width` at a time, in order. */
async function inWaves<T>(count: number, width: number, call: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += width) {
    const wave = Array.from({ length: Math.min(width, count - start) }, (_, i) => call(start + i));
    results.push(...(await Promise.all(wave)));
  }
  return results;
}

async function restSend(member: Member, conversationId: string, content: string) {
  const response = await fetch(`${server.url}/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${member.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content }),
  });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), code: body.error?.code };
}

type Ack = { ok: boolean; error?: { code: string } };
const emit = (socket: ChatClient, event: string, payload: unknown) =>
  (socket.timeout(20_000).emitWithAck as (event: string, payload: unknown) => Promise<Ack>)(event, payload);
const codes = (acks: Ack[]) => acks.map((ack) => (ack.ok ? 'ok' : ack.error?.code));

describe('budgets', () => {
  it('answers REST sends past the budget with 429 and Retry-After; another user still sends', async () => {
    const [flooder, victim] = await makeMembers(server, 2);
    const chat = await privateChat(server, flooder!, victim!);
    const started = Date.now();
    const answers = await inWaves(300, 50, (i) => restSend(flooder!, chat.id, `flood ${i}`));
    // A slow machine may take more than one budget window for the 300: each window allows the budget.
    const windows = Math.ceil((Date.now() - started) / (BUDGETS.send.durationSec * 1000));
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 429);
    expect(created.length).toBeGreaterThanOrEqual(BUDGETS.send.points);
    expect(created.length).toBeLessThanOrEqual(BUDGETS.send.points * windows);
    expect(refused).toHaveLength(300 - created.length);
    for (const answer of refused) {
      expect(answer.code).toBe('rate_limited');
      const seconds = Number(answer.retryAfter);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(BUDGETS.send.durationSec);
    }
    expect(await server.context.db.message.count({ where: { senderId: flooder!.user.id } })).toBe(created.length);
    expect((await restSend(victim!, chat.id, 'still here')).status).toBe(201);
  });

  it('is one budget for the socket and REST: half spent over each, the next send is refused on both', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const half = BUDGETS.send.points / 2;
    const rest = await inWaves(half, 10, (i) => restSend(alice!, chat.id, `rest ${i}`));
    expect(rest.map((a) => a.status)).toEqual(Array(half).fill(201));
    const socket = await online(alice!);
    const acks = await Promise.all(Array.from({ length: half }, (_, i) => emit(socket, 'sendMessage', { conversationId: chat.id, content: `socket ${i}` })));
    expect(codes(acks)).toEqual(Array(half).fill('ok'));
    expect(codes([await emit(socket, 'sendMessage', { conversationId: chat.id, content: 'one too many' })])).toEqual(['rate_limited']);
    expect((await restSend(alice!, chat.id, 'one too many')).status).toBe(429);
  });

  it('cuts off a flood of 3000 markAsRead; another user’s receipts go through', async () => {
    const [flooder, other] = await makeMembers(server, 2);
    const chat = await privateChat(server, flooder!, other!);
    const sent = await api(server, other!.token, 'POST', `/api/conversations/${chat.id}/messages`, { content: 'read me' });
    const receipt = { conversationId: chat.id, messageId: sent.body.message.id as string };
    const socket = await online(flooder!);
    const acks = await Promise.all(Array.from({ length: 3000 }, () => emit(socket, 'markAsRead', receipt)));
    expect(acks.filter((ack) => ack.ok)).toHaveLength(BUDGETS.receipt.points);
    expect(acks.filter((ack) => ack.error?.code === 'rate_limited')).toHaveLength(3000 - BUDGETS.receipt.points);
    const otherSocket = await online(other!);
    expect(await emit(otherSocket, 'markAsDelivered', receipt)).toMatchObject({ ok: true });
  });

  it('cuts off a createConversation flood: the victim hears of no more than the budget', async () => {
    const [flooder, victim] = await makeMembers(server, 2);
    const watching = await online(victim!);
    const announced = collect(watching, 'newConversation');
    const socket = await online(flooder!);
    const payload = (i: number) => ({ type: 'group', name: `spam ${i}`, participantIds: [victim!.user.id] });
    const overSocket = await Promise.all(Array.from({ length: 150 }, (_, i) => emit(socket, 'createConversation', payload(i))));
    const overRest = await inWaves(50, 25, (i) => api(server, flooder!.token, 'POST', '/api/conversations', payload(150 + i)));
    const budget = BUDGETS.createConversation.points;
    expect(overSocket.filter((ack) => ack.ok)).toHaveLength(budget);
    expect(overRest.map((r) => r.status)).toEqual(Array(50).fill(429));
    expect(await server.context.db.conversation.count({ where: { createdById: flooder!.user.id } })).toBe(budget);
    await sleep(300);
    expect(announced).toHaveLength(budget);
  });

  it('budgets joins, searches and user lookups', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const group = await groupChat(server, alice!, [bob!]);
    const socket = await online(alice!);
    const joins = await Promise.all(Array.from({ length: 200 }, () => emit(socket, 'joinConversation', { conversationId: group.id })));
    expect(joins.filter((ack) => ack.ok)).toHaveLength(BUDGETS.join.points);
    const searches = await inWaves(40, 20, () => api(server, alice!.token, 'GET', `/api/conversations/${group.id}/search?q=hello`));
    expect(searches.filter((r) => r.status === 200)).toHaveLength(BUDGETS.search.points);
    expect(searches.filter((r) => r.status === 429)).toHaveLength(40 - BUDGETS.search.points);
    const lookups = await inWaves(BUDGETS.userLookup.points + 5, 25, () => api(server, alice!.token, 'GET', '/api/users?q=user'));
    expect(lookups.filter((r) => r.status === 429)).toHaveLength(5);
  });
});

describe('sockets per user', () => {
  it(`refuses the socket past ${MAX_SOCKETS} with connect_error "too_many_connections", and frees the slot on close`, async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const sockets = await Promise.all(Array.from({ length: MAX_SOCKETS }, () => online(alice!)));
    await expect(connectClient(server.url, alice!.token)).rejects.toThrow('too_many_connections');
    // Another user is not affected.
    await online(bob!);
    sockets[0]!.close();
    await sleep(200);
    await online(alice!);
    await expect(connectClient(server.url, alice!.token)).rejects.toThrow('too_many_connections');
  });

  it('admits exactly the cap when many handshakes race', async () => {
    const [alice] = await makeMembers(server, 1);
    const attempts = await Promise.allSettled(Array.from({ length: 12 }, () => connectClient(server.url, alice!.token)));
    const connected = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    open.push(...connected);
    expect(connected).toHaveLength(MAX_SOCKETS);
    for (const attempt of attempts) if (attempt.status === 'rejected') expect(String(attempt.reason)).toContain('too_many_connections');
  });
});
