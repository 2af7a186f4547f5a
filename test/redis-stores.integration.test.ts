// Presence, typing, the shared rate limit and outage handling against a real Redis. Every test
// has its own key prefix, so files (and tests) can share one Redis server.
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { RedisPresenceStore, RedisTypingStore, type RedisPresenceOptions } from '@/lib/realtime/redis-stores';
import { connectRedis, createCommandClient, whenReady, type RedisConnections } from '@/server/realtime/redis';
import type { Logger } from '@/lib/logger';
import { deletePrefix, RedisProxy, TEST_REDIS_URL, uniquePrefix } from './helpers/redis';
import { eventually, sleep } from './helpers/chat';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function prefix(): string {
  const value = uniquePrefix('stores');
  cleanups.push(() => deletePrefix(value));
  return value;
}

async function client(url = TEST_REDIS_URL): Promise<Redis> {
  const redis = createCommandClient(url, 'test');
  redis.on('error', () => {});
  cleanups.push(() => redis.disconnect());
  await whenReady(redis, 5000);
  return redis;
}

type Node = { store: RedisPresenceStore; redis: Redis; orphaned: string[]; errors: unknown[] };

async function node(keyPrefix: string, options: Partial<RedisPresenceOptions> & { url?: string } = {}): Promise<Node> {
  const redis = await client(options.url);
  const errors: unknown[] = [];
  const store = new RedisPresenceStore(redis, {
    prefix: keyPrefix,
    nodeId: randomUUID(),
    nodeTtlMs: 1000,
    heartbeatMs: 100,
    graceMs: 0,
    onError: (error) => errors.push(error),
    ...options,
  });
  cleanups.push(() => store.close());
  const orphaned: string[] = [];
  store.onOrphaned((users) => orphaned.push(...users));
  await store.start();
  return { store, redis, orphaned, errors };
}

/** A crash: the node's connection goes, nothing is cleaned up, its heartbeats stop reaching Redis. */
function crash(n: Node): void {
  n.redis.disconnect();
}

const user = () => randomUUID();

