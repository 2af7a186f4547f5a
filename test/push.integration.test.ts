// Web Push end to end against a push service on loopback (HTTPS, self-signed certificate trusted
// through the agent given to the server): who gets a push and who does not, what it says once
// decrypted with the subscription's keys, retries, gone subscriptions, the routes' refusals, and
// with Redis two nodes sending each push once.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { openDatabase } from '@/lib/db/open';
import { sendMessage } from '@/lib/chat/messages';
import { subscribe } from '@/lib/push/subscriptions';
import { createPushDispatcher, type PushDispatcher, type PushEvents } from '@/lib/push/dispatcher';
import { MemoryJobQueue } from '@/lib/push/queue';
import { createPushSender } from '@/lib/push/sender';
import { MemoryPresenceStore } from '@/lib/realtime/memory-stores';
import { createServer, type ChatServer } from '@/server/app';
import { emitWithAck } from '@/lib/client/socket';
import { api, connect, eventually, groupChat, makeMembers, privateChat, type Member } from './helpers/chat';
import { connectClient, createUser, nextEvent, tokenFor, type ChatClient } from './helpers/factories';
import { createSharedDatabase, type SharedDatabase } from './helpers/cluster';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from './helpers/redis';
import { startTestServer, type TestServer } from './helpers/server';
import { TestPushService, type BrowserSubscription } from './helpers/push-service';

const RETRY = { baseDelayMs: 20, maxDelayMs: 200 };

/** Follows a node's push work: which members a message was planned for, and each send's end. */
function follow(push: PushDispatcher) {
  const planned = new Map<string, PushEvents['planned'][0]>();
  const settled: PushEvents['settled'][0][] = [];
  push.events.on('planned', (event) => planned.set(event.messageId, event));
  push.events.on('settled', (event) => settled.push(event));
  return { planned, settled };
}
type Followed = ReturnType<typeof follow>;

/** Waits until the message's pushes were all planned and every send has ended (sent, gone, given up…), on any of the nodes followed. */
async function settledFor(followed: Followed[], messageId: string): Promise<PushEvents['planned'][0]> {
  await eventually(
    () => {
      const plan = followed.map((f) => f.planned.get(messageId)).find(Boolean);
      if (!plan) return false;
      const ends = followed.flatMap((f) => f.settled).filter((s) => s.messageId === messageId).length;
      return ends >= plan.deliveries;
    },
    10_000,
    `the pushes of ${messageId}`,
  );
  return followed.map((f) => f.planned.get(messageId)).find(Boolean)!;
}

