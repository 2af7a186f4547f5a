// The sync engine against a real Socket.IO server over loopback (a stand-in for the chat server,
// so each test can make it misbehave on purpose: wrong event shapes, slow acks, refusals, a hang
// up mid-queue) and a real HTTP stand-in for POST /api/sync. What is tested is the engine: its
// event intake, its catch-up rounds and its ordered outbox.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryClient } from '@tanstack/react-query';
import { Server, type Namespace } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ack, ClientToServerEvents, MessageDto, ServerToClientEvents, SyncDto, SyncInput } from '../../protocol';
import { createApi } from '../api';
import { flattenPages, type MessagePages } from '../message-cache';
import { queryKeys } from '../query-keys';
import { createChatSocket } from '../socket';
import { useConnectionStore } from '../stores/connection';
import { inQueueOrder, useOutboxStore } from '../stores/outbox';
import { SyncEngine } from '../sync-engine';
import { alice, bob, conversation, message } from './fixtures';

// State waits: the first connect and load over loopback can take seconds while the rest of the
// suite keeps both cores busy.
const SETTLE = { timeout: 10_000 };

type StandIn = {
  url: string;
  chat: Namespace<ClientToServerEvents, ServerToClientEvents>;
  /** Bodies of the POST /api/sync requests, in order; `answer` makes each reply. */
  syncRequests: SyncInput[];
  answerSync: (input: SyncInput) => SyncDto;
  close: () => Promise<void>;
};

async function startStandIn(): Promise<StandIn> {
  const http: HttpServer = createServer();
  const standIn = { syncRequests: [] as SyncInput[], answerSync: (): SyncDto => ({ conversations: [], left: [], messages: {} }) } as unknown as StandIn;
  http.on('request', (request, response) => {
    if (request.url !== '/api/sync' || request.method !== 'POST') return; // Socket.IO's own requests
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const input = JSON.parse(body) as SyncInput;
      standIn.syncRequests.push(input);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(standIn.answerSync(input)));
    });
  });
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  standIn.chat = io.of('/chat');
  standIn.close = async () => {
    await io.close();
  };
  return standIn;
}

let standIn: StandIn;
let engine: SyncEngine | null = null;
let qc: QueryClient;

/** An engine for Alice, talking to the stand-in; not started. */
function makeEngine(): SyncEngine {
  engine = new SyncEngine(qc, alice, {
    socket: () => createChatSocket(standIn.url, { autoConnect: false, transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 100 }),
    api: createApi(standIn.url),
    onSignedOut: () => {},
  });
  return engine;
}

function startEngine(): SyncEngine {
  const started = makeEngine();
  started.start();
  return started;
}

/** A history of c-1 already on screen, holding these messages. */
function holdHistory(...messages: MessageDto[]) {
  qc.setQueryData<MessagePages>(queryKeys.messages('c-1'), { pages: [{ messages, nextCursor: null, hasMore: false }], pageParams: [null] });
}

const heldSeqs = () => flattenPages(qc.getQueryData<MessagePages>(queryKeys.messages('c-1'))).map((m) => m.seq);

beforeEach(async () => {
  standIn = await startStandIn();
  qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  useOutboxStore.getState().clear();
});

afterEach(async () => {
  engine?.stop();
  engine = null;
  vi.restoreAllMocks();
  await standIn.close();
});

describe('sync engine: live events', () => {
  it('drops a malformed event with a warning naming it and what was wrong, and goes on with the next ones', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    holdHistory(message(1, bob));
    // Catch-up still lists c-1 (an answer without it would make the engine forget its history).
    standIn.answerSync = () => ({ conversations: [conversation()], left: [], messages: {} });
    standIn.chat.on('connection', (socket) => {
      // Wrong shapes: a message without most of its fields, a receipt without its seq (as a server
      // from before seq would send), a payload that is not even an object.
      socket.emit('newMessage', { message: { id: 'broken', content: 'no sender' } } as never);
      socket.emit('messageRead', { messageId: 'x', conversationId: 'c-1', readBy: bob.id, readAt: '2025-01-01T12:00:00.000Z' } as never);
      socket.emit('userOnline', 'nonsense' as never);
      socket.emit('newMessage', { message: message(2, bob), conversation: { id: 'c-1', name: null, type: 'private' } });
    });
    startEngine();

    await vi.waitFor(() => expect(heldSeqs()).toEqual([1, 2]), SETTLE);
    expect(useConnectionStore.getState().status).toBe('online');
    const dropped = warn.mock.calls.filter(([text]) => String(text).startsWith('chat: dropped a malformed'));
    expect(dropped.map(([text]) => text)).toEqual([
      'chat: dropped a malformed "newMessage" event',
      'chat: dropped a malformed "messageRead" event',
      'chat: dropped a malformed "userOnline" event',
    ]);
    // The zod issues say where: the message's missing seq, the receipt's missing seq.
    const paths = (call: unknown[]) => (call[1] as { path: PropertyKey[] }[]).map((issue) => issue.path.join('.'));
    expect(paths(dropped[0]!)).toContain('message.seq');
    expect(paths(dropped[1]!)).toEqual(['seq']);
    expect(flattenPages(qc.getQueryData(queryKeys.messages('c-1'))).some((m) => m.id === 'broken')).toBe(false);
  });
});