describe('RedisPresenceStore', () => {
  it('counts a user online from their first socket on any node until their last one closes', async () => {
    const p = prefix();
    const [a, b] = [await node(p), await node(p)];
    const u = user();
    expect(await a.store.addSocket(u, 's1')).toBe(true);
    expect(await b.store.addSocket(u, 's2')).toBe(false);
    expect(await a.store.addSocket(u, 's3')).toBe(false);
    expect(await a.store.removeSocket(u, 's1')).toBe(false);
    expect(await a.store.removeSocket(u, 's3')).toBe(false);
    expect(await a.store.isOnline(u)).toBe(true);
    expect(await b.store.removeSocket(u, 's2')).toBe(true);
    expect(await a.store.isOnline(u)).toBe(false);
    expect(await b.store.isOnline(u)).toBe(false);
  });

  it('ignores a socket added twice and one it never had', async () => {
    const p = prefix();
    const a = await node(p);
    const u = user();
    expect(await a.store.addSocket(u, 's1')).toBe(true);
    expect(await a.store.addSocket(u, 's1')).toBe(false);
    expect(await a.store.removeSocket(u, 'other')).toBe(false);
    expect(await a.store.removeSocket(user(), 's1')).toBe(false);
    expect(await a.store.removeSocket(u, 's1')).toBe(true);
    expect(await a.store.removeSocket(u, 's1')).toBe(false);
  });

  it('tells which of some users are online on any node', async () => {
    const p = prefix();
    const [a, b] = [await node(p), await node(p)];
    const [u1, u2, u3] = [user(), user(), user()];
    await a.store.addSocket(u1, 's1');
    await b.store.addSocket(u2, 's2');
    expect(await a.store.onlineAmong([u1, u2, u3])).toEqual(new Set([u1, u2]));
    expect(await b.store.onlineAmong([])).toEqual(new Set());
  });

  it('has a visible tab while any socket on any node does not report hidden; a crashed node’s hidden sockets go with it', async () => {
    const p = prefix();
    const [a, b] = [await node(p), await node(p)];
    const [u, other] = [user(), user()];
    await a.store.addSocket(u, 's1');
    await b.store.addSocket(u, 's2');
    await b.store.addSocket(other, 's3');
    expect(await a.store.visibleAmong([u, other, user()])).toEqual(new Set([u, other]));
    await a.store.setHidden(u, 's1', true);
    expect(await b.store.visibleAmong([u])).toEqual(new Set([u]));
    await b.store.setHidden(u, 's2', true);
    expect(await a.store.visibleAmong([u, other])).toEqual(new Set([other]));
    // Hiding twice counts once; a closed hidden socket is uncounted with it.
    await b.store.setHidden(u, 's2', true);
    await a.store.removeSocket(u, 's1');
    await b.store.setHidden(u, 's2', false);
    expect(await a.store.visibleAmong([u])).toEqual(new Set([u]));
    await b.store.setHidden(u, 's2', true);
    expect(await a.store.visibleAmong([u])).toEqual(new Set());

    // Node b crashes with u's hidden socket; u comes back on a, visible: counted visible once b is reaped.
    crash(b);
    await a.store.addSocket(u, 's4');
    expect(await a.store.visibleAmong([u])).toEqual(new Set([u]));
    await eventually(async () => !(await a.store.isOnline(other)), 5000, 'b reaped');
    await a.store.setHidden(u, 's4', true);
    expect(await a.store.visibleAmong([u])).toEqual(new Set());
    await a.store.setHidden(u, 's4', false);
    expect(await a.store.visibleAmong([u])).toEqual(new Set([u]));
  });

  it('reports a crashed node’s users offline once, on one node, within its TTL', async () => {
    const p = prefix();
    const [a, b, c] = [await node(p), await node(p), await node(p)];
    const [onlyOnA, alsoOnB] = [user(), user()];
    await a.store.addSocket(onlyOnA, 's1');
    await a.store.addSocket(alsoOnB, 's2');
    await b.store.addSocket(alsoOnB, 's3');
    crash(a);
    const crashedAt = Date.now();
    await eventually(() => b.orphaned.length + c.orphaned.length > 0, 5000, 'an orphan report');
    expect(Date.now() - crashedAt).toBeLessThan(1000 + 2000);
    await sleep(500); // several more heartbeats of b and c: nobody reports it again
    expect([...b.orphaned, ...c.orphaned]).toEqual([onlyOnA]);
    expect(await b.store.isOnline(onlyOnA)).toBe(false);
    expect(await c.store.isOnline(alsoOnB)).toBe(true);
    expect(a.orphaned).toEqual([]);
  });

  it('reports a user whose last socket closed on a node that then crashed, once their grace is over', async () => {
    const p = prefix();
    const [a, b] = [await node(p, { graceMs: 300 }), await node(p, { graceMs: 300 })];
    const [gone, back] = [user(), user()];
    await a.store.addSocket(gone, 's1');
    await a.store.addSocket(back, 's2');
    expect(await a.store.removeSocket(gone, 's1')).toBe(true);
    expect(await a.store.removeSocket(back, 's2')).toBe(true);
    crash(a); // before its own grace timers could announce them
    await b.store.addSocket(back, 's3'); // came back on another node
    await eventually(() => b.orphaned.length > 0, 5000, 'an orphan report');
    await sleep(400);
    expect(b.orphaned).toEqual([gone]);
  });

  it('on a graceful close, gives the node’s users their grace and reports those who do not come back', async () => {
    const p = prefix();
    const [a, b] = [await node(p, { graceMs: 1000 }), await node(p, { graceMs: 1000 })];
    const [gone, back] = [user(), user()];
    await a.store.addSocket(gone, 's1');
    await a.store.addSocket(back, 's2');
    await a.store.close();
    expect(await b.store.isOnline(gone)).toBe(false);
    expect(await b.store.addSocket(back, 's3')).toBe(true); // reconnected to another node
    await sleep(300);
    expect(b.orphaned).toEqual([]); // still within the grace period
    await eventually(() => b.orphaned.length > 0, 5000, 'an orphan report');
    await sleep(300);
    expect(b.orphaned).toEqual([gone]);
  });

  it('puts its sockets back when Redis lost them (restart, or reaped while alive)', async () => {
    const p = prefix();
    const [a, b] = [await node(p), await node(p)];
    const u = user();
    await a.store.addSocket(u, 's1');
    await deletePrefix(p);
    expect(await b.store.isOnline(u)).toBe(false);
    await eventually(() => b.store.isOnline(u), 3000, 'the node to resync');
    // A socket that closes meanwhile is still counted right.
    expect(await a.store.removeSocket(u, 's1')).toBe(true);
    expect(await b.store.isOnline(u)).toBe(false);
  });

  it('cut off from Redis, answers from its own sockets, then pushes them to Redis when it is back', async () => {
    const p = prefix();
    const proxy = new RedisProxy();
    await proxy.start();
    cleanups.push(() => proxy.cut());
    const [a, b] = [await node(p, { url: proxy.url, nodeTtlMs: 5000 }), await node(p, { nodeTtlMs: 5000 })];
    const [left, joined] = [user(), user()];
    await a.store.addSocket(left, 's1');
    expect(await b.store.isOnline(left)).toBe(true);

    await proxy.cut();
    expect(await a.store.addSocket(joined, 's2')).toBe(true);
    expect(await a.store.isOnline(joined)).toBe(true);
    expect(await a.store.removeSocket(left, 's1')).toBe(true);
    expect(await a.store.onlineAmong([left, joined])).toEqual(new Set([joined]));
    expect(a.errors.length).toBeGreaterThan(0);
    expect(await b.store.isOnline(joined)).toBe(false); // b cannot know yet

    await proxy.restore();
    await eventually(async () => (await b.store.isOnline(joined)) && !(await b.store.isOnline(left)), 5000, 'the node to resync');
  });
});