describe('Web Push', () => {
  let service: TestPushService;
  let server: TestServer;
  let followed: Followed;
  const sockets: ChatClient[] = [];

  beforeAll(async () => {
    service = new TestPushService();
    await service.start();
    server = await startTestServer({ push: { agent: service.agent, retry: RETRY }, env: { METRICS_TOKEN: 'metrics-token-for-push-tests' } });
    followed = follow(server.push);
    // A fresh database and the web app take a while on a loaded machine.
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
    await service?.close();
  }, 120_000);

  async function subscribed(member: Member): Promise<BrowserSubscription> {
    const subscription = service.subscription();
    const response = await api(server, member.token, 'POST', '/api/push/subscriptions', subscription.toJSON());
    expect(response.status).toBe(201);
    return subscription;
  }

  async function send(from: Member, conversationId: string, content: string): Promise<string> {
    const response = await api(server, from.token, 'POST', `/api/conversations/${conversationId}/messages`, { content });
    expect(response.status).toBe(201);
    return response.body.message.id as string;
  }

  async function online(member: Member): Promise<ChatClient> {
    const socket = await connect(server, member);
    sockets.push(socket);
    return socket;
  }

  it('pushes once to each member without a visible tab: none to the sender, none to a visible tab', async () => {
    const [alice, bob, carol, dave] = await makeMembers(server, 4);
    const group = await groupChat(server, alice!, [bob!, carol!, dave!], 'Launch');
    const [subAlice, subBob, subCarol, subDave] = await Promise.all([alice!, bob!, carol!, dave!].map(subscribed));
    await online(alice!);
    await online(carol!); // a tab that never reports: visible
    const daveSocket = await online(dave!);
    expect(await emitWithAck(daveSocket, 'visibility', { visible: false })).toEqual({ ok: true });

    const first = await send(alice!, group.id, 'Hello team');
    const plan = await settledFor([followed], first);
    expect(plan.userIds.sort()).toEqual([bob!.user.id, dave!.user.id].sort());
    expect(service.pushesTo(subBob!).map((p) => p.messageId)).toEqual([first]);
    expect(service.pushesTo(subDave!).map((p) => p.messageId)).toEqual([first]);
    expect(service.pushesTo(subAlice!)).toEqual([]);
    expect(service.pushesTo(subCarol!)).toEqual([]);

    // Dave's tab is in front again: no push for him.
    await emitWithAck(daveSocket, 'visibility', { visible: true });
    const second = await send(alice!, group.id, 'Still there?');
    expect((await settledFor([followed], second)).userIds).toEqual([bob!.user.id]);
    expect(service.pushesTo(subDave!).map((p) => p.messageId)).toEqual([first]);
    expect(service.pushesTo(subBob!).map((p) => p.messageId)).toEqual([first, second]);

    // Dave closes his tab: offline, so pushed again.
    daveSocket.close();
    await eventually(async () => (await (server as ChatServer).io.of('/chat').fetchSockets()).every((s) => s.data.userId !== dave!.user.id));
    const third = await send(alice!, group.id, 'Dave?');
    expect((await settledFor([followed], third)).userIds.sort()).toEqual([bob!.user.id, dave!.user.id].sort());
  });

  it('plans a burst of messages as one job, each message with its own pushes', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const [withPush, withoutPush] = await Promise.all([groupChat(server, alice!, [bob!], 'Burst'), groupChat(server, alice!, [carol!], 'Quiet')]);
    const subBob = await subscribed(bob!);
    const jobs: number[] = [];
    const onPlanning = ({ messages }: { messages: number }) => jobs.push(messages);
    server.push.events.on('planning', onPlanning);
    try {
      const sent: { id: string; conversationId: string }[] = [];
      for (let i = 0; i < 15; i++) {
        for (const conversationId of [withPush.id, withoutPush.id]) {
          const message = await sendMessage(server.context.db, alice!.user.id, { conversationId, content: `burst ${i}`, messageType: 'text' });
          sent.push({ id: message.message.id, conversationId });
        }
      }
      // Noted within one tick, as a busy node notes them: planned together.
      for (const { id, conversationId } of sent) void server.push.messageCreated({ messageId: id, conversationId, senderId: alice!.user.id });
      for (const { id, conversationId } of sent) {
        expect((await settledFor([followed], id)).userIds).toEqual(conversationId === withPush.id ? [bob!.user.id] : []);
      }
      expect(jobs).toEqual([30]);
      expect(service.pushesTo(subBob).map((p) => p.messageId).sort()).toEqual(sent.filter((m) => m.conversationId === withPush.id).map((m) => m.id).sort());
    } finally {
      server.push.events.off('planning', onPlanning);
    }
  });

  it('still plans a one-message job queued by a node from before batching (a queue in Redis may hold some)', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const subBob = await subscribed(bob!);
    const sent = await sendMessage(server.context.db, alice!.user.id, { conversationId: chat.id, content: 'from the old days', messageType: 'text' });
    // A dispatcher of its own on the same database, fed the old job shape straight into its queue.
    const queue = new MemoryJobQueue();
    const old = createPushDispatcher({
      db: server.context.db,
      logger: server.context.logger,
      queue,
      presence: new MemoryPresenceStore(),
      send: createPushSender({ vapid: server.context.config.vapid, agent: service.agent }),
    });
    const oldFollowed = follow(old);
    old.start();
    try {
      await queue.push(JSON.stringify({ id: randomUUID(), kind: 'message', messageId: sent.message.id, conversationId: chat.id, senderId: alice!.user.id, attempt: 0 }));
      expect((await settledFor([oldFollowed], sent.message.id)).userIds).toEqual([bob!.user.id]);
      expect(service.pushesTo(subBob).map((p) => p.messageId)).toEqual([sent.message.id]);
    } finally {
      await old.stop(Promise.resolve());
    }
  });

  it('a tab that starts hidden says so in its handshake', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const subBob = await subscribed(bob!);
    const socket = await new Promise<ChatClient>((resolve, reject) => {
      // As the app does for a tab opened in the background.
      void import('socket.io-client').then(({ io }) => {
        const s = io(`${server.url}/chat`, { auth: { token: bob!.token, hidden: true }, transports: ['websocket'], reconnection: false, forceNew: true }) as ChatClient;
        s.once('connect', () => resolve(s));
        s.once('connect_error', reject);
      });
    });
    sockets.push(socket);
    const id = await send(alice!, chat.id, 'Psst');
    expect((await settledFor([followed], id)).userIds).toEqual([bob!.user.id]);
    expect(service.pushesTo(subBob).map((p) => p.messageId)).toEqual([id]);
  });

  it('sends the sender, the conversation, a preview of at most 120 characters and the ids, encrypted for the subscription', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const group = await groupChat(server, alice!, [bob!], 'Design review');
    const subBob = await subscribed(bob!);
    const long = `${'word '.repeat(60)}end`;
    const direct = await send(alice!, chat.id, long);
    const inGroup = await send(alice!, group.id, 'Short and\nsweet');
    await settledFor([followed], direct);
    await settledFor([followed], inGroup);

    const [first, second] = service.pushesTo(subBob);
    expect(first).toMatchObject({
      kind: 'message',
      conversationId: chat.id,
      conversationType: 'private',
      conversationName: alice!.user.name,
      messageId: direct,
      senderId: alice!.user.id,
      senderName: alice!.user.name,
      url: `/c/${chat.id}?message=${direct}`,
    });
    expect([...first!.preview!].length).toBeLessThanOrEqual(120);
    expect(first!.preview!.endsWith('…')).toBe(true);
    expect(long.startsWith(first!.preview!.slice(0, -1))).toBe(true);
    expect(first!.headers['content-encoding']).toBe('aes128gcm');
    expect(first!.headers.urgency).toBe('high');
    expect(String(first!.headers.authorization)).toMatch(/^vapid t=.+, k=/);
    expect(String(first!.headers.authorization)).toContain(`k=${server.config.vapid.publicKey}`);

    expect(second).toMatchObject({ conversationId: group.id, conversationType: 'group', conversationName: 'Design review', preview: 'Short and sweet', messageId: inGroup });
    expect(second!.headers.urgency).toBe('normal');
  });

  it('hides the content when the user turned previews off', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const subBob = await subscribed(bob!);
    const changed = await api(server, bob!.token, 'PATCH', '/api/me/notifications', { notificationPreviews: false });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ notificationLevel: 'all', notificationPreviews: false });
    const id = await send(alice!, chat.id, 'The launch code is 1234');
    await settledFor([followed], id);
    const [push] = service.pushesTo(subBob);
    expect(push).toMatchObject({ messageId: id, senderName: alice!.user.name, preview: null });
    expect(service.received.at(-1)!.body.includes(Buffer.from('1234'))).toBe(false);
  });

  it('sends nothing when muted or at "nothing"; at "mentions", only a mention or a direct message', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const group = await groupChat(server, alice!, [bob!], 'Busy channel');
    const chat = await privateChat(server, alice!, bob!);
    const subBob = await subscribed(bob!);
    const settings = (body: unknown) => api(server, bob!.token, 'PATCH', `/api/conversations/${group.id}/settings`, body);
    const pushedIds = () => service.pushesTo(subBob).map((p) => p.messageId);

    expect((await settings({ mutedUntil: new Date(Date.now() + 3_600_000).toISOString() })).status).toBe(200);
    const whileMuted = await send(alice!, group.id, 'muted?');
    expect((await settledFor([followed], whileMuted)).userIds).toEqual([]);

    const none = await settings({ mutedUntil: null, notificationLevel: 'none' });
    expect(none.body.conversation.notificationLevel).toBe('none');
    const atNone = await send(alice!, group.id, 'anyone?');
    expect((await settledFor([followed], atNone)).userIds).toEqual([]);

    expect((await settings({ notificationLevel: 'mentions' })).body.conversation.notificationLevel).toBe('mentions');
    const plain = await send(alice!, group.id, 'just chatting');
    expect((await settledFor([followed], plain)).userIds).toEqual([]);
    // A mention (the columns the mention parser fills), queued as a new message is.
    const sent = await sendMessage(server.context.db, alice!.user.id, { conversationId: group.id, content: '@bob look', messageType: 'text' });
    await server.context.db.message.update({ where: { id: sent.message.id }, data: { mentionedUserIds: [bob!.user.id] } });
    await server.push.messageCreated({ messageId: sent.message.id, conversationId: group.id, senderId: alice!.user.id });
    expect((await settledFor([followed], sent.message.id)).userIds).toEqual([bob!.user.id]);
    const everyone = await sendMessage(server.context.db, alice!.user.id, { conversationId: group.id, content: '@all standup', messageType: 'text' });
    await server.context.db.message.update({ where: { id: everyone.message.id }, data: { mentionsEveryone: 'all' } });
    await server.push.messageCreated({ messageId: everyone.message.id, conversationId: group.id, senderId: alice!.user.id });
    expect((await settledFor([followed], everyone.message.id)).userIds).toEqual([bob!.user.id]);

    // Following the default, now "mentions": a direct message still notifies.
    expect((await settings({ notificationLevel: null })).body.conversation.notificationLevel).toBeNull();
    await api(server, bob!.token, 'PATCH', '/api/me/notifications', { notificationLevel: 'mentions' });
    const groupPlain = await send(alice!, group.id, 'plain again');
    expect((await settledFor([followed], groupPlain)).userIds).toEqual([]);
    const direct = await send(alice!, chat.id, 'direct');
    expect((await settledFor([followed], direct)).userIds).toEqual([bob!.user.id]);

    expect(pushedIds()).toEqual([sent.message.id, everyone.message.id, direct]);
  });

  it('sends a reply only in its thread to whom it mentions, pointing at the thread', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const group = await groupChat(server, alice!, [bob!, carol!], 'Threads');
    const [subAlice, subCarol] = await Promise.all([alice!, carol!].map(subscribed));
    const root = await send(alice!, group.id, 'Thoughts on the plan?');
    expect((await settledFor([followed], root)).userIds).toEqual([carol!.user.id]);
    const reply = (body: object) => api(server, bob!.token, 'POST', `/api/conversations/${group.id}/messages`, { threadRootId: root, ...body });
    // Not news for the whole conversation: nobody is pushed.
    const plain = await reply({ content: 'Looks good' });
    expect(plain.status).toBe(201);
    expect((await settledFor([followed], plain.body.message.id)).userIds).toEqual([]);
    // A mention in the thread reaches the one mentioned.
    const mention = await reply({ content: `@${alice!.user.username} what about the budget?` });
    expect(mention.body.message.mentionedUserIds).toEqual([alice!.user.id]);
    expect((await settledFor([followed], mention.body.message.id)).userIds).toEqual([alice!.user.id]);
    const [push] = service.pushesTo(subAlice!);
    expect(push).toMatchObject({ messageId: mention.body.message.id, threadRootId: root, url: `/c/${group.id}?message=${root}` });
    expect(service.pushesTo(subCarol!).map((p) => p.messageId)).toEqual([root]);
  });

  it('deletes a subscription the push service says is gone (410)', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const subBob = await subscribed(bob!);
    service.answer(subBob, 410);
    const id = await send(alice!, chat.id, 'hello?');
    await settledFor([followed], id);
    expect(followed.settled.filter((s) => s.messageId === id).map((s) => s.outcome)).toEqual(['gone']);
    expect(await server.context.db.pushSubscription.count({ where: { endpoint: subBob.endpoint } })).toBe(0);
  });

  it('tries again after a 500, with the same push', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const subBob = await subscribed(bob!);
    service.answer(subBob, 500, 503);
    const id = await send(alice!, chat.id, 'third time lucky');
    await settledFor([followed], id);
    const attempts = service.pushesTo(subBob);
    expect(attempts.map((p) => p.status)).toEqual([500, 503, 201]);
    expect(new Set(attempts.map((p) => p.messageId))).toEqual(new Set([id]));
    expect(followed.settled.filter((s) => s.messageId === id).map((s) => s.outcome)).toEqual(['sent']);
    // Operators see it: two retries and a send, counted by outcome.
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.config.metrics.token}` } })).text();
    expect(metrics).toMatch(/parley_push_sends_total\{outcome="retry"\} [1-9]/);
    expect(metrics).toMatch(/parley_push_sends_total\{outcome="sent"\} [1-9]/);
  });

  it('keeps one subscription per browser: subscribing again moves it; unsubscribing and signing out end it', async () => {
    const [xavier, yvonne, zoe, alice] = await makeMembers(server, 4);
    const browser = service.subscription();
    const db = server.context.db;
    expect((await api(server, xavier!.token, 'POST', '/api/push/subscriptions', browser.toJSON())).status).toBe(201);
    // The same browser, now signed in as Yvonne: its one subscription moves to her.
    expect((await api(server, yvonne!.token, 'POST', '/api/push/subscriptions', browser.toJSON())).status).toBe(200);
    expect(await db.pushSubscription.findMany({ where: { endpoint: browser.endpoint }, select: { userId: true } })).toEqual([{ userId: yvonne!.user.id }]);
    expect((await api(server, yvonne!.token, 'POST', '/api/push/subscriptions', browser.toJSON())).status).toBe(200);
    // Xavier cannot remove what is now Yvonne's; Yvonne can.
    await api(server, xavier!.token, 'DELETE', '/api/push/subscriptions', { endpoint: browser.endpoint });
    expect(await db.pushSubscription.count({ where: { endpoint: browser.endpoint } })).toBe(1);
    expect((await api(server, yvonne!.token, 'DELETE', '/api/push/subscriptions', { endpoint: browser.endpoint })).status).toBe(204);
    expect(await db.pushSubscription.count({ where: { endpoint: browser.endpoint } })).toBe(0);

    // Signed out everywhere: the browser subscribed with that credential hears nothing more.
    const subZoe = await subscribed(zoe!);
    expect((await api(server, zoe!.token, 'POST', '/api/me/sign-out-everywhere', {})).status).toBe(204);
    const chat = await privateChat(server, alice!, zoe!);
    const id = await send(alice!, chat.id, 'are you there?');
    expect((await settledFor([followed], id)).userIds).toEqual([]);
    expect(service.pushesTo(subZoe)).toEqual([]);
    expect(await db.pushSubscription.count({ where: { endpoint: subZoe.endpoint } })).toBe(0);
  });

  it('refuses malformed subscriptions and strangers', async () => {
    const [member] = await makeMembers(server, 1);
    const good = service.subscription().toJSON();
    const post = (body: unknown, token: string | null = member!.token) => api(server, token ?? undefined, 'POST', '/api/push/subscriptions', body);
    expect((await post(good, null)).status).toBe(401);
    expect((await post({ ...good, endpoint: 'http://127.0.0.1/push/x' })).status).toBe(400);
    expect((await post({ ...good, endpoint: `${good.endpoint}\u0000` })).status).toBe(400);
    expect((await post({ ...good, keys: { ...good.keys, p256dh: good.keys.p256dh.slice(4) } })).status).toBe(400);
    expect((await post({ ...good, keys: { ...good.keys, auth: randomBytes(8).toString('base64url') } })).status).toBe(400);
    expect((await api(server, member!.token, 'PATCH', '/api/me/notifications', { notificationLevel: 'loud' })).status).toBe(400);
    expect((await api(server, member!.token, 'PATCH', '/api/me/notifications', {})).status).toBe(400);
    const key = await api(server, member!.token, 'GET', '/api/push/key');
    expect(key.body).toEqual({ publicKey: server.config.vapid.publicKey });
    expect(await server.context.db.pushSubscription.count({ where: { userId: member!.user.id } })).toBe(0);
  });

  it('tells the user’s other tabs when their notification settings change, or a conversation’s', async () => {
    const [member, other] = await makeMembers(server, 2);
    const socket = await online(member!);
    const chat = await privateChat(server, member!, other!);
    const updated = nextEvent(socket, 'conversationUpdated');
    await api(server, member!.token, 'PATCH', `/api/conversations/${chat.id}/settings`, { notificationLevel: 'mentions' });
    expect((await updated).conversation).toMatchObject({ id: chat.id, notificationLevel: 'mentions' });

    const heard = nextEvent(socket, 'notificationSettingsChanged');
    await api(server, member!.token, 'PATCH', '/api/me/notifications', { notificationLevel: 'none' });
    expect(await heard).toEqual({ notificationLevel: 'none', notificationPreviews: true });
    expect((await api(server, member!.token, 'GET', '/api/me/notifications')).body).toEqual({ notificationLevel: 'none', notificationPreviews: true });
  });
});

describe('Web Push with Redis, two nodes', () => {
  let service: TestPushService;
  let shared: SharedDatabase;
  let prefix: string;
  const nodes: ChatServer[] = [];
  const sockets: ChatClient[] = [];
  const secret = randomBytes(32).toString('hex');

  beforeAll(async () => {
    service = new TestPushService();
    await service.start();
    shared = await createSharedDatabase();
    prefix = uniquePrefix('push');
    for (let i = 0; i < 2; i += 1) {
      const config = loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: `/tmp/push-node-${prefix.replace(/:/g, '-')}${i}`,
        AUTH_SECRET: secret,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        DATABASE_URL: shared.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        PRESENCE_GRACE_MS: '300',
        PRESENCE_NODE_TTL_MS: '3000',
      });
      const database = await openDatabase({ kind: 'postgres', url: shared.url, poolSize: 4 });
      const node = await createServer({ config, database, web: false, push: { agent: service.agent, retry: RETRY } });
      await node.listen(0, '127.0.0.1');
      nodes.push(node);
    }
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const node of nodes) await node.close();
    await shared?.close();
    await service?.close();
    if (prefix) await deletePrefix(prefix);
  });

  const urlOf = (node: ChatServer) => {
    const address = (node.io.httpServer.address() as { port: number }).port;
    return `http://127.0.0.1:${address}`;
  };

  it('sends each push once, whichever node took the message; a hidden tab on the other node still gets it', async () => {
    const followed = nodes.map((node) => follow(node.push));
    const db = nodes[0]!.context.db;
    const config = nodes[0]!.context.config;
    const users = await Promise.all(Array.from({ length: 5 }, () => createUser(db)));
    const [sender, ...others] = users;
    const members = await Promise.all(users.map(async (user) => ({ user, token: await tokenFor(config, user) })));
    const { createConversation } = await import('@/lib/chat/conversations');
    const { conversation } = await createConversation(db, sender!.id, { type: 'group', name: 'Two nodes', participantIds: others.map((u) => u.id) });
    const subscriptions = await Promise.all(
      others.map(async (user) => {
        const browser = service.subscription();
        await subscribe(db, { userId: user.id, sessionId: null, tokenVersion: 0 }, browser.toJSON());
        return browser;
      }),
    );
    const senders = await Promise.all(nodes.map((node) => connectClient(urlOf(node), members[0]!.token)));
    sockets.push(...senders);

    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const ack = await emitWithAck(senders[i % 2]!, 'sendMessage', { conversationId: conversation.id, content: `message ${i}` });
      if (!ack.ok) throw new Error(ack.error.message);
      ids.push(ack.message.id);
    }
    for (const id of ids) await settledFor(followed, id);
    for (const browser of subscriptions) {
      const got = service.pushesTo(browser).map((p) => p.messageId);
      expect(got.sort()).toEqual([...ids].sort());
    }
    expect(followed.flatMap((f) => f.settled).length).toBe(ids.length * others.length);

    // One member's only tab is on node B and hidden: a message sent through node A pushes to them.
    const hidden = await connectClient(urlOf(nodes[1]!), members[1]!.token);
    sockets.push(hidden);
    await emitWithAck(hidden, 'visibility', { visible: false });
    const whileHidden = await emitWithAck(senders[0]!, 'sendMessage', { conversationId: conversation.id, content: 'hidden tab' });
    if (!whileHidden.ok) throw new Error(whileHidden.error.message);
    expect((await settledFor(followed, whileHidden.message.id)).userIds).toContain(others[0]!.id);
    await emitWithAck(hidden, 'visibility', { visible: true });
    const whileVisible = await emitWithAck(senders[0]!, 'sendMessage', { conversationId: conversation.id, content: 'visible tab' });
    if (!whileVisible.ok) throw new Error(whileVisible.error.message);
    const plan = await settledFor(followed, whileVisible.message.id);
    expect(plan.userIds).not.toContain(others[0]!.id);
    expect(plan.userIds).toHaveLength(others.length - 1);
  });
});