describe('sync engine: catch-up', () => {
  it('asks once per round for everything after the newest seq held, again only for a history with more', async () => {
    holdHistory(message(1, bob), message(2, alice));
    qc.setQueryData(queryKeys.conversations, [conversation({ lastMessage: message(2, alice) })]);
    standIn.answerSync = ({ conversations }) => {
      const after = conversations['c-1'];
      const list = [conversation({ lastMessage: message(5, bob), unreadCount: 3 })];
      if (after === 2) return { conversations: list, left: [], messages: { 'c-1': { messages: [message(3, bob), message(4, bob)], hasMore: true } } };
      return { conversations: list, left: [], messages: { 'c-1': { messages: [message(5, bob)], hasMore: false } } };
    };
    startEngine();

    await vi.waitFor(() => expect(heldSeqs()).toEqual([1, 2, 3, 4, 5]), SETTLE);
    expect(standIn.syncRequests).toEqual([{ conversations: { 'c-1': 2 } }, { conversations: { 'c-1': 4 } }]);
    expect(qc.getQueryData<ReturnType<typeof conversation>[]>(queryKeys.conversations)?.[0]).toMatchObject({ unreadCount: 3, lastMessage: { seq: 5 } });
  });

  it('forgets a history the answer no longer has (left or removed while away)', async () => {
    holdHistory(message(1, bob));
    startEngine();
    await vi.waitFor(() => expect(standIn.syncRequests).toHaveLength(1), SETTLE);
    await vi.waitFor(() => expect(qc.getQueryData(queryKeys.messages('c-1'))).toBeUndefined(), SETTLE);
  });
});

/** A chat server stand-in for sendMessage: stores in arrival order, acks after `delayMs`. */
function acceptSends(options: { delayMs?: number; answer?: (clientId: string, attempt: number) => Ack<{ message: MessageDto }> | 'hang up' | null } = {}) {
  const stored: { clientId: string; content: string }[] = [];
  const attempts = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  standIn.chat.on('connection', (socket) => {
    socket.on('sendMessage', (payload, ack) => {
      const clientId = payload.clientId!;
      const attempt = (attempts.get(clientId) ?? 0) + 1;
      attempts.set(clientId, attempt);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        const special = options.answer?.(clientId, attempt);
        if (special === 'hang up') {
          socket.disconnect(true);
          return;
        }
        if (special) {
          ack?.(special);
          return;
        }
        // A clientId seen before is the same message (the server's idempotency).
        let seq = stored.findIndex((m) => m.clientId === clientId) + 1;
        if (!seq) seq = stored.push({ clientId, content: payload.content ?? '' });
        ack?.({ ok: true, message: message(seq, alice, { content: payload.content, clientId }) });
      }, options.delayMs ?? 5);
    });
  });
  return {
    contents: () => stored.map((m) => m.content),
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

/** Types `count` messages into c-1 ("typed 1", "typed 2", …); returns their clientIds. */
function queue(engine: SyncEngine, count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, i) => engine.send({ conversationId: 'c-1', content: `typed ${from + i}`, replyTo: null }));
}

const typed = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `typed ${from + i}`);
const outboxIsEmpty = () => expect(useOutboxStore.getState().messages).toEqual({});

describe('sync engine: the outbox', () => {
  it('sends what was queued before connecting one at a time, in the typed order', async () => {
    const server = acceptSends({ delayMs: 10 });
    const engine = makeEngine();
    const ids = queue(engine, 20); // not started: nothing can go yet
    expect(inQueueOrder(useOutboxStore.getState().messages).map((m) => m.clientId)).toEqual(ids);
    engine.start();
    await vi.waitFor(outboxIsEmpty, { timeout: 10_000 });
    expect(server.contents()).toEqual(typed(1, 20));
    expect(server.maxInFlight).toBe(1);
  });

  it('marks a refused message failed and goes on with the rest; a retry is sent after them', async () => {
    let refused = '';
    const refusal = { ok: false, error: { code: 'bad_request', message: 'Not like that.' } } as const;
    const server = acceptSends({ answer: (clientId, attempt) => (clientId === refused && attempt === 1 ? refusal : null) });
    const engine = makeEngine();
    refused = queue(engine, 5)[2]!; // "typed 3"
    engine.start();

    await vi.waitFor(() => expect(server.contents()).toHaveLength(4), SETTLE);
    expect(server.contents()).toEqual(['typed 1', 'typed 2', 'typed 4', 'typed 5']);
    await vi.waitFor(() => expect(useOutboxStore.getState().messages[refused]).toMatchObject({ status: 'failed', error: 'Not like that.' }), SETTLE);

    engine.retry(refused);
    await vi.waitFor(outboxIsEmpty, SETTLE);
    expect(server.contents()).toEqual(['typed 1', 'typed 2', 'typed 4', 'typed 5', 'typed 3']);
  });

  it('after the server hangs up mid-queue, sends the unanswered message again first: nothing reordered, nothing twice', async () => {
    let hungUp = false;
    const server = acceptSends({
      answer: () => {
        if (hungUp || server.contents().length !== 7) return null;
        hungUp = true;
        return 'hang up'; // the 8th arrives, is not answered, and the connection goes
      },
    });
    queue(startEngine(), 15);
    await vi.waitFor(outboxIsEmpty, { timeout: 15_000 });
    expect(hungUp).toBe(true);
    expect(server.contents()).toEqual(typed(1, 15));
    expect(server.maxInFlight).toBe(1);
  });

  it('waits and tries the same message again when told to slow down, keeping the order', async () => {
    const slowDown = { ok: false, error: { code: 'rate_limited', message: 'Slow down.' } } as const;
    const server = acceptSends({ answer: (_clientId, attempt) => (server.contents().length === 2 && attempt === 1 ? slowDown : null) });
    queue(startEngine(), 5);
    await vi.waitFor(outboxIsEmpty, { timeout: 10_000 });
    expect(server.contents()).toEqual(typed(1, 5));
  });
});