describe('RedisTypingStore', () => {
  it('shares who is typing across nodes', async () => {
    const p = prefix();
    const [t1, t2] = [new RedisTypingStore(await client(), { prefix: p }), new RedisTypingStore(await client(), { prefix: p })];
    const [conversation, u1, u2] = [randomUUID(), user(), user()];
    expect(await t1.start(conversation, u1, 5000)).toBe(true);
    expect(await t2.start(conversation, u1, 5000)).toBe(false);
    expect(await t2.start(conversation, u2, 5000)).toBe(true);
    expect((await t1.typingIn(conversation)).sort()).toEqual([u1, u2].sort());
    expect(await t2.typingIn(randomUUID())).toEqual([]);
    expect(await t2.stop(conversation, u1)).toBe(true);
    expect(await t1.stop(conversation, u1)).toBe(false);
    expect(await t1.typingIn(conversation)).toEqual([u2]);
  });

  it('lets typing lapse by itself, key included', async () => {
    const p = prefix();
    const redis = await client();
    const typing = new RedisTypingStore(redis, { prefix: p });
    const [conversation, u] = [randomUUID(), user()];
    expect(await typing.start(conversation, u, 300)).toBe(true);
    const ttl = await redis.pttl(`${p}typing:${conversation}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await sleep(450);
    expect(await typing.typingIn(conversation)).toEqual([]);
    expect(await redis.exists(`${p}typing:${conversation}`)).toBe(0);
    expect(await typing.stop(conversation, u)).toBe(false);
    expect(await typing.start(conversation, u, 300)).toBe(true);
  });

  it('keeps working from memory while Redis is away', async () => {
    const proxy = new RedisProxy();
    await proxy.start();
    cleanups.push(() => proxy.cut());
    const errors: unknown[] = [];
    const typing = new RedisTypingStore(await client(proxy.url), { prefix: prefix(), onError: (error) => errors.push(error) });
    const [conversation, u] = [randomUUID(), user()];
    await proxy.cut();
    expect(await typing.start(conversation, u, 5000)).toBe(true);
    expect(await typing.start(conversation, u, 5000)).toBe(false);
    expect(await typing.typingIn(conversation)).toEqual([u]);
    expect(await typing.stop(conversation, u)).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe('Redis connections', () => {
  function capturingLogger() {
    const lines: { level: string; msg: string }[] = [];
    const log = (level: string) => (_obj: unknown, msg?: string) => lines.push({ level, msg: msg ?? String(_obj) });
    const logger = { error: log('error'), warn: log('warn'), info: log('info'), debug: () => {} } as unknown as Logger;
    return { logger, lines };
  }

  async function connect(url: string, keyPrefix: string, logger = capturingLogger().logger): Promise<RedisConnections> {
    const redis = await connectRedis(url, { prefix: keyPrefix, nodeId: randomUUID(), logger, connectTimeoutMs: 3000 });
    cleanups.push(() => redis.close());
    return redis;
  }

  it('shares a rate-limit budget between nodes', async () => {
    const p = prefix();
    const [a, b] = [await connect(TEST_REDIS_URL, p), await connect(TEST_REDIS_URL, p)];
    const [limitA, limitB] = [a.limiter('auth', 3, 60), b.limiter('auth', 3, 60)];
    await limitA.consume('1.2.3.4|alice');
    await limitB.consume('1.2.3.4|alice');
    await limitA.consume('1.2.3.4|alice');
    await expect(limitB.consume('1.2.3.4|alice')).rejects.toMatchObject({ remainingPoints: 0 });
    await expect(limitA.consume('1.2.3.4|bob')).resolves.toMatchObject({ remainingPoints: 2 });
  });

  it('refuses to start when Redis cannot be reached', async () => {
    const proxy = new RedisProxy();
    await proxy.start();
    const url = proxy.url;
    await proxy.cut();
    await expect(connectRedis(url, { prefix: prefix(), nodeId: 'n', logger: capturingLogger().logger, connectTimeoutMs: 500 })).rejects.toThrow(/Cannot reach Redis/);
  });

  it('survives an outage: emits stay local without crashing, one log line each way, limits fall back to memory', async () => {
    const proxy = new RedisProxy();
    await proxy.start();
    cleanups.push(() => proxy.cut());
    const { logger, lines } = capturingLogger();
    const redis = await connect(proxy.url, prefix(), logger);
    const io = new Server(createHttpServer());
    io.adapter(redis.adapter);
    cleanups.push(() => io.close());
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    cleanups.push(() => process.off('unhandledRejection', unhandled));
    const limiter = redis.limiter('auth', 2, 60);

    await proxy.cut();
    await sleep(1000); // several reconnection attempts fail meanwhile
    io.of('/chat').to('conversation:x').emit('newMessage' as never);
    io.of('/chat').in('user:y').socketsJoin('conversation:x');
    await limiter.consume('k');
    await limiter.consume('k');
    await expect(limiter.consume('k')).rejects.toMatchObject({ remainingPoints: 0 });
    await sleep(200);
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1);

    await proxy.restore();
    await eventually(() => lines.some((line) => line.level === 'warn' && /reachable again/.test(line.msg)), 5000, 'the recovery log');
    expect(redis.commands.status).toBe('ready');
    io.of('/chat').to('conversation:x').emit('newMessage' as never);
    await sleep(100);
    expect(unhandled).not.toHaveBeenCalled();
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1);
  });
});
